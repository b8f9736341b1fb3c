"""`healthpm demo`: a guided tour on a demo profile, in the terminal."""

from __future__ import annotations

from typing import Annotated

import typer

from healthpm.catalog import get_catalog
from healthpm.cli.common import console
from healthpm.cli.common_store import local_session
from healthpm.cli.navigator_render import render_assessment, render_plan
from healthpm.demo import DEMO_NAMES, demo_profile, demo_profile_path
from healthpm.domain.assessment import assess
from healthpm.errors import InvalidInputError
from healthpm.navigator import service


def demo(
    profile: Annotated[str, typer.Option(help=f"one of: {', '.join(DEMO_NAMES)}")] = DEMO_NAMES[0],
) -> None:
    """Assess and plan a demo profile, then show what to try next."""
    if profile not in DEMO_NAMES:
        raise InvalidInputError(
            f"unknown demo profile {profile!r}; one of: {', '.join(DEMO_NAMES)}"
        )
    catalog = get_catalog()
    person = demo_profile(profile, catalog)
    console.rule(
        f"healthpm demo: {person.name}, {catalog.backgrounds[person.background].name} "
        f"-> {catalog.levels[person.target_level].name}"
    )
    console.print(f"Profile file: {demo_profile_path(profile)}\n", highlight=False)
    console.rule("1. Assessment")
    render_assessment(console, assess(person, catalog), catalog)
    console.rule("2. Plan")
    with local_session() as (session, user):
        plan = service.make_plan(session, user=user, profile=person, catalog=catalog, save=False)
    render_plan(console, plan, catalog)
    console.rule("Next")
    path = demo_profile_path(profile)
    for line in (
        "healthpm init my-profile.yaml            # your own profile",
        f"healthpm plan {path} --format ics -o plan.ics",
        "healthpm practice next                    # interview questions due",
        "healthpm practice mock --minutes 15       # a timed mock interview",
        "healthpm levels | healthpm salaries | healthpm glossary 510k",
    ):
        console.print(f"  {line}", highlight=False)
