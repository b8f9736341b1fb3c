"""Phrases that show a posting asks for a competency, one pattern per competency id.

Each match is reported with its phrase, so a reader can check why a competency was named.
"""

from __future__ import annotations

import re

from healthpm.domain.jobs.signals import rx

#: competency id -> phrases that show a posting asks for it
COMPETENCY_PHRASES: dict[str, re.Pattern[str]] = {
    "product-discovery": rx(
        r"\b(customer|user|clinician|patient) (discovery|interviews|research)",
        r"\bdiscovery\b",
        r"\bunmet needs?\b",
        r"\bvalidate (problems|ideas)",
    ),
    "prioritization-roadmapping": rx(
        r"\broadmaps?\b", r"\bprioriti[sz](e|ation|ing)\b", r"\bbacklog\b", r"\btrade-?offs?\b"
    ),
    "product-strategy": rx(
        r"\b(product|platform) (strategy|vision)\b",
        r"\bvision\b",
        r"\bstrategic\b",
        r"\bstrategy\b",
        r"\bmarket (analysis|opportunit)",
    ),
    "execution-delivery": rx(
        r"\b(agile|scrum|sprints?)\b",
        r"\bship(ped|ping)?\b",
        r"\bdeliver(y|ing)?\b",
        r"\blaunch(es|ing)?\b",
        r"\b(product|write|writing|define|defining) requirements\b",
        r"\bPRDs?\b",
        r"\buser stories\b",
    ),
    "ux-research-design": rx(
        r"\bUX\b",
        r"\busability\b",
        r"\buser experience\b",
        r"\bdesign(ers)? partner",
        r"\baccessib(le|ility)\b",
        r"\bhuman factors\b",
    ),
    "clinical-workflow": rx(
        r"\bclinical workflows?\b",
        r"\bcare (team|delivery) workflows?",
        r"\bworkflows? (of|for) (clinicians|nurses|providers|physicians)",
        r"\b(EHR|EMR)\b",
        r"\b(stroke|care|nursing|physician|clinician|bedside) workflows?\b",
        r"\bEpic\b",
        r"\bCerner\b",
        r"\bpoint of care\b",
    ),
    "clinical-fluency": rx(
        r"\bclinical (knowledge|acumen|fluency|terminology|concepts)",
        r"\bmedical terminology\b",
        r"\bclinical background\b",
        r"\bunderstanding of (clinical|healthcare) (care|practice|delivery)",
    ),
    "reimbursement-payer": rx(
        r"\breimbursement\b",
        r"\bpayers?\b",
        r"\bclaims?\b",
        r"\bbilling\b",
        r"\bCPT\b",
        r"\bcoverage\b",
        r"\bhealth plans?\b",
    ),
    "care-ecosystem": rx(
        r"\bhealth systems?\b",
        r"\bhealthcare ecosystem\b",
        r"\b(payers?|providers?),? (and|&) (providers?|payers?|pharma)",
        r"\bprovider organizations?\b",
        r"\bgo-to-market\b",
    ),
    "fda-regulatory-strategy": rx(
        r"\bFDA\b",
        r"\bregulatory (strategy|pathway|submissions?|"
        r"affairs|requirements)",
        r"\bSaMD\b",
        r"\b510\s?\(?k\)?",
        r"\bde novo\b",
        r"\bmedical device\b",
    ),
    "hipaa-privacy": rx(
        r"\bHIPAA\b",
        r"\bprivacy\b",
        r"\bPHI\b",
        r"\bprotected health "
        r"information",
        r"\bconsent\b",
        r"\bBAAs?\b",
    ),
    "clinical-risk-management": rx(
        r"\bpatient safety\b",
        r"\brisk management\b",
        r"\bhazard",
        r"\bISO\s?14971\b",
        r"\bclinical risk\b",
        r"\badverse events?\b",
    ),
    "quality-systems": rx(
        r"\bquality (management )?system",
        r"\bQMS\b",
        r"\bdesign controls?\b",
        r"\bISO\s?13485\b",
        r"\bIEC\s?62304\b",
        r"\bCAPA\b",
        r"\btraceability\b",
        r"\baudits?\b",
    ),
    "product-analytics": rx(
        r"\banalytics\b",
        r"\bmetrics\b",
        r"\bKPIs?\b",
        r"\bSQL\b",
        r"\bdata[- ]driven\b",
        r"\bdashboards?\b",
        r"\bA/B test",
    ),
    "clinical-evidence": rx(
        r"\bclinical (evidence|validation|studies|study|trials?|outcomes)",
        r"\breal[- ]world evidence\b",
        r"\bRWE\b",
        r"\bpilots?\b",
        r"\bpeer[- ]reviewed\b",
        r"\boutcomes research\b",
    ),
    "safe-experimentation": rx(
        r"\bexperiment(s|ation)\b", r"\bA/B test", r"\bhypothes[ie]s\b", r"\btest[- ]and[- ]learn\b"
    ),
    "health-equity": rx(
        r"\bhealth equity\b",
        r"\bequit(y|able)\b",
        r"\bunderserved\b",
        r"\bdisparities\b",
        r"\bsocial determinants\b",
        r"\bSDOH\b",
        r"\bhealth literacy\b",
        r"\blanguage access\b",
    ),
    "stakeholder-alignment": rx(
        r"\bstakeholders?\b",
        r"\bcross-functional(ly)?\b",
        r"\balign(ment|ing)?\b",
        r"\bpartner(ing)? with\b",
    ),
    "clinician-co-design": rx(
        r"\b(with|alongside) (clinicians|physicians|nurses|"
        r"clinical (teams|leaders|experts|advisors))",
        r"\bclinical (advisory|champions?|partners)",
        r"\bco-?design\b",
        r"\bmedical directors?\b",
    ),
    "executive-communication": rx(
        r"\bexecutives?\b",
        r"\bC-suite\b",
        r"\bleadership team\b",
        r"\bboard\b",
        r"\b(written|verbal) communication",
        r"\bcommunication skills\b",
        r"\bstorytell",
    ),
    "people-leadership": rx(
        r"\b(manage|lead|build|grow|hire|coach|mentor)(s|ing)? (and "
        r"\w+ )?(a |the )?(team of )?(\w+ )?(product managers|PMs)\b",
        r"\bdirect reports?\b",
        r"\bpeople (management|leader)",
        r"\blead (a|the) (\w+ )?team of\b",
        r"\(\d+ people\)",
        r"\bmentor(ing)?\b",
    ),
    "business-strategy": rx(
        r"\bP&L\b",
        r"\bprofit and loss\b",
        r"\brevenue\b",
        r"\bbusiness (case|model|strategy)",
        r"\bpricing\b",
        r"\bunit economics\b",
        r"\bbudgets?\b",
        r"\$\d+(\.\d+)?\s?[MB]\b",
    ),
    "change-management": rx(
        r"\bchange management\b",
        r"\badoption\b",
        r"\bimplementation\b",
        r"\bgo-?lives?\b",
        r"\btraining\b",
        r"\brollouts?\b",
    ),
    "interoperability": rx(
        r"\binteroperab",
        r"\bFHIR\b",
        r"\bHL7\b",
        r"\bAPIs?\b",
        r"\bintegrations?\b",
        r"\bdata exchange\b",
    ),
    "ai-ml-literacy": rx(
        r"\b(AI|ML)\b",
        r"\bmachine learning\b",
        r"\bartificial intelligence",
        r"\bLLMs?\b",
        r"\bgenerative AI\b",
        r"\bmodels?\b(?= (performance|"
        r"validation|monitoring|development))",
        r"\balgorithms?\b",
    ),
    "security": rx(
        r"\bsecurity\b", r"\bcybersecurity\b", r"\bSOC ?2\b", r"\bHITRUST\b", r"\bthreat model"
    ),
    "technical-architecture": rx(
        r"\btechnical (background|depth|acumen|architecture)",
        r"\barchitecture\b",
        r"\bcloud\b",
        r"\bplatforms?\b",
        r"\bengineering (teams|partners|background)",
        r"\bSaaS\b",
    ),
}
