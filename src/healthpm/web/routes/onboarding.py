"""Onboarding: the profile, then the self-assessment one competency theme per step.

Each step saves the profile, so nothing typed is lost and the flow works without JavaScript.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.datastructures import FormData
from starlette.responses import HTMLResponse, RedirectResponse, Response

from healthpm.accounts.models import User
from healthpm.catalog import Catalog
from healthpm.domain.holidays import DEFAULT_COUNTRY, countries
from healthpm.domain.profile import WEEKDAYS, Profile, validate_profile
from healthpm.errors import NotFoundError
from healthpm.navigator import service as navigator
from healthpm.navigator.models import Profile as ProfileRow
from healthpm.web.deps import CatalogDep, CurrentUser, FormDep, SessionDep
from healthpm.web.rendering import render

router = APIRouter(include_in_schema=False)

ABOUT_FIELDS = (
    "name",
    "background",
    "years_experience",
    "current_role",
    "target_level",
    "hours_per_week",
    "start_date",
    "study_start",
    "holiday_country",
    "holiday_subdivision",
)


def _themes(catalog: Catalog) -> list[str]:
    return list(catalog.themes)


def is_demo(profile: Profile | None) -> bool:
    """True for a shipped demo profile (its name ends with "(demo)"), kept as an example."""
    return profile is not None and profile.name.rstrip().lower().endswith("(demo)")


def _about_context(
    catalog: Catalog,
    profile: Profile | None,
    form: dict[str, Any],
    *,
    fresh: bool = False,
    demo_progress: int = 0,
) -> dict[str, Any]:
    """The form's values: the profile's (unless starting fresh), then what was typed."""
    values = profile.model_dump(mode="json") if profile and not fresh else {}
    values.setdefault("start_date", date.today().isoformat())
    values.setdefault("hours_per_week", 6)
    values.setdefault("study_start", "19:00")
    values.setdefault("holiday_country", DEFAULT_COUNTRY)
    unavailable = values.get("unavailable") or []
    values["off_days"] = [d for d in unavailable if d in WEEKDAYS]
    values["off_dates"] = ", ".join(d for d in unavailable if d not in WEEKDAYS)
    values.update({k: v for k, v in form.items() if k in ABOUT_FIELDS})
    return {
        "active": "onboarding",
        "values": values,
        "backgrounds": list(catalog.backgrounds.values()),
        "levels": catalog.levels_ascending(),
        "themes": [catalog.themes[t] for t in _themes(catalog)],
        "step": 0,
        "has_profile": profile is not None and not fresh,  # step links edit the current one
        "weekdays": WEEKDAYS,
        "countries": countries(),
        "fresh": fresh,
        "editing": None if fresh or profile is None else profile.name,
        "editing_demo": not fresh and is_demo(profile),
        "demo_progress": demo_progress,  # from _demo_entries: 0 unless fresh beside the demo
    }


@router.get("/onboarding", response_class=HTMLResponse)
def about_page(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    catalog: CatalogDep,
    fresh: Annotated[bool, Query()] = False,
) -> HTMLResponse:
    """Step 1: background, experience, target level, hours per week, start date.

    `?fresh=1` starts a profile of your own instead of editing the current one (in
    single-user mode that is the demo profile, which stays as an example).
    """
    profile = navigator.current_profile(session, user=user, catalog=catalog)
    entries = _demo_entries(session, user, profile, fresh)
    context = _about_context(catalog, profile, {}, fresh=fresh, demo_progress=entries)
    return render(request, "navigator/about.html", context)


def _demo_entries(session: Session, user: User, current: Profile | None, fresh: bool) -> int:
    """Ticks and hours recorded while the example was current, offered for clearing."""
    return navigator.progress_entries(session, user=user) if fresh and is_demo(current) else 0


def _profile_names(session: Session, user: User) -> set[str]:
    return set(session.scalars(select(ProfileRow.name).where(ProfileRow.user_id == user.id)))


def _about_data(form: FormData, previous: Profile | None) -> dict[str, Any]:
    data: dict[str, Any] = previous.model_dump(mode="json") if previous else {}
    for key in ABOUT_FIELDS:
        value = form.get(key)
        if isinstance(value, str):
            data[key] = value.strip() or None
    if not data.get("current_role"):
        data.pop("current_role", None)
    if form.get("has_days") == "1":
        days = [d for d in form.getlist("off_days") if isinstance(d, str) and d in WEEKDAYS]
        dates = str(form.get("off_dates") or "").replace("\n", ",").split(",")
        data["unavailable"] = days + [d.strip() for d in dates if d.strip()]
    return {k: v for k, v in data.items() if v is not None}


PLAIN = {
    "name": "Type a name for this profile (your first name is fine).",
    "background": "Pick the background closest to yours.",
    "years_experience": "Enter your years of work experience as a number from 0 to 60.",
    "current_role": "Keep your current role under 200 characters.",
    "target_level": "Pick the level you are aiming at.",
    "hours_per_week": "Enter the hours you can give each week: a number from 1 to 40.",
    "start_date": "Pick the date your plan starts.",
    "unavailable": "Write dates as YYYY-MM-DD separated by commas, and leave at least one "
    "weekday free to study.",
    "study_start": "Enter the time your study blocks start, as HH:MM (for example 19:00).",
    "holiday_country": "Pick a country from the list, or “No holidays”.",
    "holiday_subdivision": "Use the code of a state, province or nation of that country "
    "(for example CA or NY in the US, SCT in the UK), or leave it empty.",
}


def field_errors(data: dict[str, Any], catalog: Catalog) -> dict[str, str]:
    """Every problem of the about form at once, by field, in plain words."""
    errors: dict[str, str] = {}
    try:
        Profile.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            field = str(err["loc"][0]) if err["loc"] else "name"
            errors.setdefault(field, PLAIN.get(field, "Check this value."))
    if data.get("background") not in catalog.backgrounds:
        errors.setdefault("background", PLAIN["background"])
    if data.get("target_level") not in catalog.levels:
        errors.setdefault("target_level", PLAIN["target_level"])
    return errors


@router.post("/onboarding", response_model=None)
def about_submit(
    request: Request, session: SessionDep, user: CurrentUser, catalog: CatalogDep, form: FormDep
) -> Response:
    """Validate and save the profile, then go to the first theme; errors re-render the form."""
    fresh = form.get("fresh") == "1"
    previous = navigator.current_profile(session, user=user, catalog=catalog)
    data = _about_data(form, None if fresh else previous)
    errors = field_errors(data, catalog)
    if fresh and data.get("name") in _profile_names(session, user):
        errors["name"] = "You already have a profile of this name; choose another name."
    if errors:
        entries = _demo_entries(session, user, previous, fresh)
        typed = {k: v for k, v in form.items() if isinstance(v, str)}
        context = _about_context(catalog, previous, typed, fresh=fresh, demo_progress=entries)
        context["values"]["off_days"] = form.getlist("off_days")
        context["values"]["off_dates"] = form.get("off_dates") or ""
        context["errors"] = errors
        return render(request, "navigator/about.html", context, status_code=400)
    profile = validate_profile(data, catalog, origin="profile")
    # Task ticks and hours are kept per profile (a new profile starts with none); what was
    # tried out on the shipped example can be cleared here.
    if fresh and is_demo(previous) and form.get("clear_demo_progress") == "1":
        navigator.clear_progress(session, user=user)
    navigator.save_profile(session, user=user, profile=profile)
    return RedirectResponse(f"/onboarding/{_themes(catalog)[0]}", status_code=303)


def _theme_context(catalog: Catalog, profile: Profile, theme_id: str) -> dict[str, Any]:
    themes = _themes(catalog)
    if theme_id not in catalog.themes:
        raise NotFoundError(f"no onboarding step {theme_id!r}")
    index = themes.index(theme_id)
    target = catalog.levels[profile.target_level]
    return {
        "active": "onboarding",
        "theme": catalog.themes[theme_id],
        "themes": [catalog.themes[t] for t in themes],
        "step": index + 1,
        "previous": themes[index - 1] if index else None,
        "is_last": index == len(themes) - 1,
        "competencies": [c for c in catalog.competencies.values() if c.theme == theme_id],
        "target": target,
        "profile": profile,
        "background": catalog.backgrounds.get(profile.background),
        "has_profile": True,
    }


def _profile_or_start(session: SessionDep, user: CurrentUser, catalog: Catalog) -> Profile:
    profile = navigator.current_profile(session, user=user, catalog=catalog)
    if profile is None:
        raise NotFoundError("start with your profile at /onboarding")
    return profile


@router.get("/onboarding/{theme_id}", response_class=HTMLResponse)
def theme_page(
    request: Request, theme_id: str, session: SessionDep, user: CurrentUser, catalog: CatalogDep
) -> Response:
    """One theme: a 0-4 rating per competency, its expectation and evidence markers beside it."""
    profile = navigator.current_profile(session, user=user, catalog=catalog)
    if profile is None:
        return RedirectResponse("/onboarding", status_code=303)
    return render(request, "navigator/theme.html", _theme_context(catalog, profile, theme_id))


def _apply_ratings(profile: Profile, form: FormData, competency_ids: list[str]) -> dict[str, Any]:
    data = profile.model_dump(mode="json")
    ratings, evidence = dict(data.get("ratings", {})), dict(data.get("evidence", {}))
    for cid in competency_ids:
        raw = form.get(f"rating-{cid}")
        if isinstance(raw, str) and raw.strip() in {"0", "1", "2", "3", "4"}:
            ratings[cid] = int(raw)
        elif raw == "":
            ratings.pop(cid, None)
        note = form.get(f"evidence-{cid}")
        if isinstance(note, str):
            if note.strip():
                evidence[cid] = note.strip()[:2000]
            else:
                evidence.pop(cid, None)
    return data | {"ratings": ratings, "evidence": evidence}


@router.post("/onboarding/{theme_id}", response_model=None)
def theme_submit(
    request: Request,
    theme_id: str,
    session: SessionDep,
    user: CurrentUser,
    catalog: CatalogDep,
    form: FormDep,
) -> Response:
    """Save this theme's ratings; after the last theme, make the plan and open the dashboard."""
    profile = _profile_or_start(session, user, catalog)
    context = _theme_context(catalog, profile, theme_id)
    ids = [c.id for c in context["competencies"]]
    updated = validate_profile(_apply_ratings(profile, form, ids), catalog, origin="profile")
    navigator.save_profile(session, user=user, profile=updated)
    if form.get("go") == "back" and context["previous"]:
        return RedirectResponse(f"/onboarding/{context['previous']}", status_code=303)
    if not context["is_last"]:
        return RedirectResponse(f"/onboarding/{_themes(catalog)[context['step']]}", 303)
    navigator.make_plan(session, user=user, profile=updated, catalog=catalog)
    return RedirectResponse("/?welcome=1", status_code=303)
