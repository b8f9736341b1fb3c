"""Starting text for risk-register rows, per IMDRF Annex A level-1 category (pure data).

These are drafting prompts for a portfolio exercise, written for software-heavy connected devices;
the user edits every cell. Controls follow ISO 14971's order of preference: inherent safety by
design, then protective measures, then information for safety (DOMAIN-FACTS F20).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class HazardTemplate:
    """Draft wording for one failure-mode category."""

    hazard: str
    situation: str
    control: str
    verification: str


GENERIC = HazardTemplate(
    hazard="Device does not perform as intended ({category})",
    situation="Patient or clinician relies on the device while the problem is present",
    control="Design: detect the fault and fail safe; protective: alert the user; information: "
    "labeling on what to do when the alert appears",
    verification="Fault-injection bench test of detection and alert; usability check of the "
    "alert wording",
)

TEMPLATES: dict[str, HazardTemplate] = {
    "A14": HazardTemplate(
        "Incorrect delivery (over- or under-infusion)",
        "Therapy continues at the wrong rate without the user noticing",
        "Design: flow/occlusion sensing with automatic suspend; protective: occlusion and "
        "delivery alarms; information: troubleshooting steps in the user guide",
        "Delivery-accuracy and occlusion-detection bench tests across rates; alarm tests",
    ),
    "A09": HazardTemplate(
        "Incorrect output or reading",
        "A treatment decision is taken on an inaccurate value",
        "Design: plausibility checks and sensor-error detection; protective: suppress or flag "
        "out-of-range values; information: confirm with a reference method before acting",
        "Accuracy study against a reference method across the measuring range; error-injection "
        "tests of the plausibility checks",
    ),
    "A08": HazardTemplate(
        "Calibration drift",
        "Readings drift over the wear period and are trusted",
        "Design: factory calibration with drift detection; protective: calibration-required "
        "prompt; information: calibration instructions",
        "Drift testing over the labeled wear period; verification of the prompt logic",
    ),
    "A11": HazardTemplate(
        "Software malfunction (crash, wrong algorithm output, lost data)",
        "The software stops, freezes or shows stale or wrong data during use",
        "Design: IEC 62304 lifecycle with a watchdog and safe state; protective: visible "
        "'data stale' state; information: release notes and known anomalies",
        "Unit, integration and system tests traced to requirements; anomaly review; "
        "regression suite per release",
    ),
    "A13": HazardTemplate(
        "Loss or delay of data transmission",
        "Clinician or patient misses an alert because data did not arrive",
        "Design: store-and-forward with retry; protective: loss-of-signal notification to "
        "both ends; information: coverage and pairing requirements in labeling",
        "Network-impairment tests (drop, latency, reconnect) with end-to-end alert timing",
    ),
    "A12": HazardTemplate(
        "Connection failure between components",
        "A component disconnects silently during use",
        "Design: keyed connectors / pairing checks; protective: disconnect alarm; "
        "information: connection check in setup steps",
        "Connection-cycle and pull tests; disconnect-alarm verification",
    ),
    "A07": HazardTemplate(
        "Electrical or power failure",
        "The device loses power or behaves erratically during therapy or monitoring",
        "Design: battery monitoring and power-fail safe state; protective: low-battery alarm; "
        "information: charging instructions",
        "IEC 60601-1 electrical safety and IEC 60601-1-2 EMC testing; battery-life tests",
    ),
    "A22": HazardTemplate(
        "Use error at the user interface",
        "The user misreads or mis-enters a value under real conditions of use",
        "Design: interface changes from formative usability findings; protective: "
        "confirmation of critical entries; information: training and quick-reference guide",
        "Summative usability (human factors) validation with representative users",
    ),
    "A23": HazardTemplate(
        "Use of device problem (misuse, wrong setup)",
        "The device is set up or used outside its instructions",
        "Design: guided setup; protective: setup checks before first use; information: "
        "instructions for use",
        "Usability validation of setup tasks; labeling comprehension testing",
    ),
    "A16": HazardTemplate(
        "Failure of a protective measure (alarm, self-test)",
        "A hazardous state occurs and the alarm or self-test does not catch it",
        "Design: independent monitoring of the protective function; protective: periodic "
        "self-test with user-visible result; information: alarm descriptions",
        "Alarm-system testing (IEC 60601-1-8 where applicable); self-test coverage analysis",
    ),
    "A05": HazardTemplate(
        "Mechanical failure (break, detachment)",
        "A part breaks or detaches during use",
        "Design: material and geometry margins; protective: detection of detachment; "
        "information: handling instructions",
        "Mechanical bench tests (drop, tensile, adhesion over wear time)",
    ),
    "A01": HazardTemplate(
        "Adverse patient-device interaction (skin reaction, tissue response)",
        "Prolonged skin or tissue contact with the device",
        "Design: biocompatible materials; information: site-rotation and skin-care instructions",
        "ISO 10993 biocompatibility evaluation; wear studies",
    ),
}


def template_for(level1_code: str) -> HazardTemplate:
    """The template of a category, or the generic one."""
    return TEMPLATES.get(level1_code, GENERIC)
