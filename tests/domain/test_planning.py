from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from healthpm.catalog import get_catalog
from healthpm.demo import demo_profile
from healthpm.domain.assessment import assess
from healthpm.domain.planning import build_plan
from healthpm.domain.profile import WEEKDAYS, Profile

CATALOG = get_catalog()


def plan_for(profile: Profile, done: frozenset[str] = frozenset()):  # type: ignore[no-untyped-def]
    return build_plan(profile, assess(profile, CATALOG), CATALOG, done)


profiles = st.builds(
    Profile,
    name=st.just("p"),
    background=st.sampled_from(sorted(CATALOG.backgrounds)),
    years_experience=st.floats(0, 30),
    target_level=st.sampled_from(sorted(CATALOG.levels)),
    hours_per_week=st.floats(1, 40).map(lambda h: round(h, 2)),
    start_date=st.dates(date(2026, 1, 1), date(2030, 12, 31)),
    ratings=st.dictionaries(st.sampled_from(sorted(CATALOG.competencies)), st.integers(0, 4)),
    unavailable=st.lists(
        st.one_of(st.sampled_from(WEEKDAYS[:6]), st.dates(date(2026, 1, 1), date(2031, 12, 31))),
        max_size=8,
    ),
)


@given(profiles)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_plan_invariants(profile: Profile) -> None:
    plan = plan_for(profile)
    assert plan.total_hours == pytest.approx(sum(w.hours for w in plan.weeks))
    assert plan.total_hours == pytest.approx(sum(t.hours for t in plan.tasks))
    blocked = profile.unavailable_dates()
    off = profile.unavailable_weekdays()
    for week in plan.weeks:
        assert week.hours <= profile.hours_per_week + 1e-9
        assert week.hours <= week.capacity + 1e-9
        assert (week.start - profile.start_date).days % 7 == 0
        assert not blocked & set(week.study_days)
        assert all(d.weekday() not in off for d in week.study_days)
    if plan.kind == "switch":
        assert 80 <= plan.budget.total <= 100
    assert plan_for(profile) == plan  # same input, same plan


def test_nurse_targeting_pm_gets_an_explained_switch_plan() -> None:
    nurse = demo_profile("nurse-to-pm", CATALOG)
    plan = plan_for(nurse)
    assert plan.kind == "switch" and 80 <= plan.total_hours <= 100
    zero_rated = {c for c, r in nurse.ratings.items() if r == 0}
    assert zero_rated <= {t.competency for t in plan.tasks}
    assert all(w.hours <= nurse.hours_per_week for w in plan.weeks)
    assert all(d.weekday() < 5 for w in plan.weeks for d in w.study_days)
    assert any("80" in line for line in plan.budget.explanation)


def test_promotion_plan_is_built_from_gaps() -> None:
    senior = demo_profile("senior-to-director", CATALOG)
    plan = plan_for(senior)
    assert plan.kind == "promotion"
    assert {"leadership", "scope-and-outcomes"} <= set(plan.budget.tracks)
    assert any("Promotion packet" in m.title for m in plan.milestones)


def test_done_tasks_are_kept_apart_and_not_rescheduled() -> None:
    nurse = demo_profile("nurse-to-pm", CATALOG)
    first = plan_for(nurse)
    done = frozenset(t.key for t in first.tasks[:3])
    again = plan_for(nurse, done)
    assert {t.key for t in again.done} == done
    scheduled = {t.key for w in again.weeks for t in w.tasks}
    assert not scheduled & done
    assert again.total_hours == pytest.approx(first.total_hours - sum(t.hours for t in again.done))


def test_specific_unavailable_dates_reduce_that_week() -> None:
    nurse = demo_profile("nurse-to-pm", CATALOG)
    start = nurse.start_date
    away = nurse.model_copy(
        update={"unavailable": ["saturday", "sunday", *[start + timedelta(d) for d in range(5)]]}
    )
    plan = plan_for(away)
    assert plan.weeks[0].start != start  # the first week is skipped entirely
    assert plan.weeks[0].index == 2


def test_one_book_is_scheduled_once() -> None:
    """The demo plan read Good Strategy Bad Strategy twice (product and business strategy)."""
    for name in ("nurse-to-pm", "fintech-pm-to-pm", "senior-to-director"):
        plan = plan_for(demo_profile(name, CATALOG))
        resources = [t.resource for t in plan.tasks if t.resource]
        assert len(resources) == len(set(resources)), name


def test_holidays_are_not_study_days() -> None:
    from healthpm.domain.holidays import is_holiday

    assert is_holiday(date(2026, 12, 25))
    assert is_holiday(date(2026, 11, 26))  # fourth Thursday of November
    assert is_holiday(date(2026, 5, 25))  # last Monday of May
    nurse = demo_profile("nurse-to-pm", CATALOG).model_copy(
        update={"start_date": date(2026, 12, 21), "unavailable": []}
    )
    plan = plan_for(nurse)
    assert not any(is_holiday(d) for w in plan.weeks for d in w.study_days)
    assert plan.weeks[0].capacity == nurse.hours_per_week  # holidays move study, not hours


def test_stored_profile_with_dates_reads_back() -> None:
    nurse = demo_profile("nurse-to-pm", CATALOG).model_copy(
        update={"unavailable": [date(2027, 1, 4), "tuesday"]}
    )
    again = Profile.model_validate(nurse.model_dump(mode="json"))
    assert again.unavailable == [date(2027, 1, 4), "tuesday"]
