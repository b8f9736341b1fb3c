from __future__ import annotations

from datetime import date

import pytest

from healthpm.catalog import Catalog, get_catalog
from healthpm.domain.assessment import CAP_FAR_BELOW, READY, assess, assessment_json
from healthpm.domain.profile import Profile


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return get_catalog()


def make(
    catalog: Catalog,
    ratings: dict[str, int],
    target: str = "product-manager",
    background: str = "tech-pm-mid",
) -> Profile:
    return Profile(
        name="t",
        background=background,
        years_experience=5,
        target_level=target,
        hours_per_week=5,
        start_date=date(2027, 1, 4),
        ratings=ratings,
    )


def test_all_fours_is_ready_everywhere(catalog: Catalog) -> None:
    result = assess(make(catalog, dict.fromkeys(catalog.competencies, 4)), catalog)
    top = catalog.levels_ascending()[-1].id
    assert result.placement == top and result.placement_met
    assert all(r.readiness == 100 for r in result.readiness.values())
    assert result.gaps == []


def test_all_zeros_places_nowhere(catalog: Catalog) -> None:
    result = assess(make(catalog, dict.fromkeys(catalog.competencies, 0)), catalog)
    assert not result.placement_met
    assert result.placement == catalog.levels_ascending()[0].id
    assert all(r.readiness < READY for r in result.readiness.values())


def test_gap_costs_explain_the_uncapped_readiness(catalog: Catalog) -> None:
    ratings = {c: i % 3 for i, c in enumerate(catalog.competencies)}
    result = assess(make(catalog, ratings), catalog)
    target = result.readiness[result.target]
    rounding = 0.05 * (len(result.gaps) + 1)  # each figure is rounded to 0.1
    assert sum(g.cost for g in result.gaps) == pytest.approx(100 - target.uncapped, abs=rounding)
    costs = [g.cost for g in result.gaps]
    assert costs == sorted(costs, reverse=True)


def test_missing_must_have_caps_readiness(catalog: Catalog) -> None:
    level = "product-manager"
    ratings = {c: comp.expected[level] for c, comp in catalog.competencies.items()}
    must = next(
        c
        for c, comp in catalog.competencies.items()
        if level in comp.must_have and comp.expected[level] >= 2
    )
    ratings[must] = catalog.competencies[must].expected[level] - 2
    result = assess(make(catalog, ratings, level), catalog)
    detail = result.readiness[level]
    assert detail.readiness <= CAP_FAR_BELOW
    assert must in detail.capped_by
    assert detail.uncapped > detail.readiness


def test_unrated_competencies_use_the_background_prior(catalog: Catalog) -> None:
    result = assess(make(catalog, {}, background="nurse"), catalog)
    brought = catalog.backgrounds["nurse"].brings[0]
    assert result.ratings[brought.competency].rating == brought.typical_rating
    assert result.ratings[brought.competency].source == "background"


def test_json_contract(catalog: Catalog) -> None:
    data = assessment_json(assess(make(catalog, {"clinical-workflow": 1}), catalog))
    assert data["placement"] in catalog.levels and data["target"] == "product-manager"
    assert set(data["readiness"]) == set(catalog.levels)  # type: ignore[arg-type]
    assert all(0 <= v <= 100 for v in data["readiness"].values())  # type: ignore[attr-defined]
    gap = data["gaps"][0]  # type: ignore[index]
    assert {"competency", "rating", "expected", "cost"} <= set(gap)
