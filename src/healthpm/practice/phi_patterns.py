"""The shapes and cue words the PHI guard looks for (healthpm.practice.phi uses them).

Kept apart from the logic so each pattern can be read, and its reason given, on its own.
Letters include Latin-1 and Latin Extended-A and Additional, so "Sørbø", "Iñiguez",
"Wróblewska" and "Phạm" are names like "Smith".
"""

from __future__ import annotations

import re

UP = "A-ZÀ-ÖØ-ÞĀ-ɏḀ-ỿ"
LOW = "a-zß-öø-ÿĀ-ɏḀ-ỿ"

MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
# A day-level date: the part of a date that Safe Harbor removes (a year alone may stay).
FULL_DATE = (
    r"(?:\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})(?![\d/.-]\d)"  # 3/4/1961, 02-11-24, 4.12.58
    r"|\d{4}[/.-]\d{1,2}[/.-]\d{1,2}"  # 2024-02-11
    rf"|{MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:\d{{4}}|'\d{{2}})"  # March 4, 1961; Mar 4 '19
    rf"|\d{{1,2}}(?:st|nd|rd|th)?(?:\s+of)?[\s-]+{MONTH}[\s,-]+(?:\d{{4}}|'?\d{{2}})(?!\d))"
)
# Month and day without a year ("5/17", "Sept 24"): a date only right after a cue.
PARTIAL_DATE = rf"(?:\d{{1,2}}/\d{{1,2}}(?![/\d])|{MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?![\d,]))"
DATE_CUE = (
    r"(?:DOB|D\.O\.B\.?|date of birth|birth ?date|birthday|born(?: on)?"
    r"|(?:re)?admitted(?: on)?|admission(?: date)?|date of admission|discharged(?: on)?"
    r"|date of death|DOD|died(?: on)?|passed away(?: on)?|date of service|DOS|b\."
    r"|seen(?: in clinic)? on|seen|surgery(?: was)? on|visit(?: was)? on|appointment on)"
)
DATE_WITH_CUE = re.compile(
    rf"\b{DATE_CUE}\s*(?:[:,#-]|was|is|of)?\s*(?:on\s+)?"
    rf"(?P<date>{FULL_DATE}|\d{{8}}(?!\d)|{PARTIAL_DATE})",
    re.IGNORECASE,
)
ANY_FULL_DATE = re.compile(rf"(?<![\w/.-]){FULL_DATE}")
# In a text about an identified person, month-level dates are theirs too ("visit date 6/17",
# "21 Nov", "the 3rd of February", "April 2023", "b. 11/1988"); a year alone may stay.
ANY_PARTIAL_DATE = re.compile(
    rf"(?<![\w/.-])(?:(?:0?[1-9]|1[0-2])/(?:0?[1-9]|[12]\d|3[01])(?![/\d])"
    rf"|(?:0?[1-9]|1[0-2])/(?:19|20)\d\d(?!\d)"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?(?:\s+of)?\s+{MONTH}(?![a-z])"
    rf"|{MONTH}\s+(?:\d{{1,2}}(?:st|nd|rd|th)?(?![\d,])|(?:19|20)\d\d))"
)

SURNAME = rf"(?:[{UP}]'|Mc|Mac)?[{UP}][{LOW}]+(?:-[{UP}][{LOW}]+)?"
GIVEN = rf"[{UP}][{LOW}]+"
HONORIFIC = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?"
# "Walter 'Buddy' Kincaid"; "Gustavo da Silva"
NICK = rf"[\"'\u2018\u201c][{UP}][{LOW}]+[\"'\u2019\u201d]"
PARTICLE = r"(?:da|de|del|della|di|dos|das|du|van|von|der|den|le|la|bin|ibn|al|el|ter)"
# A name ends at a non-letter; a possessive "'s" may follow ("Mr. Grant's scale").
_END = r"(?!\w)(?!'(?!s\b)\w)"
# "Mrs. Hollis", "Margaret Hollis", "Ana María Ruiz", "Joe P. Park"
NAME = re.compile(
    rf"(?<![\w-])(?<!\w')(?:{HONORIFIC}\s+(?:[{UP}]\.?\s+)?(?:{GIVEN}\s+){{0,2}}{SURNAME}"
    rf"|{GIVEN}\s+(?:{NICK}\s+)?(?:{GIVEN}\s+)?(?:[{UP}]\.\s+)?(?:{PARTICLE}\s+)?{SURNAME}){_END}"
)
SINGLE_NAME = re.compile(rf"(?<![\w-])(?<!\w'){GIVEN}{_END}")
# A lay honorific with a surname is how answers refer to a patient or a relative; "Dr. Chen"
# is usually a colleague, so a doctor's name never counts on its own.
LAY_HONORIFIC_NAME = re.compile(r"^(?:Mr|Mrs|Ms|Miss|Mx)\.?\s")
# Words that introduce a person ("my patient Margaret Hollis", "a user, Tobias Lind").
PERSON_CUE = re.compile(
    r"\b(?:patient|pt|resident|client|member|veteran|user|caller|tester|enrollee|participant"
    r"|named|called|name is|name was|name|signed|maiden name|case of)\s*[:,]?\s+(?:was\s+)?"
    "[\"'\u2018\u201c]?$",
    re.IGNORECASE,
)
# Family words: these introduce a person even by first name alone ("his wife Graciela").
RELATION_CUE = re.compile(
    r"\b(?:mother|mom|father|dad|husband|wife|son|daughter|brother|sister|aunt|uncle"
    r"|grandmother|grandfather|grandma|grandpa|widow|widower|partner|spouse|caregiver"
    r"|niece|nephew|cousin|granddaughter|grandson)\s*,?\s+$",
    re.IGNORECASE,
)
# "Margaret Hollis, 67," / "Margaret Hollis (67)" / "Margaret Hollis, a 67-year-old"
AGE_AFTER = re.compile(r"^\s*(?:,\s*(?:an?\s+)?|\(\s*)\d{1,3}(?:\s*\)|[\s,-]|-year)")
# "Maria Gonzalez, our head of clinical operations", "Lena Fischer from nephrology": a
# colleague in a professional role, not a patient.
_ROLE = (
    r"(?:head|lead|director|manager|chief|VP|vice|engineer|analyst|designer|scientist|architect"
    r"|CMIO|CMO|CNO|CEO|CTO|COO|CFO|PM|product|data|clinical|medical|nursing|regulatory"
    r"|quality|compliance|privacy|security|informatics|operations|research|founder|co-founder"
    r"|colleague|champion|sponsor|advisor|consultant|counsel|attorney|officer)\b"
)
PROFESSIONAL_AFTER = re.compile(
    rf"^\s*(?:,\s*(?:our|the|a|my)\s+(?:[a-z-]+\s+)?(?i:{_ROLE})|\(\s*(?:our|the)\s+(?i:{_ROLE})"
    r"|,\s*(?:RN|MD|DO|PharmD|NP|PA|CMIO|CMO|CNO|CEO|CTO|COO|CFO|VP)\b"
    r"|\s+from\s+(?:our\s+|the\s+)?[a-z]+(?:ology|ics|ing|ment|ations?|care)\b)",
)
# "our compliance officer, Mrs. Achterberg", "our CMIO, Dr. Lena Fischer"
PROFESSIONAL_BEFORE = re.compile(
    rf"\b(?:our|the|my)\s+(?:[a-z-]+\s+){{0,2}}(?i:{_ROLE}|officer|nurse manager)\s*,?\s*$"
)
# "Tomasz, the son of our patient": a first name a family word follows.
RELATION_AFTER = re.compile(
    r"^,\s*(?:the|her|his|their|our patient's)\s+(?:son|daughter|husband|wife|mother|father"
    r"|brother|sister|partner|spouse|caregiver|grandson|granddaughter|niece|nephew)\b"
)
# Capitalized words that are not people (sentence starts, roles, teams, places of care).
NOT_NAME_WORDS = frozenset(
    str.split(
        """The A An Our My We Patient Patients Product Manager Clinical Care Team Chief Medical
        Officer Nurse Doctor Health Hospital Center Clinic Epic Cerner When If In On After
        Before Then This That Each Every One Last Next Mr Mrs Ms Dr Miss Mx Monday Tuesday
        Wednesday Thursday Friday Saturday Sunday January February March April May June July
        August September October November December Type Class Medicare Medicaid Emergency
        Department Unit Safety Quality Primary Urgent General Family Internal Street Avenue
        Road County State Regional Memorial University Community Services Program Plan
        Insurance Pharmacy She He They Her His Their It Its Also And But So Yes No Dear Hello
        Hi Per Re Resident Client Member Veteran Mother Father Husband Wife Son Daughter
        Grandmother Grandfather Brother Sister Aunt Uncle Caller User Tester What How Why
        Where Who Which While Since Because During Once Take Later Today Yesterday Tomorrow
        North South East West Center Centre Medical Labs Lab Systems Inc Corp Group Partners
        Foundation Institute School College Network Health System Services Solutions Research
        Trust Board Council Committee Division Office Portal App Apple Google Amazon Microsoft
        Anthem Aetna Cigna Humana Kaiser Optum United Blue Cross Shield FDA CMS HHS ONC OCR
        NHS VA ICU ED ER OR PT OT Bed Room Ward Floor Wing Suite Building Lot Batch Grandpa
        Grandma Mom Dad Imagine Say Suppose Picture Consider Meet Baba Nana Auntie Test"""
    )
)
ID_CUE = re.compile(
    r"\b(?:MRNs?|M\.R\.N\.?|med(?:ical)?\.?\s+rec(?:ord)?s?\.?(?:\s+(?:numbers?|no\.?|num|#))?"
    r"|charts?(?:\s+(?:numbers?|no\.?|num|#))?|record\s+(?:numbers?|no\.?|#)"
    r"|(?:pharmacy\s+)?account(?:\s+(?:numbers?|no\.?|#))?|acct\.?(?:\s*(?:no\.?|#))?"
    r"|patient\s+(?:id|identifier|number|no\.?|#)|member\s+(?:id|number|no\.?|#)"
    r"|subscriber\s+(?:id|number)|policy\s+(?:number|no\.?|#)|claim\s+(?:numbers?|no\.?|#|id)"
    r"|encounter\s+(?:id|number|no\.?|#)|medicare\s+(?:number|id|card)|MBI|Rx\s+(?:number|#)"
    r"|medicaid\s+(?:id|number)|(?:device\s+)?serial\s+(?:number|no\.?|#)"
    r"|health[\s-]+plan\s+(?:id|number)|(?:wristband\s+)?barcode)",
    re.IGNORECASE,
)
# Weaker cues: the number must be longer to count ("claim 88-301-22765", not "claim batch 7730-22").
WEAK_ID_CUE = re.compile(r"\b(?:[Cc]laim|[Ss]erial|ID|member)\s*[:#,]?\s*")
ZIP = re.compile(r"\b(?:ZIP|zip)(?:\s+code)?\s*[:#]?\s*(?P<zip>\d{5}(?:-\d{4})?)\b")
URL = re.compile(r"\bhttps?://[^\s<>\"')\]]+")
HANDLE = re.compile(r"(?<![\w.@])@[A-Za-z0-9_]{3,30}\b|\busername\s*[:,]?\s+[\w.-]{3,40}")
# Shared inboxes of organisations, not a person's address.
ROLE_EMAIL = re.compile(
    r"^(?:feedback|help|helpdesk|support|info|contact|privacy|security|no-?reply|admin|team"
    r"|hello|compliance|it|service|services|billing|appointments|press|media|careers|jobs"
    r"|member-?services|customer-?service|records|hr)@",
    re.IGNORECASE,
)
# What a phone number looks like in North America, or an international number with a +.
PHONE_SHAPE = re.compile(
    r"^(?:\+\d[\d\s().-]{6,}|(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}"
    r"(?:\s*(?:x|ext\.?)\s*\d+)?|\d{3}[\s.-]\d{4})$"
)
# "at 555.013.4478", "from (617) 555-0199": a weak cue, so the number must look North American.
WEAK_PHONE_CUE = re.compile(r"\b(?:at|from|on)\s*$", re.IGNORECASE)
# "the IT help desk at 555-010-2000": an organisation's line.
ORG_LINE = re.compile(
    r"\b(?:desk|line|hotline|switchboard|office|services|support|center|centre)"
    r"\s*(?:at|on|is|number|:)?\s*$",
    re.IGNORECASE,
)
NANP = re.compile(r"(?<![\w/.-])\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}(?![\w/-])")
# Something shaped like a record number: optional letters, then digits with separators.
ID_TOKEN = re.compile(
    r"(?<![\w-])#?(?:[A-Z]{1,4}[-#\s]?)?\d[\dA-Z]*(?:[-\s.][\dA-Z]+){0,4}(?![\w-])"
)
# Medicare Beneficiary Identifier: 11 characters in a fixed letter/digit pattern.
MBI = re.compile(r"\b[1-9][A-Z][A-Z0-9]\d-?[A-Z][A-Z0-9]\d-?[A-Z]{2}\d{2}\b")
EMAIL = re.compile(r"\b[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
SSN = re.compile(
    r"\b(?:(?!000|666|9\d\d)\d{3}([- ])(?!00)\d{2}\1(?!0000)\d{4}"
    r"|(?<=SSN )\d{9}|(?<=SSN: )\d{9}|(?<=SSN# )\d{9}|(?<=SSN is )\d{9})\b"
)
STREET = (
    r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl"
    r"|Terrace|Ter|Parkway|Pkwy|Highway|Hwy|Circle|Cir)"
)
ADDRESS = re.compile(
    rf"\b\d{{1,6}}\s+(?:[NSEW]\.?\s+)?(?:[{UP}][{LOW}]+\s+){{1,3}}{STREET}\b\.?"
    r"(?:,?\s+(?:Apt|Apartment|Unit|Suite|Flat|#)\.?\s*\w+)?"
    rf"(?:,\s*(?:[{UP}][{LOW}]+\s?){{1,3}},?\s+[A-Z]{{2}}(?:\s+\d{{5}}(?:-\d{{4}})?)?)?"
    r"(?:,\s*\d{5}(?:-\d{4})?\b)?"
)
# "Springfield, IL 62704", "P.O. Box 1182": the town with its ZIP, or a post-office box.
CITY_ZIP = re.compile(
    rf"\b(?:[{UP}][{LOW}]+\s){{0,2}}[{UP}][{LOW}]+,\s+[A-Z]{{2}}\s+\d{{5}}(?:-\d{{4}})?\b"
    r"|\bP\.?\s?O\.?\s+Box\s+\d{1,6}\b",
)
# A phone number right after a word that introduces one, in any national format.
PHONE_CUE = re.compile(
    r"\b(?:call(?:ed)?(?: from| at)?|text(?:ed)?(?: from| at)?|phone(?: number)?|cell|mobile"
    r"|tel\.?|fax|contact(?: at| number)?|reach (?:him|her|them|me) at|number)\s*[:,]?\s*$",
    re.IGNORECASE,
)
PHONE_TOKEN = re.compile(r"\+?\(?\d[\d\s().-]{5,16}\d")
# "555-0143" in a signature: a local number without an area code (counted only in a text
# that already identifies someone: alone, "Public Act 104-0054" has the same shape).
LOCAL_PHONE = re.compile(r"(?<![\w/.#-])\d{3}-\d{4}(?![\w/-])")
# Toll-free numbers belong to organisations (poison control, a nurse line), not to people.
TOLL_FREE = re.compile(r"^\D*(?:1\D*)?8(?:00|33|44|55|66|77|88)\D")
# Product and billing codes whose digits can look like a phone number.
CODE_BEFORE = re.compile(
    r"\b(?:NDC|lot|batch|CPT|HCPCS|ICD(?:-10)?|LOINC|SKU|UDI|K|ticket|version)\s*[:#]?\s*$",
    re.IGNORECASE,
)
