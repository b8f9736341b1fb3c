"""What a posting's wording says: credentials, regulatory domains, competencies and scope.

These are phrase patterns on purpose: a posting states its requirements in a small, stable
vocabulary ("RN preferred", "510(k)", "5+ years", "own the P&L"), and every match is shown
with the phrase that triggered it, so the reader can check the matcher against the text.
The regulatory ids are the glossary's, so each links to its definition.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


def rx(*patterns: str, flags: int = re.IGNORECASE) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), flags)


@dataclass(frozen=True)
class Signal:
    id: str
    label: str
    pattern: re.Pattern[str]
    kind: str = ""


CS = 0  # case-sensitive: abbreviations such as RN or MD must not match "rn" inside words

LICENSURE = (
    Signal("rn", "Registered nurse (RN)", rx(r"\bRNs?\b", r"\bR\.N\.", flags=CS), "license"),
    Signal("rn", "Registered nurse (RN)", rx(r"\bregistered nurse"), "license"),
    Signal("bsn", "BSN degree", rx(r"\bBSN\b", r"\bMSN\b", flags=CS), "degree"),
    Signal(
        "np", "Nurse practitioner (NP/APRN)", rx(r"\bnurse practitioner", r"\bAPRN\b"), "license"
    ),
    Signal(
        "pharmd",
        "Pharmacist (PharmD/RPh)",
        rx(r"\bPharm\.?D\b", r"\bRPh\b", r"\blicensed pharmacist"),
        "license",
    ),
    Signal(
        "md",
        "Physician (MD/DO)",
        rx(r"\bM\.?D\.?(?=[\s,;/)]|$)", r"\bD\.O\.", r"\bMD/DO\b", flags=CS),
        "license",
    ),
    Signal(
        "md",
        "Physician (MD/DO)",
        rx(
            r"\b(licensed|board[- ]certified|practicing) "
            r"physicians?\b",
            r"\bphysician (background|training)",
        ),
        "license",
    ),
    Signal(
        "ccrn",
        "CCRN (critical-care nursing certification)",
        rx(r"\bCCRN\b", flags=CS),
        "certification",
    ),
    Signal(
        "therapist",
        "Licensed therapist (PT/OT/SLP)",
        rx(r"\b(DPT|OTR/?L?|CCC-SLP)\b", flags=CS),
        "license",
    ),
    Signal(
        "therapist",
        "Licensed therapist (PT/OT/SLP)",
        rx(r"\blicensed (physical|occupational|speech) therap"),
        "license",
    ),
    Signal(
        "behavioral-license",
        "Licensed behavioral-health clinician (LCSW/LPC/PsyD)",
        rx(r"\b(LCSW|LPC|LMFT|PsyD|Ph\.D\. in (clinical )?psychology)\b", flags=CS),
        "license",
    ),
    Signal(
        "rd",
        "Registered dietitian (RD)",
        rx(r"\bregistered dietitian", r"\bRDN?\b(?=[\s,;/)])"),
        "license",
    ),
    Signal(
        "cphims", "CPHIMS (health IT certification)", rx(r"\bCPHIMS\b", flags=CS), "certification"
    ),
    Signal(
        "coding-cert",
        "Medical coding certification (CPC/CCS)",
        rx(r"\b(CPC|CCS|RHIA|RHIT)\b", flags=CS),
        "certification",
    ),
    Signal(
        "clinical-background",
        "Clinical background",
        rx(
            r"\bclinical (background|experience|training|degree|credential|licensure)",
            r"\blicensed (clinician|healthcare (provider|professional))",
            r"\bformer clinician",
            r"\bclinician by training",
            r"\b(healthcare|health care) provider background",
            r"\bbackground (as|in) (a )?(clinician|nurse|nursing|pharmacy|medicine)",
            r"\b(nursing|clinical|pharmacy|medical)( or [\w-]+)? background",
        ),
        "background",
    ),
    Signal(
        "active-license",
        "Active clinical license",
        rx(
            r"\bactive,? (and )?(unrestricted,? )?(state |RN |nursing |pharmacist |medical )?"
            r"(license|licensure)"
        ),
        "license",
    ),
)

REGULATORY = (
    Signal(
        "samd",
        "Software as a Medical Device (SaMD)",
        rx(r"\bSaMD\b", r"software as a medical device"),
    ),
    Signal("510k", "510(k) premarket notification", rx(r"\b510\s?\(?k\)?")),
    Signal("de-novo", "De Novo classification", rx(r"\bde novo\b")),
    Signal("pma", "Premarket approval (PMA)", rx(r"\bPMA\b", r"premarket approval", flags=CS)),
    Signal(
        "medical-device",
        "Medical-device regulation (FDA)",
        rx(r"\bFDA[- ](regulated|cleared|clearance|submission)", r"(?<!as a )\bmedical devices?\b"),
    ),
    Signal("hipaa", "HIPAA", rx(r"\bHIPAA\b")),
    Signal("part-2", "42 CFR Part 2", rx(r"\b42 CFR Part 2\b", r"\bPart 2\b")),
    Signal("clia", "CLIA (clinical laboratories)", rx(r"\bCLIA\b")),
    Signal("fhir", "FHIR", rx(r"\bFHIR\b")),
    Signal("hl7-v2", "HL7 v2", rx(r"\bHL7\b")),
    Signal("iso-13485", "ISO 13485 quality system", rx(r"\bISO\s?13485\b")),
    Signal("iec-62304", "IEC 62304 software life cycle", rx(r"\bIEC\s?62304\b")),
    Signal("iso-14971", "ISO 14971 risk management", rx(r"\bISO\s?14971\b")),
    Signal(
        "qmsr",
        "Quality system / QMSR (21 CFR 820)",
        rx(r"\b21 CFR (Part )?820\b", r"\bQMSR\b", r"\bdesign controls?\b"),
    ),
    Signal("part-11", "21 CFR Part 11 (electronic records)", rx(r"\b21 CFR Part 11\b")),
    Signal(
        "pccp",
        "Predetermined change control plan (PCCP)",
        rx(r"\bPCCP\b", r"predetermined change control"),
    ),
    Signal("cds", "Clinical decision support", rx(r"\bclinical decision support\b", r"\bCDS\b")),
    Signal("cpt", "CPT / HCPCS coding", rx(r"\bCPT\b", r"\bHCPCS\b")),
    Signal("cms", "CMS rules and programs", rx(r"\bCMS\b", r"\bMedicare\b", r"\bMedicaid\b")),
    Signal(
        "value-based-care",
        "Value-based care",
        rx(
            r"value[- ]based (care|contracts?|payment)",
            r"\bACOs?\b",
            r"\bMIPS\b",
            r"\brisk adjustment\b",
        ),
    ),
    Signal("prior-authorization", "Prior authorization", rx(r"\bprior auth(orization)?\b")),
    Signal(
        "information-blocking",
        "ONC rules / information blocking",
        rx(r"information blocking", r"\bONC\b", r"\bTEFCA\b", r"\bUSCDI\b"),
    ),
    Signal("soc2-hitrust", "SOC 2 / HITRUST", rx(r"\bSOC ?2\b", r"\bHITRUST\b")),
    Signal("gdpr-mdr", "EU rules (GDPR, EU MDR)", rx(r"\bGDPR\b", r"\bEU MDR\b", r"\bCE mark")),
)

PREFERRED = rx(
    r"\bprefer",
    r"\bplus\b",
    r"\bbonus\b",
    r"nice to have",
    r"\bideally\b",
    r"\bdesired\b",
    r"\badvantage",
    r"\bnot required\b",
    r"\bhelpful\b",
)
REQUIRED = rx(
    r"\brequired\b",
    r"\bmust\b",
    r"\bminimum\b",
    r"\bbasic qualifications",
    r"\brequirements?\b",
    r"\bneed\b",
    r"\bessential\b",
)
PREFERRED_HEADING = rx(r"^\W*(preferred|nice[- ]to[- ]have|bonus|desired|pluses|extra credit)")
REQUIRED_HEADING = rx(
    r"^\W*(required|requirements|minimum|basic|must[- ]have|what you('ll)? "
    r"(need|bring)|qualifications)"
)

YEARS = re.compile(
    r"(\d{1,2})\s*\+?\s*(?:(?:-|–|to)\s*(\d{1,2})\s*)?\+?\s*(?:years?|yrs?)\b([^.\n]{0,80})",
    re.IGNORECASE,
)
REPORTS = rx(
    r"\b(manage|lead|build|grow|hire)(s|ing)? (and (grow|develop|lead|coach) )?"
    r"(a |the )?(high-performing )?(team|group|org(anization)?) of (\d+ )?"
    r"(product managers|PMs|product leaders)",
    r"\bdirect reports?\b",
    r"\bpeople manage(r|ment)\b",
    r"\bmanage (and develop )?(product managers|PMs)\b",
    r"\bmanaging (product managers|PMs|a team)\b",
)
PNL = rx(r"\bP&L\b", r"\bprofit (and|&) loss\b", r"\bown(s|ing)? (the )?(revenue|budget)\b")
EXECUTIVE = rx(
    r"\breport(s|ing)? (directly )?to the (CEO|COO|CTO|president|chief)",
    r"\bexecutive (team|leadership team) member",
    r"\bpresent to the board\b",
    r"\bmember of the (executive|senior leadership) team",
)
MENTOR = rx(r"\bmentor (junior|other|associate) (PMs|product managers)")
