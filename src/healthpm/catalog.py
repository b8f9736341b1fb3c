"""Load and validate the YAML knowledge base; every error names the file and the key."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from healthpm.domain import yamlio
from healthpm.domain.content import (
    FLAG_IDS,
    Background,
    Checklist,
    Competency,
    DatedEntry,
    Flag,
    GlossaryTerm,
    Level,
    Mistake,
    Question,
    Resource,
    SalaryBand,
    Subdomain,
    Theme,
    Transition,
)
from healthpm.errors import ContentError, NotFoundError

M = TypeVar("M", bound=BaseModel)

#: kind -> (file or folder under content/, model). A folder holds several YAML files.
KINDS: dict[str, tuple[str, type[BaseModel]]] = {
    "levels": ("levels.yaml", Level),
    "salaries": ("salaries.yaml", SalaryBand),
    "themes": ("themes.yaml", Theme),
    "competencies": ("competencies.yaml", Competency),
    "backgrounds": ("backgrounds.yaml", Background),
    "resources": ("resources.yaml", Resource),
    "checklists": ("checklists.yaml", Checklist),
    "transitions": ("transitions.yaml", Transition),
    "mistakes": ("mistakes.yaml", Mistake),
    "flags": ("flags.yaml", Flag),
    "subdomains": ("subdomains.yaml", Subdomain),
    "glossary": ("glossary", GlossaryTerm),
    "questions": ("questions", Question),
}

#: The kinds whose entries carry `as_of` and `urls`.
DATED_KINDS = ("glossary", "questions", "salaries")


@dataclass(frozen=True)
class Catalog:
    """The validated knowledge base, each kind a dict by id in file order."""

    levels: dict[str, Level]
    salaries: dict[str, SalaryBand]
    themes: dict[str, Theme]
    competencies: dict[str, Competency]
    backgrounds: dict[str, Background]
    resources: dict[str, Resource]
    checklists: dict[str, Checklist]
    transitions: dict[str, Transition]
    mistakes: dict[str, Mistake]
    flags: dict[str, Flag]
    subdomains: dict[str, Subdomain]
    glossary: dict[str, GlossaryTerm]
    questions: dict[str, Question]
    origin: dict[str, str] = field(default_factory=dict, compare=False)

    def levels_ascending(self) -> list[Level]:
        """Levels from entry to executive."""
        return sorted(self.levels.values(), key=lambda lv: lv.order)

    def get(self, kind: str, item_id: str) -> Any:
        """One entry by kind and id, or NotFoundError listing what exists."""
        items: dict[str, Any] = getattr(self, kind)
        if item_id not in items:
            hint = ", ".join(list(items)[:12])
            raise NotFoundError(
                f"unknown {kind[:-1] if kind.endswith('s') else kind} id "
                f"{item_id!r}; known: {hint}{', ...' if len(items) > 12 else ''}"
            )
        return items[item_id]

    def counts(self) -> dict[str, int]:
        """How many entries each kind holds."""
        return {kind: len(getattr(self, kind)) for kind in KINDS}

    def dated_entries(self) -> Iterator[tuple[str, DatedEntry]]:
        """(kind, entry) for every entry that carries `as_of`: glossary, questions, salaries."""
        for kind in DATED_KINDS:
            for entry in getattr(self, kind).values():
                yield kind, entry


def content_dir() -> Path:
    """The content folder shipped inside the package."""
    return Path(str(resources.files("healthpm") / "content"))


def _yaml_files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml"))
    return [path]


def _read_yaml(path: Path, root: Path) -> list[Any]:
    rel = path.relative_to(root.parent)
    try:
        data = yamlio.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ContentError(f"{rel}: file is missing") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ContentError(f"{rel}: not valid YAML: {str(exc).splitlines()[0]}") from None
    if data is None:
        return []
    if not isinstance(data, list):
        raise ContentError(f"{rel}: expected a list of entries at the top level")
    return data


def _describe(error: ValidationError) -> str:
    first = error.errors()[0]
    key = ".".join(str(part) for part in first["loc"]) or "(entry)"
    return f"key '{key}': {first['msg']}"


def _parse(kind: str, model: type[M], path: Path, root: Path) -> Iterator[tuple[M, str]]:
    rel = str(path.relative_to(root.parent))
    for index, raw in enumerate(_read_yaml(path, root)):
        label = raw.get("id", f"#{index + 1}") if isinstance(raw, dict) else f"#{index + 1}"
        try:
            yield model.model_validate(raw), rel
        except ValidationError as exc:
            raise ContentError(f"{rel}: {kind} entry {label!r}: {_describe(exc)}") from None


def _load_kind(kind: str, root: Path) -> tuple[dict[str, Any], dict[str, str]]:
    name, model = KINDS[kind]
    items: dict[str, Any] = {}
    origin: dict[str, str] = {}
    for path in _yaml_files(root / name):
        for item, rel in _parse(kind, model, path, root):
            item_id = item.id  # type: ignore[attr-defined]
            if item_id in items:
                raise ContentError(
                    f"{rel}: duplicate {kind} id {item_id!r} "
                    f"(also in {origin[f'{kind}:{item_id}']})"
                )
            items[item_id] = item
            origin[f"{kind}:{item_id}"] = rel
    return items, origin


def load_catalog(root: Path | None = None) -> Catalog:
    """Read, validate and cross-check every content file under root."""
    root = root or content_dir()
    loaded: dict[str, dict[str, Any]] = {}
    origin: dict[str, str] = {}
    for kind in KINDS:
        loaded[kind], kind_origin = _load_kind(kind, root)
        origin.update(kind_origin)
    catalog = Catalog(**loaded, origin=origin)
    problems = list(check_references(catalog))
    if problems:
        raise ContentError(
            problems[0] + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else "")
        )
    return catalog


@lru_cache(maxsize=1)
def get_catalog() -> Catalog:
    """The shipped catalog, loaded once per process."""
    return load_catalog()


def _missing(catalog: Catalog, where: str, kind: str, ids: Iterable[str]) -> Iterator[str]:
    known = getattr(catalog, kind)
    for item_id in ids:
        if item_id not in known:
            yield f"{where}: refers to unknown {kind} id {item_id!r}"


#: kind -> what each entry refers to: (kind referred to, ids) pairs.
REFERENCES: dict[str, Callable[[Any], list[tuple[str, list[str]]]]] = {
    "competencies": lambda c: [
        ("themes", [c.theme]),
        ("resources", c.resources),
        ("levels", [*c.expected, *c.must_have, *c.meets]),
    ],
    "salaries": lambda s: [("levels", [s.level])],
    "backgrounds": lambda b: [
        ("competencies", [x.competency for x in b.brings] + b.usual_gaps),
        ("levels", b.entry_levels),
    ],
    "resources": lambda r: [("competencies", r.competencies)],
    "checklists": lambda ch: [("competencies", [i.competency for i in ch.items if i.competency])],
    "transitions": lambda t: [
        ("backgrounds", t.backgrounds),
        ("competencies", [c for s in t.steps for c in s.competencies]),
    ],
    "mistakes": lambda m: [("flags", [m.flag] if m.flag else [])],
    "flags": lambda f: [("mistakes", [f.mistake])],
    "subdomains": lambda sd: [("competencies", sd.competencies)],
    "glossary": lambda g: [("glossary", g.see_also)],
    "questions": lambda q: [
        ("levels", q.levels),
        ("competencies", q.competencies),
        ("flags", q.red_flags),
        ("subdomains", [q.subdomain] if q.subdomain else []),
    ],
}


def check_references(catalog: Catalog) -> Iterator[str]:
    """Every cross-reference in the catalog, as 'file: entry: problem' lines."""
    for kind, refers in REFERENCES.items():
        for item in getattr(catalog, kind).values():
            at = f"{catalog.origin[f'{kind}:{item.id}']}: {kind} entry {item.id!r}"
            for target, ids in refers(item):
                yield from _missing(catalog, at, target, ids)
    yield from _check_rules(catalog)


def _check_rules(catalog: Catalog) -> Iterator[str]:
    """Checks beyond plain references: complete expectations, checklist targets, flags."""
    levels = set(catalog.levels)
    for c in catalog.competencies.values():
        if set(c.expected) != levels:
            missing = sorted(levels - set(c.expected))
            yield (
                f"{catalog.origin[f'competencies:{c.id}']}: competency {c.id!r}: "
                f"'expected' must give every level ({missing} missing)"
            )
    targets = set(catalog.backgrounds) | levels | {"all"}
    for ch in catalog.checklists.values():
        for applies in ch.applies_to:
            if applies not in targets:
                yield (
                    f"{catalog.origin[f'checklists:{ch.id}']}: checklist {ch.id!r}: "
                    f"applies_to {applies!r} is not a background id, level id or 'all'"
                )
    missing_flags = set(FLAG_IDS) - set(catalog.flags)
    if catalog.flags and missing_flags:
        yield f"content/flags.yaml: canonical flags missing: {sorted(missing_flags)}"
