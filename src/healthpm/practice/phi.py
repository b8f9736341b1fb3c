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
    r"(?:\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})"  # 3/4/1961, 02-11-24
    r"|\d{4}-\d{2}-\d{2}"  # 2024-02-11
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"  # March 4, 1961
    rf"|\d{{1,2}}\s+{_MONTH}\s+\d{{4}})"  # 4 March 1961
)
_DATE_CUE = (
    r"(?:DOB|D\.O\.B\.?|date of birth|birth ?date|born(?: on)?"
    r"|admitted(?: on)?|admission(?: date)?|date of admission|discharged(?: on)?)"
)
DATE_WITH_CUE = re.compile(
    rf"\b{_DATE_CUE}\s*(?:[:,#]|was|is|of)?\s*(?:on\s+)?(?P<date>{_DATE})(?!\d)",
    re.IGNORECASE,
)
_SURNAME = r"[A-Z][a-z]+(?:[-'][A-Z][a-z]+)?"
NAME = re.compile(
    rf"\b(?:(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+(?:[A-Z]\.?\s+)?{_SURNAME}"
    rf"|[A-Z][a-z]+\s+(?:[A-Z]\.\s+)?{_SURNAME})"
)
# Capitalized pairs that are not people (sentence starts, roles, teams) are not names.
_NOT_NAME_WORDS = frozenset(
    [
        "The",
        "A",
        "An",
        "Our",
        "My",
        "We",
        "Patient",
        "Patients",
        "Product",
        "Manager",
        "Clinical",
        "Care",
        "Team",
        "Chief",
        "Medical",
        "Officer",
        "Nurse",
        "Doctor",
        "Health",
        "Hospital",
        "Center",
        "Clinic",
        "Epic",
        "Cerner",
        "When",
        "If",
        "In",
        "On",
        "After",
        "Before",
        "Then",
        "This",
        "That",
        "Each",
        "Every",
        "One",
        "Last",
        "Next",
        "Mr",
        "Mrs",
        "Ms",
        "Dr",
    ]
)
MRN = re.compile(
    r"\b(?:MRN|med(?:ical)?\.?\s+rec(?:ord)?\.?(?:\s+(?:number|no\.?|num|#))?|chart\s+(?:number|no\.?|#)"
    r"|patient\s+(?:id|identifier|number|no\.?|#))\s*(?:[:#]|is|was|of)?\s*#?\s*"
    r"(?P<num>[A-Z]{0,3}-?\d{7,10})\b",
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
)


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


def _name_before(text: str, cue_start: int) -> tuple[int, int] | None:
    """A person's name just before a date cue ("John Smith, DOB ..."), if there is one."""
    window_start = max(0, cue_start - 60)
    best: tuple[int, int] | None = None
    for match in NAME.finditer(text, window_start, cue_start):
        words = match.group(0).replace(".", " ").split()
        if any(w in _NOT_NAME_WORDS for w in words if not w.startswith(("Mr", "Ms", "Dr"))):
            continue
        gap = text[match.end() : cue_start]
        if re.fullmatch(r"[\s,()]*(?:\(?(?:was|is|has been|got|had been|who was)\s*)?", gap):
            best = (match.start(), match.end())
    return best


def _dates_and_names(text: str) -> Iterator[PhiFinding]:
    for match in DATE_WITH_CUE.finditer(text):
        name = _name_before(text, match.start())
        if name is not None:
            yield PhiFinding("name", name[0], name[1], text[name[0] : name[1]])
        start, end = match.span("date")
        yield PhiFinding("date", start, end, match.group("date"))


def _phones(text: str) -> Iterator[PhiFinding]:
    for match in phonenumbers.PhoneNumberMatcher(text, "US", phonenumbers.Leniency.VALID):
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
    """Every suspected identifier in the text, in reading order, without overlaps."""
    found = [
        *_simple("ssn", SSN, text),
        *_simple("mrn", MRN, text),
        *_simple("email", EMAIL, text),
        *_dates_and_names(text),
        *_simple("address", ADDRESS, text),
        *_phones(text),
    ]
    return _drop_overlaps(found)


def warnings_for(text: str) -> list[str]:
    """The findings as one masked line each (what Feedback.phi_warning carries)."""
    return [f.describe() for f in find_phi(text)]


def redact(text: str) -> str:
    """The text with each suspected identifier replaced by its placeholder."""
    out = text
    for f in reversed(find_phi(text)):
        out = out[: f.start] + PLACEHOLDERS[f.kind] + out[f.end :]
    return out
