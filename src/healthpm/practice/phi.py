"""PHI guard: warn when a practice answer seems to carry protected health information.

Users paste real cases into answers. Before an answer is stored we look for the HIPAA Safe
Harbor identifiers that show up in such pastes: a person's name next to a date of birth or
admission date, medical record numbers, phone numbers, email addresses, street addresses and
Social Security numbers. `find_phi` lists them (masked, so the warning itself leaks nothing)
and `redact` replaces each with a placeholder such as [NAME] or [MRN].

Why regular expressions plus `phonenumbers` rather than Microsoft Presidio: Presidio's
recognizers need a spaCy language model, which is downloaded from a model hub or GitHub
release, not installable offline from the registries this project may use, and it would add
hundreds of megabytes and seconds of start-up for a check that runs on every answer. The
identifiers that matter here have a shape (a label such as "MRN" or "DOB" followed by a
number or date, an email, a phone number), so patterns anchored on those labels are precise
and cheap; phone numbers use Google's libphonenumber port, which validates real numbering
plans and so ignores CPT codes, percentages and counts. The trade-off is recall on bare
names without any date or identifier next to them; those are not flagged on purpose, because
interview answers are full of capitalized product, company and role names.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import phonenumbers

PLACEHOLDERS = {
    "name": "[NAME]",
    "date": "[DATE]",
    "mrn": "[MRN]",
    "phone": "[PHONE]",
    "email": "[EMAIL]",
    "address": "[ADDRESS]",
    "ssn": "[SSN]",
}

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DATE = (
    r"(?:\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})"  # 3/4/1961, 02-11-24, 4.12.58
    r"|\d{4}[/.-]\d{1,2}[/.-]\d{1,2}"  # 2024-02-11
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"  # March 4, 1961
    rf"|\d{{1,2}}(?:st|nd|rd|th)?(?:\s+of)?[\s-]+{_MONTH}[\s,-]+\d{{2,4}}"  # 4 March 1961
    r"|\d{8})"  # 04121958, only ever read after a cue
)
_DATE_CUE = (
    r"(?:DOB|D\.O\.B\.?|date of birth|birth ?date|birthday|born(?: on)?"
    r"|admitted(?: on)?|admission(?: date)?|date of admission|discharged(?: on)?"
    r"|date of death|DOD|died(?: on)?|date of service|DOS|seen(?: in clinic)? on"
    r"|surgery(?: was)? on|visit(?: was)? on)"
)
DATE_WITH_CUE = re.compile(
    rf"\b{_DATE_CUE}\s*(?:[:,#-]|was|is|of)?\s*(?:on\s+)?(?P<date>{_DATE})(?!\d)",
    re.IGNORECASE,
)
_SURNAME = r"(?:[A-Z]'|Mc|Mac)?[A-Z][a-z]+(?:-[A-Z][a-z]+)?"
_HONORIFIC = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?"
NAME = re.compile(
    rf"\b(?:{_HONORIFIC}\s+(?:[A-Z]\.?\s+)?{_SURNAME}"
    rf"|[A-Z][a-z]+\s+(?:[A-Z]\.\s+)?{_SURNAME})"
)
# A lay honorific with a surname ("Mrs. Hollis") is how answers refer to a patient or a
# relative; "Dr. Chen" is usually a colleague, so it counts only beside another identifier.
LAY_HONORIFIC_NAME = re.compile(rf"\b(?:Mr|Mrs|Ms|Miss|Mx)\.?\s+(?:[A-Z]\.?\s+)?{_SURNAME}")
# Words that introduce a person: "my patient Margaret Hollis", "a resident named Joe Park".
_PERSON_CUE = re.compile(
    r"\b(?:patient|pt|resident|client|member|veteran|mother|father|husband|wife|son|daughter"
    r"|grandmother|grandfather|named|called)\s*[:,]?\s+$",
    re.IGNORECASE,
)
# "Margaret Hollis, 67," / "Margaret Hollis (67)" / "Margaret Hollis, a 67-year-old"
_AGE_AFTER = re.compile(r"^\s*(?:,\s*(?:an?\s+)?|\(\s*)\d{1,3}(?:\s*\)|[\s,-]|-year)")
# Capitalized words that are not people (sentence starts, roles, teams, places of care).
_NOT_NAME_WORDS = frozenset(
    str.split(
        """The A An Our My We Patient Patients Product Manager Clinical Care Team Chief Medical
    Officer Nurse Doctor Health Hospital Center Clinic Epic Cerner When If In On After Before
    Then This That Each Every One Last Next Mr Mrs Ms Dr Miss Mx Monday Tuesday Wednesday
    Thursday Friday Saturday Sunday January February March April May June July August
    September October November December Type Class Medicare Medicaid Emergency Department
    Unit Safety Quality Primary Urgent General Family Internal Street Avenue Road County
    State Regional Memorial University Community Services Program Plan Insurance Pharmacy
    She He They Her His Their It Its Also And But So Yes No Dear Hello Hi Per Re Resident
        Client Member Veteran Mother Father Husband Wife Son Daughter Grandmother Grandfather"""
    )
)
_ID_CUES = (
    r"MRN|M\.R\.N\.?|med(?:ical)?\.?\s+rec(?:ord)?\.?(?:\s+(?:number|no\.?|num|#))?"
    r"|chart\s+(?:number|no\.?|num|#)|record\s+(?:number|no\.?|#)|account\s+(?:number|no\.?|#)"
    r"|patient\s+(?:id|identifier|number|no\.?|#)|member\s+(?:id|number|no\.?|#)"
    r"|encounter\s+(?:id|number|no\.?|#)|acct\.?\s*(?:no\.?|#)?"
)
# The number may carry separators ("4471-0926", "00 482 913") but holds 6-12 digits.
MRN = re.compile(
    rf"\b(?:{_ID_CUES})\s*(?:[:#]|is|was|of)?\s*#?\s*"
    r"(?P<num>[A-Z]{0,3}[-\s]?\d(?:[-\s.]?\d){5,11})(?![\d-])",
    re.IGNORECASE,
)
EMAIL = re.compile(r"\b[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
SSN = re.compile(
    r"\b(?:(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}"
    r"|(?<=SSN )\d{9}|(?<=SSN: )\d{9}|(?<=SSN# )\d{9})\b"
)
_STREET = (
    r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl"
    r"|Terrace|Ter|Parkway|Pkwy|Highway|Hwy|Circle|Cir)"
)
ADDRESS = re.compile(
    rf"\b\d{{1,6}}\s+(?:[NSEW]\.?\s+)?(?:[A-Z][a-z]+\s+){{1,3}}{_STREET}\b\.?"
    r"(?:,?\s+(?:Apt|Apartment|Unit|Suite|#)\.?\s*\w+)?"
    r"(?:,\s*(?:[A-Z][a-z]+\s?){1,3},?\s+[A-Z]{2}(?:\s+\d{5}(?:-\d{4})?)?)?"
)
# "Springfield, IL 62704", "P.O. Box 1182": the town with its ZIP, or a post-office box.
CITY_ZIP = re.compile(
    r"\b(?:[A-Z][a-z]+\s){0,2}[A-Z][a-z]+,\s+[A-Z]{2}\s+\d{5}(?:-\d{4})?\b"
    r"|\bP\.?\s?O\.?\s+Box\s+\d{1,6}\b",
)
# Toll-free numbers belong to organisations (poison control, a nurse line), not to people.
_TOLL_FREE = re.compile(r"^\D*(?:1\D*)?8(?:00|33|44|55|66|77|88)\D")


@dataclass(frozen=True)
class PhiFinding:
    """One suspected identifier: its kind, where it is, and the text it matched."""

    kind: str
    start: int
    end: int
    text: str

    @property
    def masked(self) -> str:
        """The matched text with most letters and digits hidden, safe to print or store."""
        return mask(self.text)

    def describe(self) -> str:
        """One line for a warning: kind and masked snippet."""
        return f"{self.kind}: {self.masked}"


def mask(text: str) -> str:
    """Keep the first letter of each word and the last two digits; hide the rest."""
    digits_seen = 0
    total_digits = sum(ch.isdigit() for ch in text)
    out: list[str] = []
    for i, ch in enumerate(text):
        if ch.isdigit():
            digits_seen += 1
            out.append(ch if digits_seen > total_digits - 2 and total_digits > 4 else "#")
        elif ch.isalpha():
            word_start = i == 0 or not text[i - 1].isalpha()
            out.append(ch if word_start else "*")
        else:
            out.append(ch)
    return "".join(out)


def _candidates(text: str, lo: int = 0, hi: int | None = None) -> Iterator[re.Match[str]]:
    """Name-shaped matches starting at every capitalized word, overlaps included.

    "Patient Aisha Bello" yields "Patient Aisha" and "Aisha Bello"; a plain finditer would
    consume "Aisha" in the first and never see the second.
    """
    hi = len(text) if hi is None else hi
    for word in re.finditer(r"\b[A-Z]", text[lo:hi]):
        match = NAME.match(text, lo + word.start(), hi)
        if match is not None:
            yield match


def _is_name(text: str) -> bool:
    words = text.replace(".", " ").split()
    return not any(w in _NOT_NAME_WORDS for w in words if w not in ("Mr", "Mrs", "Ms", "Dr"))


def _name_near(text: str, start: int, end: int) -> tuple[int, int] | None:
    """A person's name in the same sentence as an identifier ("John Smith, DOB ...")."""
    window_start = max(0, start - 80)
    sentence_start = max(text.rfind(". ", window_start, start), text.rfind("\n", 0, start))
    best: tuple[int, int] | None = None
    for match in _candidates(text, max(window_start, sentence_start + 1), start):
        if _is_name(match.group(0)):
            best = (match.start(), match.end())
    if best is None:
        # "DOB 3/4/1961 (Walter Price)": a name right after the identifier.
        after = NAME.search(text, end, min(len(text), end + 40))
        if after and _is_name(after.group(0)) and not text[end : after.start()].strip(" ,;(:-"):
            best = (after.start(), after.end())
    return best


def _introduced_names(text: str) -> Iterator[PhiFinding]:
    """Names a cue introduces ("my patient Ana Ruiz"), with an age after them, or "Mrs. X"."""
    for match in _candidates(text):
        name = match.group(0)
        if not _is_name(name):
            continue
        before = text[max(0, match.start() - 30) : match.start()]
        lay = LAY_HONORIFIC_NAME.fullmatch(name) is not None
        if lay or _PERSON_CUE.search(before) or _AGE_AFTER.match(text[match.end() :]):
            yield PhiFinding("name", match.start(), match.end(), name)


def _identifiers(text: str) -> list[PhiFinding]:
    found = [
        *_simple("ssn", SSN, text),
        *_mrns(text),
        *_simple("email", EMAIL, text),
        *_simple("address", ADDRESS, text),
        *_simple("address", CITY_ZIP, text),
        *_phones(text),
    ]
    for match in DATE_WITH_CUE.finditer(text):
        start, end = match.span("date")
        found.append(PhiFinding("date", start, end, match.group("date")))
    return found


def _names(text: str, identifiers: list[PhiFinding]) -> list[PhiFinding]:
    names = list(_introduced_names(text))
    for f in identifiers:
        near = _name_near(text, f.start, f.end)
        if near is not None:
            names.append(PhiFinding("name", near[0], near[1], text[near[0] : near[1]]))
    return names


def _later_mentions(text: str, names: list[PhiFinding]) -> Iterator[PhiFinding]:
    """Every other mention of a detected person: full name, surname or first name, titled or not."""
    parts: set[str] = set()
    for f in names:
        words = [w for w in f.text.replace(".", " ").split() if len(w) > 1]
        words = [w for w in words if w not in ("Mr", "Mrs", "Ms", "Miss", "Mx", "Dr")]
        parts.update(w for w in words if w not in _NOT_NAME_WORDS)
    if not parts:
        return
    alternatives = "|".join(sorted(map(re.escape, parts), key=len, reverse=True))
    pattern = re.compile(rf"\b(?:{_HONORIFIC}\s+)?(?:{alternatives})\b(?:\s+(?:{alternatives})\b)?")
    for match in pattern.finditer(text):
        yield PhiFinding("name", match.start(), match.end(), match.group(0))


def _mrns(text: str) -> Iterator[PhiFinding]:
    for match in MRN.finditer(text):
        digits = sum(ch.isdigit() for ch in match.group("num"))
        if 6 <= digits <= 12:
            yield PhiFinding("mrn", match.start(), match.end(), match.group(0))


def _phones(text: str) -> Iterator[PhiFinding]:
    for match in phonenumbers.PhoneNumberMatcher(text, "US", phonenumbers.Leniency.VALID):
        if not _TOLL_FREE.match(match.raw_string):
            yield PhiFinding("phone", match.start, match.end, match.raw_string)


def _simple(kind: str, pattern: re.Pattern[str], text: str) -> Iterator[PhiFinding]:
    for match in pattern.finditer(text):
        yield PhiFinding(kind, match.start(), match.end(), match.group(0))


def _drop_overlaps(findings: list[PhiFinding]) -> list[PhiFinding]:
    """Keep the earliest, then longest, finding where two overlap (an SSN is not a phone)."""
    kept: list[PhiFinding] = []
    for f in sorted(findings, key=lambda f: (f.start, -(f.end - f.start))):
        if kept and f.start < kept[-1].end:
            continue
        kept.append(f)
    return kept


def find_phi(text: str) -> list[PhiFinding]:
    """Every suspected identifier in the text, in reading order, without overlaps.

    Identifiers with a shape come first (SSN, MRN, email, address, phone, a date after a cue
    such as DOB); then the people they belong to (a name beside one of them, a name a cue
    introduces, "Mrs. Hollis"); then every other mention of those people, so that a later
    "Margaret" or "Mrs. Hollis" is not left behind when the text is redacted.
    """
    identifiers = _identifiers(text)
    names = _names(text, identifiers)
    return _drop_overlaps([*identifiers, *names, *_later_mentions(text, names)])


def warnings_for(text: str) -> list[str]:
    """The findings as one masked line each (what Feedback.phi_warning carries)."""
    return [f.describe() for f in find_phi(text)]


def redact(text: str) -> str:
    """The text with each suspected identifier replaced by its placeholder."""
    out = text
    for f in reversed(find_phi(text)):
        out = out[: f.start] + PLACEHOLDERS[f.kind] + out[f.end :]
    return out
