"""Pages that need only the knowledge base: levels and salaries, glossary, question bank."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.responses import HTMLResponse

from healthpm.catalog import Catalog
from healthpm.domain.citations import readable_source
from healthpm.domain.content import Question
from healthpm.domain.labels import label
from healthpm.domain.search import search_terms
from healthpm.navigator.service import current_profile
from healthpm.practice.stats import question_stats
from healthpm.web.charts import BandRow, salary_chart
from healthpm.web.deps import CatalogDep, ChartsDep, MaybeUser, SessionDep
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


SHORT_LEVELS = {
    "associate-pm": "APM",
    "product-manager": "PM",
    "senior-pm": "Senior PM",
    "group-pm-director": "Group PM / Dir.",
    "vp-digital-health": "VP",
}


def _short_company(company_type: str) -> str:
    if company_type == "any":
        return "any type"
    return COMPANY_TYPES.get(company_type, company_type).lower()


def source_numbers(catalog: Catalog) -> dict[str, int]:
    """Each distinct salary source, numbered in order of first use (chart rows cite them)."""
    numbers: dict[str, int] = {}
    for band in catalog.salaries.values():
        numbers.setdefault(band.source, len(numbers) + 1)
    return numbers


def band_rows(catalog: Catalog) -> list[BandRow]:
    """One chart row per band that has at least a published low end, labelled with its
    level, company type and source number (the tables give the source in full)."""
    numbers = source_numbers(catalog)
    rows = []
    for band in sorted(
        catalog.salaries.values(),
        key=lambda b: catalog.levels[b.level].order if b.level in catalog.levels else 99,
    ):
        level = catalog.levels.get(band.level)
        if level is None or band.low_usd is None:
            continue
        company = COMPANY_TYPES.get(band.company_type, band.company_type)
        short = SHORT_LEVELS.get(level.id, level.name)
        kind = _short_company(band.company_type)
        rows.append(
            BandRow(
                level=level.name,
                order=level.order,
                company_type=company,
                low=band.low_usd,
                high=band.high_usd,
                label=f"{readable_source(band.source)}, {band.year}",
                open_top=band.open_top,
                key=f"{short} · {kind} · source {numbers[band.source]}",
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
        "source_numbers": source_numbers(catalog),
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
    terms = search_terms(catalog.glossary.values(), q)
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
        if category and label(question.category) != label(category):
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


def _categories(catalog: Catalog) -> list[str]:
    """One category per readable label ('metrics' and 'metrics-outcomes' are one)."""
    first: dict[str, str] = {}
    for c in sorted({q.category for q in catalog.questions.values()}):
        first.setdefault(label(c), c)
    return sorted(first.values(), key=label)


@router.get("/questions", response_class=HTMLResponse)
def questions_page(
    request: Request,
    catalog: CatalogDep,
    user: MaybeUser,
    category: Filter = "",
    level: Filter = "",
    competency: Filter = "",
    q: Filter = "",
    *,
    session: SessionDep,
) -> HTMLResponse:
    """The question bank with filters; htmx swaps only the result list. A signed-in person
    sees their best score and last practice date on each question they answered."""
    found = filter_questions(catalog, category=category, level=level, competency=competency, q=q)
    stats = {}
    if user is not None:
        profile = current_profile(session, user=user, catalog=catalog)
        name = None if profile is None else profile.name
        stats = question_stats(session, user_id=user.id, profile_name=name)
    context = {
        "active": "questions",
        "questions": found,
        "total": len(catalog.questions),
        "categories": _categories(catalog),
        "levels": catalog.levels_ascending(),
        "competencies": sorted(catalog.competencies.values(), key=lambda c: c.name),
        "selected": {"category": category, "level": level, "competency": competency, "q": q},
        "catalog": catalog,
        "stats": stats,
    }
    return render(
        request,
        "catalog/questions.html",
        context,
        fragment="catalog/_question_list.html",
        shared_key=None if stats else (category, level, competency, q),
    )


@router.get("/questions/{question_id}", response_class=HTMLResponse)
def question_page(
    request: Request, question_id: str, catalog: CatalogDep, user: MaybeUser
) -> HTMLResponse:
    """One question: prompt, talking points, red flags, good patterns, model answer, follow-ups."""
    question: Question = catalog.get("questions", question_id)
    context = {"active": "questions", "question": question, "catalog": catalog}
    return render(request, "catalog/question.html", context)
