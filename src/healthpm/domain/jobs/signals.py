"""What a posting's wording says: credentials, regulatory domains, competencies and scope.

These are phrase patterns on purpose: a posting states its requirements in a small, stable
vocabulary ("RN preferred", "510(k)", "5+ years", "own the P&L"), and every match is shown
with the phrase that triggered it, so the reader can check the matcher against the text.
The regulatory ids are the glossary's, so each links to its definition.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


def _rx(*patterns: str, flags: int = re.IGNORECASE) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), flags)


@dataclass(frozen=True)
class Signal:
    id: str
    label: str
    pattern: re.Pattern[str]
    kind: str = ""


CS = 0  # case-sensitive: abbreviations such as RN or MD must not match "rn" inside words

LICENSURE = (
    Signal("rn", "Registered nurse (RN)", _rx(r"\bRNs?\b", r"\bR\.N\.", flags=CS), "license"),
    Signal("rn", "Registered nurse (RN)", _rx(r"\bregistered nurse"), "license"),
    Signal("bsn", "BSN degree", _rx(r"\bBSN\b", r"\bMSN\b", flags=CS), "degree"),
    Signal(
        "np", "Nurse practitioner (NP/APRN)", _rx(r"\bnurse practitioner", r"\bAPRN\b"), "license"
    ),
    Signal(
        "pharmd",
        "Pharmacist (PharmD/RPh)",
        _rx(r"\bPharm\.?D\b", r"\bRPh\b", r"\blicensed pharmacist"),
        "license",
    ),
    Signal(
        "md",
        "Physician (MD/DO)",
        _rx(r"\bM\.?D\.?(?=[\s,;/)]|$)", r"\bD\.O\.", r"\bMD/DO\b", flags=CS),
        "license",
    ),
    Signal(
        "md",
        "Physician (MD/DO)",
        _rx(
            r"\b(licensed|board[- ]certified|practicing) "
            r"physicians?\b",
            r"\bphysician (background|training)",
        ),
        "license",
    ),
    Signal(
        "ccrn",
        "CCRN (critical-care nursing certification)",
        _rx(r"\bCCRN\b", flags=CS),
        "certification",
    ),
    Signal(
        "therapist",
        "Licensed therapist (PT/OT/SLP)",
        _rx(r"\b(DPT|OTR/?L?|CCC-SLP)\b", flags=CS),
        "license",
    ),
    Signal(
        "therapist",
        "Licensed therapist (PT/OT/SLP)",
        _rx(r"\blicensed (physical|occupational|speech) therap"),
        "license",
    ),
    Signal(
        "behavioral-license",
        "Licensed behavioral-health clinician (LCSW/LPC/PsyD)",
        _rx(r"\b(LCSW|LPC|LMFT|PsyD|Ph\.D\. in (clinical )?psychology)\b", flags=CS),
        "license",
    ),
    Signal(
        "rd",
        "Registered dietitian (RD)",
        _rx(r"\bregistered dietitian", r"\bRDN?\b(?=[\s,;/)])"),
        "license",
    ),
    Signal(
        "cphims", "CPHIMS (health IT certification)", _rx(r"\bCPHIMS\b", flags=CS), "certification"
    ),
    Signal(
        "coding-cert",
        "Medical coding certification (CPC/CCS)",
        _rx(r"\b(CPC|CCS|RHIA|RHIT)\b", flags=CS),
        "certification",
    ),
    Signal(
        "clinical-background",
        "Clinical background",
        _rx(
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
        _rx(
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
        _rx(r"\bSaMD\b", r"software as a medical device"),
    ),
    Signal("510k", "510(k) premarket notification", _rx(r"\b510\s?\(?k\)?")),
    Signal("de-novo", "De Novo classification", _rx(r"\bde novo\b")),
    Signal("pma", "Premarket approval (PMA)", _rx(r"\bPMA\b", r"premarket approval", flags=CS)),
    Signal(
        "medical-device",
        "Medical-device regulation (FDA)",
        _rx(
            r"\bFDA[- ](regulated|cleared|clearance|submission)", r"(?<!as a )\bmedical devices?\b"
        ),
    ),
    Signal("hipaa", "HIPAA", _rx(r"\bHIPAA\b")),
    Signal("part-2", "42 CFR Part 2", _rx(r"\b42 CFR Part 2\b", r"\bPart 2\b")),
    Signal("clia", "CLIA (clinical laboratories)", _rx(r"\bCLIA\b")),
    Signal("fhir", "FHIR", _rx(r"\bFHIR\b")),
    Signal("hl7-v2", "HL7 v2", _rx(r"\bHL7\b")),
    Signal("iso-13485", "ISO 13485 quality system", _rx(r"\bISO\s?13485\b")),
    Signal("iec-62304", "IEC 62304 software life cycle", _rx(r"\bIEC\s?62304\b")),
    Signal("iso-14971", "ISO 14971 risk management", _rx(r"\bISO\s?14971\b")),
    Signal(
        "qmsr",
        "Quality system / QMSR (21 CFR 820)",
        _rx(r"\b21 CFR (Part )?820\b", r"\bQMSR\b", r"\bdesign controls?\b"),
    ),
    Signal("part-11", "21 CFR Part 11 (electronic records)", _rx(r"\b21 CFR Part 11\b")),
    Signal(
        "pccp",
        "Predetermined change control plan (PCCP)",
        _rx(r"\bPCCP\b", r"predetermined change control"),
    ),
    Signal("cds", "Clinical decision support", _rx(r"\bclinical decision support\b", r"\bCDS\b")),
    Signal("cpt", "CPT / HCPCS coding", _rx(r"\bCPT\b", r"\bHCPCS\b")),
    Signal("cms", "CMS rules and programs", _rx(r"\bCMS\b", r"\bMedicare\b", r"\bMedicaid\b")),
    Signal(
        "value-based-care",
        "Value-based care",
        _rx(
            r"value[- ]based (care|contracts?|payment)",
            r"\bACOs?\b",
            r"\bMIPS\b",
            r"\brisk adjustment\b",
        ),
    ),
    Signal("prior-authorization", "Prior authorization", _rx(r"\bprior auth(orization)?\b")),
    Signal(
        "information-blocking",
        "ONC rules / information blocking",
        _rx(r"information blocking", r"\bONC\b", r"\bTEFCA\b", r"\bUSCDI\b"),
    ),
    Signal("soc2-hitrust", "SOC 2 / HITRUST", _rx(r"\bSOC ?2\b", r"\bHITRUST\b")),
    Signal("gdpr-mdr", "EU rules (GDPR, EU MDR)", _rx(r"\bGDPR\b", r"\bEU MDR\b", r"\bCE mark")),
)

#: competency id -> phrases that show a posting asks for it
COMPETENCY_PHRASES: dict[str, re.Pattern[str]] = {
    "product-discovery": _rx(
        r"\b(customer|user|clinician|patient) (discovery|interviews|research)",
        r"\bdiscovery\b",
        r"\bunmet needs?\b",
        r"\bvalidate (problems|ideas)",
    ),
    "prioritization-roadmapping": _rx(
        r"\broadmaps?\b", r"\bprioriti[sz](e|ation|ing)\b", r"\bbacklog\b", r"\btrade-?offs?\b"
    ),
    "product-strategy": _rx(
        r"\b(product|platform) (strategy|vision)\b",
        r"\bvision\b",
        r"\bstrategic\b",
        r"\bstrategy\b",
        r"\bmarket (analysis|opportunit)",
    ),
    "execution-delivery": _rx(
        r"\b(agile|scrum|sprints?)\b",
        r"\bship(ped|ping)?\b",
        r"\bdeliver(y|ing)?\b",
        r"\blaunch(es|ing)?\b",
        r"\b(product|write|writing|define|defining) requirements\b",
        r"\bPRDs?\b",
        r"\buser stories\b",
    ),
    "ux-research-design": _rx(
        r"\bUX\b",
        r"\busability\b",
        r"\buser experience\b",
        r"\bdesign(ers)? partner",
        r"\baccessib(le|ility)\b",
        r"\bhuman factors\b",
    ),
    "clinical-workflow": _rx(
        r"\bclinical workflows?\b",
        r"\bcare (team|delivery) workflows?",
        r"\bworkflows? (of|for) (clinicians|nurses|providers|physicians)",
        r"\b(EHR|EMR)\b",
        r"\b(stroke|care|nursing|physician|clinician|bedside) workflows?\b",
        r"\bEpic\b",
        r"\bCerner\b",
        r"\bpoint of care\b",
    ),
    "clinical-fluency": _rx(
        r"\bclinical (knowledge|acumen|fluency|terminology|concepts)",
        r"\bmedical terminology\b",
        r"\bclinical background\b",
        r"\bunderstanding of (clinical|healthcare) (care|practice|delivery)",
    ),
    "reimbursement-payer": _rx(
        r"\breimbursement\b",
        r"\bpayers?\b",
        r"\bclaims?\b",
        r"\bbilling\b",
        r"\bCPT\b",
        r"\bcoverage\b",
        r"\bhealth plans?\b",
    ),
    "care-ecosystem": _rx(
        r"\bhealth systems?\b",
        r"\bhealthcare ecosystem\b",
        r"\b(payers?|providers?),? (and|&) (providers?|payers?|pharma)",
        r"\bprovider organizations?\b",
        r"\bgo-to-market\b",
    ),
    "fda-regulatory-strategy": _rx(
        r"\bFDA\b",
        r"\bregulatory (strategy|pathway|submissions?|"
        r"affairs|requirements)",
        r"\bSaMD\b",
        r"\b510\s?\(?k\)?",
        r"\bde novo\b",
        r"\bmedical device\b",
    ),
    "hipaa-privacy": _rx(
        r"\bHIPAA\b",
        r"\bprivacy\b",
        r"\bPHI\b",
        r"\bprotected health "
        r"information",
        r"\bconsent\b",
        r"\bBAAs?\b",
    ),
    "clinical-risk-management": _rx(
        r"\bpatient safety\b",
        r"\brisk management\b",
        r"\bhazard",
        r"\bISO\s?14971\b",
        r"\bclinical risk\b",
        r"\badverse events?\b",
    ),
    "quality-systems": _rx(
        r"\bquality (management )?system",
        r"\bQMS\b",
        r"\bdesign controls?\b",
        r"\bISO\s?13485\b",
        r"\bIEC\s?62304\b",
        r"\bCAPA\b",
        r"\btraceability\b",
        r"\baudits?\b",
    ),
    "product-analytics": _rx(
        r"\banalytics\b",
        r"\bmetrics\b",
        r"\bKPIs?\b",
        r"\bSQL\b",
        r"\bdata[- ]driven\b",
        r"\bdashboards?\b",
        r"\bA/B test",
    ),
    "clinical-evidence": _rx(
        r"\bclinical (evidence|validation|studies|study|trials?|outcomes)",
        r"\breal[- ]world evidence\b",
        r"\bRWE\b",
        r"\bpilots?\b",
        r"\bpeer[- ]reviewed\b",
        r"\boutcomes research\b",
    ),
    "safe-experimentation": _rx(
        r"\bexperiment(s|ation)\b", r"\bA/B test", r"\bhypothes[ie]s\b", r"\btest[- ]and[- ]learn\b"
    ),
    "health-equity": _rx(
        r"\bhealth equity\b",
        r"\bequit(y|able)\b",
        r"\bunderserved\b",
        r"\bdisparities\b",
        r"\bsocial determinants\b",
        r"\bSDOH\b",
        r"\bhealth literacy\b",
        r"\blanguage access\b",
    ),
    "stakeholder-alignment": _rx(
        r"\bstakeholders?\b",
        r"\bcross-functional(ly)?\b",
        r"\balign(ment|ing)?\b",
        r"\bpartner(ing)? with\b",
    ),
    "clinician-co-design": _rx(
        r"\b(with|alongside) (clinicians|physicians|nurses|"
        r"clinical (teams|leaders|experts|advisors))",
        r"\bclinical (advisory|champions?|partners)",
        r"\bco-?design\b",
        r"\bmedical directors?\b",
    ),
    "executive-communication": _rx(
        r"\bexecutives?\b",
        r"\bC-suite\b",
        r"\bleadership team\b",
        r"\bboard\b",
        r"\b(written|verbal) communication",
        r"\bcommunication skills\b",
        r"\bstorytell",
    ),
    "people-leadership": _rx(
        r"\b(manage|lead|build|grow|hire|coach|mentor)(s|ing)? (and "
        r"\w+ )?(a |the )?(team of )?(\w+ )?(product managers|PMs)\b",
        r"\bdirect reports?\b",
        r"\bpeople (management|leader)",
        r"\blead (a|the) (\w+ )?team of\b",
        r"\(\d+ people\)",
        r"\bmentor(ing)?\b",
    ),
    "business-strategy": _rx(
        r"\bP&L\b",
        r"\bprofit and loss\b",
        r"\brevenue\b",
        r"\bbusiness (case|model|strategy)",
        r"\bpricing\b",
        r"\bunit economics\b",
        r"\bbudgets?\b",
        r"\$\d+(\.\d+)?\s?[MB]\b",
    ),
    "change-management": _rx(
        r"\bchange management\b",
        r"\badoption\b",
        r"\bimplementation\b",
        r"\bgo-?lives?\b",
        r"\btraining\b",
        r"\brollouts?\b",
    ),
    "interoperability": _rx(
        r"\binteroperab",
        r"\bFHIR\b",
        r"\bHL7\b",
        r"\bAPIs?\b",
        r"\bintegrations?\b",
        r"\bdata exchange\b",
    ),
    "ai-ml-literacy": _rx(
        r"\b(AI|ML)\b",
        r"\bmachine learning\b",
        r"\bartificial intelligence",
        r"\bLLMs?\b",
        r"\bgenerative AI\b",
        r"\bmodels?\b(?= (performance|"
        r"validation|monitoring|development))",
        r"\balgorithms?\b",
    ),
    "security": _rx(
        r"\bsecurity\b", r"\bcybersecurity\b", r"\bSOC ?2\b", r"\bHITRUST\b", r"\bthreat model"
    ),
    "technical-architecture": _rx(
        r"\btechnical (background|depth|acumen|architecture)",
        r"\barchitecture\b",
        r"\bcloud\b",
        r"\bplatforms?\b",
        r"\bengineering (teams|partners|background)",
        r"\bSaaS\b",
    ),
}

PREFERRED = _rx(
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
REQUIRED = _rx(
    r"\brequired\b",
    r"\bmust\b",
    r"\bminimum\b",
    r"\bbasic qualifications",
    r"\brequirements?\b",
    r"\bneed\b",
    r"\bessential\b",
)
PREFERRED_HEADING = _rx(r"^\W*(preferred|nice[- ]to[- ]have|bonus|desired|pluses|extra credit)")
REQUIRED_HEADING = _rx(
    r"^\W*(required|requirements|minimum|basic|must[- ]have|what you('ll)? "
    r"(need|bring)|qualifications)"
)

YEARS = re.compile(
    r"(\d{1,2})\s*\+?\s*(?:(?:-|–|to)\s*(\d{1,2})\s*)?\+?\s*(?:years?|yrs?)\b([^.\n]{0,80})",
    re.IGNORECASE,
)
REPORTS = _rx(
    r"\b(manage|lead|build|grow|hire)(s|ing)? (and (grow|develop|lead|coach) )?"
    r"(a |the )?(high-performing )?(team|group|org(anization)?) of (\d+ )?"
    r"(product managers|PMs|product leaders)",
    r"\bdirect reports?\b",
    r"\bpeople manage(r|ment)\b",
    r"\bmanage (and develop )?(product managers|PMs)\b",
    r"\bmanaging (product managers|PMs|a team)\b",
)
PNL = _rx(r"\bP&L\b", r"\bprofit (and|&) loss\b", r"\bown(s|ing)? (the )?(revenue|budget)\b")
EXECUTIVE = _rx(
    r"\breport(s|ing)? (directly )?to the (CEO|COO|CTO|president|chief)",
    r"\bexecutive (team|leadership team) member",
    r"\bpresent to the board\b",
    r"\bmember of the (executive|senior leadership) team",
)
MENTOR = _rx(r"\bmentor (junior|other|associate) (PMs|product managers)")
