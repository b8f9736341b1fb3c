"""`practice eval-flags`: does a red flag fire on the sentence that commits it, and stay quiet
on answers that only use its vocabulary?

A probe record is one answer written to test one flag:
{"id", "flag", "kind": "anti" | "safe", "question", "answer", "planted"}. An "anti" answer is
sound except for one sentence that commits the flag's mistake, copied into "planted"; a "safe"
answer covers the same ground without the mistake (often naming the tempting step only to
reject it, or with its safeguard). The answers are scored exactly as `practice score` scores
them (free-text question, shipped calibration). Writers of a probe never see the engine; see
data/corpus/PROTOCOL.md ("Flag probe").
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from healthpm.errors import DataFileError

KINDS = ("anti", "safe")


@dataclass(frozen=True)
class ProbeItem:
    id: str
    flag: str
    kind: str
    question: str
    answer: str
    planted: str = ""


@dataclass
class FlagTally:
    planted: int = 0
    caught: int = 0
    evidence_right: int = 0  # caught, quoting the planted sentence
    by_definition: int = 0  # caught by a sentence definition (exemplars.yaml)
    safe: int = 0
    false_alarms: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "planted": self.planted,
            "caught": self.caught,
            "evidence_right": self.evidence_right,
            "by_definition": self.by_definition,
            "safe": self.safe,
            "false_alarms": self.false_alarms,
            "recall": round(self.caught / self.planted, 4) if self.planted else None,
            "false_alarm_rate": round(self.false_alarms / self.safe, 4) if self.safe else None,
        }


@dataclass
class ProbeReport:
    flags: dict[str, FlagTally] = field(default_factory=dict)

    def total(self) -> FlagTally:
        out = FlagTally()
        for t in self.flags.values():
            for name in vars(out):
                setattr(out, name, getattr(out, name) + getattr(t, name))
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "flags": {f: t.to_json() for f, t in sorted(self.flags.items())},
            "total": self.total().to_json(),
        }


class _Scorer(Protocol):
    def prepare_many(self, items: Sequence[tuple[str, str | None, str | None]]) -> list[Any]: ...

    def finish(self, prepared: Any) -> Any: ...


def parse_probe(lines: Sequence[str], source: str, known_flags: Sequence[str]) -> list[ProbeItem]:
    """Probe records from JSON Lines; a bad record is a one-line DataFileError."""
    out: list[ProbeItem] = []
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{source}:{n}"
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DataFileError(f"{where}: not valid JSON ({exc.msg})") from None
        if not isinstance(raw, dict):
            raise DataFileError(f"{where}: expected a JSON object")
        values = {k: raw.get(k) for k in ("id", "flag", "kind", "question", "answer", "planted")}
        for key in ("id", "flag", "kind", "question", "answer"):
            if not isinstance(values[key], str) or not str(values[key]).strip():
                raise DataFileError(f"{where}: '{key}' must be a non-empty string")
        item = ProbeItem(**{k: str(v or "") for k, v in values.items()})
        if item.flag not in known_flags:
            raise DataFileError(f"{where}: unknown flag '{item.flag}'")
        if item.kind not in KINDS:
            raise DataFileError(f"{where}: 'kind' must be one of {', '.join(KINDS)}")
        if item.kind == "anti" and (not item.planted or item.planted not in item.answer):
            raise DataFileError(f"{where}: 'planted' must be a sentence copied from the answer")
        out.append(item)
    if not out:
        raise DataFileError(f"{source}: no probe records")
    return out


def _same_sentence(evidence: str, planted: str) -> bool:
    a, b = evidence.strip(), planted.strip()
    return bool(a) and (a in b or b in a)


def probe(engine: _Scorer, items: Sequence[ProbeItem]) -> ProbeReport:
    """Score every probe answer and count catches, right evidence and false alarms."""
    report = ProbeReport()
    prepared = engine.prepare_many([(i.answer, None, i.question) for i in items])
    for item, prep in zip(items, prepared, strict=True):
        fired = {f.id: f for f in engine.finish(prep).flags}
        tally = report.flags.setdefault(item.flag, FlagTally())
        hit = fired.get(item.flag)
        if item.kind == "anti":
            tally.planted += 1
            if hit is not None:
                tally.caught += 1
                tally.evidence_right += _same_sentence(hit.evidence, item.planted)
                tally.by_definition += prep.analysis.flags[item.flag].defined
        else:
            tally.safe += 1
            tally.false_alarms += hit is not None
    return report
