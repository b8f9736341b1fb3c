"""Pages that need only the knowledge base: levels and salaries, glossary, question bank."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.responses import HTMLResponse

from healthpm.catalog import Catalog
from healthpm.domain.citations import readable_source
from healthpm.domain.content import Question
from healthpm.web.charts import BandRow, salary_chart
from healthpm.web.deps import CatalogDep, ChartsDep, MaybeUser
from healthpm.web.rendering import render

router = APIRouter(include_in_schema=False)

COMPANY_TYPES = {
    "health-tech-startup": "Health-tech startup",
    "large-health-tech": "Large health-tech company",
    "big-tech-health": "Big tech, health division",
    "payer": "Payer",
    "provider": "Provider",
    "medtech": "Medtech",
    "any": "Any company type",
}


def band_rows(catalog: Catalog) -> list[BandRow]:
    """Chart rows for every band that has at least a published low end."""
    rows = []
    for band in catalog.salaries.values():
        level = catalog.levels.get(band.level)
        if level is None or band.low_usd is None:
            continue
        rows.append(
            BandRow(
                level=level.name,
                order=level.order,
                company_type=COMPANY_TYPES.get(band.company_type, band.company_type),
                low=band.low_usd,
                high=band.high_usd,
                label=f"{readable_source(band.source)}, {band.year}",
            )
        )
    return rows


# The catalog pages below depend only on the shipped knowledge base and their query, so their
# content is rendered once per query (render's shared_key) and reused for every user.


@router.get("/levels", response_class=HTMLResponse)
def levels_page(
    request: Request, catalog: CatalogDep, user: MaybeUser, charts: ChartsDep
) -> HTMLResponse:
    """Levels with scope and promotion criteria, and the salary bands chart with sources."""
    rows = band_rows(catalog)
    bands_by_level: dict[str, list[Any]] = {lv: [] for lv in catalog.levels}
    for band in catalog.salaries.values():
        bands_by_level.setdefault(band.level, []).append(band)
    context = {
        "active": "levels",
        "levels": catalog.levels_ascending(),
        "bands_by_level": bands_by_level,
        "company_types": COMPANY_TYPES,
        "chart": salary_chart(rows, renderer=charts) if rows else None,
    }
    return render(request, "catalog/levels.html", context, shared_key=())


@router.get("/glossary", response_class=HTMLResponse)
def glossary_page(
    request: Request,
    catalog: CatalogDep,
    user: MaybeUser,
    q: Annotated[str, Query(max_length=200)] = "",
) -> HTMLResponse:
    """Every term, or those matching the search in term or definition."""
    needle = q.strip().lower()
    terms = sorted(catalog.glossary.values(), key=lambda t: t.term.lower())
    if needle:
        terms = [t for t in terms if needle in t.term.lower() or needle in t.definition.lower()]
    context = {"active": "glossary", "terms": terms, "q": q, "glossary": catalog.glossary}
    return render(
        request, "catalog/glossary.html", context, fragment="catalog/_terms.html", shared_key=(q,)
    )


def filter_questions(
    catalog: Catalog, *, category: str, level: str, competency: str, q: str
) -> list[Question]:
    """Questions matching every filter that is set (text search over prompt and points)."""
    needle = q.strip().lower()
    found = []
    for question in catalog.questions.values():
        if category and question.category != category:
            continue
        if level and level not in question.levels:
            continue
        if competency and competency not in question.competencies:
            continue
        if needle and needle not in _searchable(question):
            continue
        found.append(question)
    return found


def _searchable(question: Question) -> str:
    return " ".join([question.id, question.prompt, *question.talking_points]).lower()


Filter = Annotated[str, Query(max_length=200)]


@router.get("/questions", response_class=HTMLResponse)
def questions_page(
    request: Request,
    catalog: CatalogDep,
    user: MaybeUser,
    category: Filter = "",
    level: Filter = "",
    competency: Filter = "",
    q: Filter = "",
) -> HTMLResponse:
    """The question bank with filters; htmx swaps only the result list."""
    found = filter_questions(catalog, category=category, level=level, competency=competency, q=q)
    context = {
        "active": "questions",
        "questions": found,
        "total": len(catalog.questions),
        "categories": sorted({qq.category for qq in catalog.questions.values()}),
        "levels": catalog.levels_ascending(),
        "competencies": sorted(catalog.competencies.values(), key=lambda c: c.name),
        "selected": {"category": category, "level": level, "competency": competency, "q": q},
        "catalog": catalog,
    }
    return render(
        request,
        "catalog/questions.html",
        context,
        fragment="catalog/_question_list.html",
        shared_key=(category, level, competency, q),
    )


@router.get("/questions/{question_id}", response_class=HTMLResponse)
def question_page(
    request: Request, question_id: str, catalog: CatalogDep, user: MaybeUser
) -> HTMLResponse:
    """One question: prompt, talking points, red flags, good patterns, model answer, follow-ups."""
    question: Question = catalog.get("questions", question_id)
    context = {"active": "questions", "question": question, "catalog": catalog}
    return render(request, "catalog/question.html", context)
