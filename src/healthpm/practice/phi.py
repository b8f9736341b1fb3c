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

from healthpm.practice import phi_patterns as pat

PLACEHOLDERS = {
    "name": "[NAME]",
    "date": "[DATE]",
    "mrn": "[MRN]",
    "phone": "[PHONE]",
    "email": "[EMAIL]",
    "address": "[ADDRESS]",
    "ssn": "[SSN]",
    "zip": "[ZIP]",
    "url": "[URL]",
    "username": "[USERNAME]",
}


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
    for word in re.finditer(rf"(?<![\w-])(?<!\w')[{pat.UP}]", text[lo:hi]):
        match = pat.NAME.match(text, lo + word.start(), hi)
        if match is not None:
            yield match


def _is_name(text: str) -> bool:
    words = text.replace(".", " ").split()
    return not any(w in pat.NOT_NAME_WORDS for w in words if w not in ("Mr", "Mrs", "Ms", "Dr"))


def _professional(text: str, match: re.Match[str]) -> bool:
    """A colleague in a role ("Dr. Lena Fischer", "Maria Gonzalez, our head of ops")."""
    before = text[max(0, match.start() - 40) : match.start()]
    return (
        match.group(0).startswith("Dr")
        or before.rstrip().endswith(("Dr.", "Dr"))
        or pat.PROFESSIONAL_AFTER.match(text[match.end() : match.end() + 60]) is not None
        or pat.PROFESSIONAL_BEFORE.search(before) is not None
    )


def _name_near(text: str, start: int, end: int) -> tuple[int, int] | None:
    """A person's name in the same sentence as an identifier ("John Smith, DOB ...")."""
    window_start = max(0, start - 80)
    sentence_start = max(text.rfind(". ", window_start, start), text.rfind("\n", 0, start))
    best: tuple[int, int] | None = None
    for match in _candidates(text, max(window_start, sentence_start + 1), start):
        if _is_name(match.group(0)) and not _professional(text, match):
            best = (match.start(), match.end())
    if best is None:
        # "DOB 3/4/1961 (Walter Price)": a name right after the identifier.
        after = pat.NAME.search(text, end, min(len(text), end + 40))
        if after and _is_name(after.group(0)) and not text[end : after.start()].strip(" ,;(:-"):
            best = (after.start(), after.end())
    return best


def _introduced_names(text: str, anywhere: bool) -> Iterator[PhiFinding]:
    """Names a cue introduces ("my patient Ana Ruiz"), with an age after them, or "Mrs. X".

    `anywhere`: the text already holds an identifier or a named person, so every other
    person-shaped name in it (not a colleague in a role) is taken as one too.
    """
    for match in _candidates(text):
        name = match.group(0)
        before = text[max(0, match.start() - 30) : match.start()]
        # "our patient Dr. Ishikawa": a cue makes even a doctor a patient.
        patient = pat.PERSON_CUE.search(before) is not None
        if not _is_name(name) or (_professional(text, match) and not patient):
            continue
        cued = (
            pat.LAY_HONORIFIC_NAME.match(name) is not None
            or pat.PERSON_CUE.search(before) is not None
            or pat.RELATION_CUE.search(before) is not None
            or pat.AGE_AFTER.match(text[match.end() :]) is not None
        )
        if cued or anywhere:
            yield PhiFinding("name", match.start(), match.end(), name)
    for match in pat.SINGLE_NAME.finditer(text):
        before = text[max(0, match.start() - 30) : match.start()]
        related = pat.RELATION_CUE.search(before) or pat.RELATION_AFTER.match(text[match.end() :])
        if match.group(0) not in pat.NOT_NAME_WORDS and related:
            yield PhiFinding("name", match.start(), match.end(), match.group(0))


def _record_numbers(text: str) -> Iterator[PhiFinding]:
    """Numbers after a record cue ("chart number, CH-558213", "MRNs (A and B)").

    A weak cue ("claim", "serial", "ID") needs a longer number than a strong one ("MRN").
    """
    for cue_pattern, min_digits, reach in ((pat.ID_CUE, 5, 48), (pat.WEAK_ID_CUE, 7, 4)):
        for cue in cue_pattern.finditer(text):
            window = text[cue.end() : cue.end() + 48]
            stop = re.search(r"[.;]\s|\n", window)
            window = window[: stop.start()] if stop else window
            for token in pat.ID_TOKEN.finditer(window):
                digits = sum(ch.isdigit() for ch in token.group(0))
                if token.start() <= reach and min_digits <= digits <= 14:
                    if pat.PHONE_CUE.search(window[: token.start()]):
                        break  # "MRN 4471-0926, called 415-555-0134": the rest is a phone
                    start = cue.end() + token.start()
                    yield PhiFinding("mrn", start, cue.end() + token.end(), token.group(0))


def _phones(text: str) -> Iterator[PhiFinding]:
    for number in phonenumbers.PhoneNumberMatcher(text, "US", phonenumbers.Leniency.VALID):
        if _personal_number(text, number.start, number.raw_string):
            yield PhiFinding("phone", number.start, number.end, number.raw_string)
    for hit in pat.PHONE_TOKEN.finditer(text):
        digits = sum(ch.isdigit() for ch in hit.group(0))
        before = text[max(0, hit.start() - 25) : hit.start()]
        if not 7 <= digits <= 15 or not _not_a_code(text, hit.start(), hit.group(0)):
            continue
        shaped = pat.PHONE_SHAPE.match(hit.group(0).strip()) is not None
        if pat.PHONE_CUE.search(before) or (shaped and pat.WEAK_PHONE_CUE.search(before)):
            yield PhiFinding("phone", hit.start(), hit.end(), hit.group(0).strip())


def _not_a_code(text: str, start: int, raw: str) -> bool:
    """Not toll-free (an organisation's line), not a product or billing code (NDC, lot...)."""
    before = text[max(0, start - 24) : start]
    return not (
        pat.TOLL_FREE.match(raw)
        or pat.CODE_BEFORE.search(before)
        or "NDC" in before
        or pat.ORG_LINE.search(before)
    )


def _personal_number(text: str, start: int, raw: str) -> bool:
    """Shaped like a phone number and not an organisation's line or a code."""
    return pat.PHONE_SHAPE.match(raw.strip()) is not None and _not_a_code(text, start, raw)


def _simple(kind: str, pattern: re.Pattern[str], text: str) -> Iterator[PhiFinding]:
    for match in pattern.finditer(text):
        yield PhiFinding(kind, match.start(), match.end(), match.group(0))


def _identifiers(text: str) -> list[PhiFinding]:
    found = [
        *_simple("ssn", pat.SSN, text),
        *_simple("mrn", pat.MBI, text),
        *_record_numbers(text),
        *(f for f in _simple("email", pat.EMAIL, text) if not pat.ROLE_EMAIL.match(f.text)),
        *(PhiFinding("zip", *m.span("zip"), m.group("zip")) for m in pat.ZIP.finditer(text)),
        *_simple("address", pat.ADDRESS, text),
        *_simple("address", pat.CITY_ZIP, text),
        *_phones(text),
    ]
    for match in pat.DATE_WITH_CUE.finditer(text):
        start, end = match.span("date")
        found.append(PhiFinding("date", start, end, match.group("date")))
    return found


def _names(text: str, identifiers: list[PhiFinding]) -> list[PhiFinding]:
    names = list(_introduced_names(text, anywhere=False))
    for f in identifiers:
        near = _name_near(text, f.start, f.end)
        if near is not None:
            names.append(PhiFinding("name", near[0], near[1], text[near[0] : near[1]]))
    if identifiers or names:
        names += _introduced_names(text, anywhere=True)
    return names


def _later_mentions(text: str, names: list[PhiFinding]) -> Iterator[PhiFinding]:
    """Every other mention of a detected person: full name, surname or first name, titled or not."""
    parts: set[str] = set()
    for f in names:
        words = [w for w in f.text.replace(".", " ").split() if len(w) > 1]
        parts.update(w for w in words if w not in pat.NOT_NAME_WORDS)
    if not parts:
        return
    alternatives = "|".join(sorted(map(re.escape, parts), key=len, reverse=True))
    pattern = re.compile(
        rf"(?<![\w-])(?:{pat.HONORIFIC}\s+)?(?:{alternatives})(?![\w-])"
        rf"(?:\s+(?:{alternatives})(?![\w-]))?"
    )
    for match in pattern.finditer(text):
        yield PhiFinding("name", match.start(), match.end(), match.group(0))


def _theirs(text: str, people: list[PhiFinding]) -> Iterator[PhiFinding]:
    """Once a text names or identifies someone, its dates finer than a year, phone-shaped
    numbers, web addresses and user names are taken as theirs (Safe Harbor: every date and
    every identifying number or address tied to the person)."""
    if not people:
        return
    yield from _simple("date", pat.ANY_FULL_DATE, text)
    yield from _simple("date", pat.ANY_PARTIAL_DATE, text)
    yield from _simple("url", pat.URL, text)
    yield from _simple("username", pat.HANDLE, text)
    for shape in (pat.LOCAL_PHONE, pat.NANP):
        for hit in shape.finditer(text):
            if _personal_number(text, hit.start(), hit.group(0)):
                yield PhiFinding("phone", hit.start(), hit.end(), hit.group(0))


def _merge_overlaps(text: str, findings: list[PhiFinding]) -> list[PhiFinding]:
    """One finding per stretch of text: overlapping ones merge under the earliest's kind
    (an SSN is not also a phone; "Imagine Mrs." and "Mrs. Hollis" become one name)."""
    kept: list[PhiFinding] = []
    for f in sorted(findings, key=lambda f: (f.start, -(f.end - f.start))):
        if kept and f.start < kept[-1].end:
            last = kept[-1]
            if f.end > last.end:
                kept[-1] = PhiFinding(last.kind, last.start, f.end, text[last.start : f.end])
            continue
        kept.append(f)
    return kept


def find_phi(text: str) -> list[PhiFinding]:
    """Every suspected identifier in the text, in reading order, without overlaps.

    Identifiers with a shape come first (SSN, MBI, record numbers after a cue, email,
    address, phone, a date after a cue such as DOB); then the people they belong to (a name
    beside one of them, a name a cue introduces, "Mrs. Hollis", and once anyone is identified,
    every other person-shaped name that is not a colleague in a role); then every other
    mention of those people and every day-level date in the text, so that a later "Margaret"
    or "seen again on 1/16/2024" is not left behind when the text is redacted.
    """
    identifiers = _identifiers(text)
    names = _names(text, identifiers)
    people = [*identifiers, *names]
    return _merge_overlaps(text, [*people, *_later_mentions(text, names), *_theirs(text, people)])


def warnings_for(text: str) -> list[str]:
    """The findings as one masked line each (what Feedback.phi_warning carries)."""
    return [f.describe() for f in find_phi(text)]


def redact(text: str) -> str:
    """The text with each suspected identifier replaced by its placeholder."""
    out = text
    for f in reversed(find_phi(text)):
        out = out[: f.start] + PLACEHOLDERS[f.kind] + out[f.end :]
    return out
