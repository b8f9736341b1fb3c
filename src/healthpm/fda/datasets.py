"""Per-dataset import specs: which JSON fields are read, the key, and how rows reach the tables.

Field names are openFDA's exactly. Dates are parsed per dataset because the formats differ:
device/event and device/enforcement use YYYYMMDD, device/510k and device/recall YYYY-MM-DD.
Every statement reads the staging table `stage` (one row per record, newest record per key).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from healthpm.errors import DataFileError

DATASETS = (
    "device-event",
    "device-510k",
    "device-classification",
    "device-recall",
    "device-enforcement",
)
_NAME = re.compile(r"(device-(?:event|510k|classification|recall|enforcement))-\d{4}-of-\d{4}")

_OPENFDA = "STRUCT(device_class VARCHAR, device_name VARCHAR, regulation_number VARCHAR)"
_DEVICE = (
    "STRUCT(device_sequence_number VARCHAR, device_report_product_code VARCHAR,"
    " brand_name VARCHAR, generic_name VARCHAR, manufacturer_d_name VARCHAR,"
    f" model_number VARCHAR, udi_di VARCHAR, openfda {_OPENFDA})[]"
)
_PATIENT = (
    "STRUCT(patient_sequence_number VARCHAR, patient_problems VARCHAR[],"
    " sequence_number_outcome VARCHAR[])[]"
)
_TEXT = (
    "STRUCT(mdr_text_key VARCHAR, text_type_code VARCHAR, patient_sequence_number VARCHAR,"
    " text VARCHAR)[]"
)


_RID = "mdr_report_key, mdr_report_key::BIGINT AS rid"
_TERMS = (
    "SELECT unnest(product_problems) AS term FROM stage UNION ALL"
    " SELECT unnest(p.patient_problems) FROM (SELECT unnest(patient) AS p FROM stage)"
)


def _ymd(col: str) -> str:
    return f"try_strptime(NULLIF(trim({col}), ''), '%Y%m%d')::DATE"


def _iso(col: str) -> str:
    return f"try_cast(NULLIF(trim({col}), '') AS DATE)"


def _varchars(*names: str) -> dict[str, str]:
    return dict.fromkeys(names, "VARCHAR")


@dataclass(frozen=True)
class DatasetSpec:
    """How one openFDA dataset is read and stored."""

    name: str
    key: str
    columns: dict[str, str]
    tables: tuple[str, ...]  # every table holding rows of this dataset, keyed by `key` column
    key_columns: tuple[str, ...]  # the key column's name in each of those tables
    inserts: tuple[str, ...]
    stage_key: str = ""  # expression over `stage` matching key_columns; default: the key
    invalid_key: str = ""  # SQL condition marking a record whose key is unusable

    @property
    def stage_key_sql(self) -> str:
        """The stage expression compared with key_columns when replacing rows."""
        return self.stage_key or self.key

    def columns_sql(self) -> str:
        """The `columns` argument of DuckDB's read_json."""
        return "{" + ", ".join(f"'{k}': '{v}'" for k, v in self.columns.items()) + "}"


EVENT = DatasetSpec(
    name="device-event",
    key="mdr_report_key",
    columns={
        **_varchars(
            "mdr_report_key",
            "report_number",
            "event_key",
            "date_received",
            "date_of_event",
            "event_type",
            "adverse_event_flag",
            "product_problem_flag",
            "report_source_code",
            "pma_pmn_number",
        ),
        "product_problems": "VARCHAR[]",
        "device": _DEVICE,
        "patient": _PATIENT,
        "mdr_text": _TEXT,
    },
    tables=(
        "event",
        "event_device",
        "event_product_problem",
        "event_patient_problem",
        "event_patient_outcome",
        "narrative",
    ),
    key_columns=("rid",) * 6,
    stage_key="mdr_report_key::BIGINT",
    invalid_key="try_cast(mdr_report_key AS BIGINT) IS NULL",
    inserts=(
        f"INSERT INTO event SELECT mdr_report_key, report_number, event_key,"
        f" {_ymd('date_received')}, {_ymd('date_of_event')}, event_type, adverse_event_flag,"
        f" product_problem_flag, report_source_code, pma_pmn_number, $file_id,"
        f" mdr_report_key::BIGINT FROM stage",
        "INSERT INTO event_device SELECT mdr_report_key, trim(d.device_sequence_number),"
        " upper(trim(d.device_report_product_code)), d.brand_name, d.generic_name,"
        " d.manufacturer_d_name, d.model_number, d.udi_di, d.openfda.device_class, rid,"
        f" {_ymd('date_received')}, event_type, $file_id FROM (SELECT {_RID}, date_received,"
        " event_type, unnest(device) AS d FROM stage)",
        f"INSERT INTO term_vocab SELECT nextval('term_id_seq'), t.term, i.code, i.level1_code"
        f" FROM (SELECT DISTINCT term FROM ({_TERMS}) WHERE term IS NOT NULL AND term NOT IN"
        f" (SELECT term FROM term_vocab)) t LEFT JOIN imdrf_term i ON i.annex = 'A'"
        f" AND i.term_lower = lower(t.term)",
        f"INSERT INTO event_product_problem SELECT s.mdr_report_key, v.term_id, s.rid"
        f" FROM (SELECT {_RID}, unnest(product_problems) AS term FROM stage) s"
        f" JOIN term_vocab v USING (term)",
        f"INSERT INTO event_patient_problem SELECT s.mdr_report_key, s.seq, v.term_id, s.rid"
        f" FROM (SELECT mdr_report_key, rid, p.patient_sequence_number AS seq,"
        f" unnest(p.patient_problems) AS term FROM (SELECT {_RID}, unnest(patient) AS p"
        f" FROM stage)) s JOIN term_vocab v USING (term)",
        "INSERT INTO event_patient_outcome SELECT mdr_report_key, p.patient_sequence_number,"
        " trim(unnest(p.sequence_number_outcome)), rid"
        f" FROM (SELECT {_RID}, unnest(patient) AS p FROM stage)",
        "INSERT INTO narrative SELECT mdr_report_key, t.mdr_text_key, t.text_type_code,"
        " t.patient_sequence_number, t.text, rid"
        f" FROM (SELECT {_RID}, unnest(mdr_text) AS t FROM stage)",
    ),
)

CLEARANCE = DatasetSpec(
    name="device-510k",
    key="k_number",
    columns={
        **_varchars(
            "k_number",
            "product_code",
            "date_received",
            "decision_date",
            "decision_code",
            "decision_description",
            "clearance_type",
            "advisory_committee",
            "review_advisory_committee",
            "applicant",
            "device_name",
            "statement_or_summary",
            "third_party_flag",
            "expedited_review_flag",
        ),
        "openfda": _OPENFDA,
    },
    tables=("clearance",),
    key_columns=("k_number",),
    inserts=(
        f"INSERT INTO clearance SELECT k_number, upper(trim(product_code)),"
        f" {_iso('date_received')}, {_iso('decision_date')}, decision_code,"
        f" decision_description, clearance_type, advisory_committee,"
        f" review_advisory_committee, applicant, device_name, statement_or_summary,"
        f" third_party_flag, expedited_review_flag, openfda.device_class,"
        f" openfda.regulation_number, $file_id FROM stage",
    ),
)

CLASSIFICATION = DatasetSpec(
    name="device-classification",
    key="product_code",
    columns=_varchars(
        "product_code",
        "device_name",
        "device_class",
        "regulation_number",
        "review_panel",
        "medical_specialty",
        "submission_type_id",
        "implant_flag",
        "life_sustain_support_flag",
    ),
    tables=("product_code",),
    key_columns=("product_code",),
    inserts=(
        "INSERT INTO product_code SELECT upper(trim(product_code)), device_name, device_class,"
        " NULLIF(regulation_number, ''), review_panel, NULLIF(medical_specialty, ''),"
        " submission_type_id, implant_flag, life_sustain_support_flag,"
        " 'openFDA device/classification', $file_id FROM stage",
    ),
)

RECALL = DatasetSpec(
    name="device-recall",
    key="product_res_number",
    columns={
        **_varchars(
            "product_res_number",
            "res_event_number",
            "cfres_id",
            "product_code",
            "recall_status",
            "event_date_initiated",
            "event_date_posted",
            "event_date_terminated",
            "reason_for_recall",
            "root_cause_description",
            "recalling_firm",
            "product_description",
        ),
        "k_numbers": "VARCHAR[]",
    },
    tables=("recall",),
    key_columns=("product_res_number",),
    inserts=(
        f"INSERT INTO recall SELECT product_res_number, res_event_number, cfres_id,"
        f" upper(trim(product_code)), recall_status, {_iso('event_date_initiated')},"
        f" {_iso('event_date_posted')}, {_iso('event_date_terminated')}, reason_for_recall,"
        f" root_cause_description, recalling_firm, product_description, k_numbers,"
        f" $file_id FROM stage",
    ),
)

ENFORCEMENT = DatasetSpec(
    name="device-enforcement",
    key="recall_number",
    columns=_varchars(
        "recall_number",
        "event_id",
        "classification",
        "status",
        "recalling_firm",
        "reason_for_recall",
        "product_description",
        "recall_initiation_date",
        "report_date",
        "center_classification_date",
        "termination_date",
    ),
    tables=("enforcement",),
    key_columns=("recall_number",),
    inserts=(
        f"INSERT INTO enforcement SELECT recall_number, event_id, classification, status,"
        f" recalling_firm, reason_for_recall, product_description,"
        f" {_ymd('recall_initiation_date')}, {_ymd('report_date')},"
        f" {_ymd('center_classification_date')}, {_ymd('termination_date')}, $file_id"
        f" FROM stage",
    ),
)

SPECS = {s.name: s for s in (EVENT, CLEARANCE, CLASSIFICATION, RECALL, ENFORCEMENT)}


def dataset_of(file_name: str) -> str:
    """The openFDA dataset a bulk file belongs to, read from its name."""
    match = _NAME.search(file_name)
    if not match:
        raise DataFileError(
            f"{file_name}: cannot tell the dataset from the name; expected an openFDA bulk name"
            " such as device-event-0001-of-0003.json.zip (or pass --dataset)"
        )
    return match.group(1)
