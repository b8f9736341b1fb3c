"""`healthpm jobs ...`: match postings (text, saved page, CSV) to a level and your profile.

Offline: postings are read from files you saved; nothing is fetched. No command here loads
the embedding model.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from healthpm.cli import practice_common
from healthpm.cli.common import console, print_json
from healthpm.cli.common_store import local_session
from healthpm.domain.jobs.posting import Posting, read_csv, read_posting
from healthpm.errors import InvalidInputError

app = typer.Typer(
    help="Job matcher: postings read offline, matched to a level and your gaps.",
    no_args_is_help=True,
)

JSON_OPT = typer.Option(False, "--json", help="print JSON instead of text")
PROFILE_OPT = typer.Option(
    None, "--profile", help="profile file (default: the one last saved)", dir_okay=False
)


def _read(path: Path) -> str:
    """A posting file's text (UTF-8), or one line saying why it cannot be read."""
    try:
        return path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise InvalidInputError(f"{path}: no such posting file") from None
    except IsADirectoryError:
        raise InvalidInputError(f"{path}: is a directory, not a posting file") from None
    except UnicodeDecodeError:
        raise InvalidInputError(f"{path}: not UTF-8 text; save the page as UTF-8") from None
    except OSError as exc:
        raise InvalidInputError(f"{path}: cannot read ({exc.strerror})") from None


def render_match(data: dict[str, Any]) -> None:
    """One match as text."""
    fit = "-" if data["fit"] is None else f"{data['fit']}/100"
    console.print(
        f"[bold]{data['title']}[/bold] → {data['level_name']} (fit {fit})", highlight=False
    )
    for line in data["explanation"]:
        console.print(f"  · {line}", highlight=False, markup=False)
    for lic in data["licensure"]:
        state = "required" if lic["required"] else "preferred"
        console.print(
            f"  credential ({state}): {lic['name']} — “{lic['phrase']}”",
            highlight=False,
            markup=False,
        )
    if data["regulatory"]:
        names = ", ".join(r["name"] for r in data["regulatory"])
        console.print(f"  regulatory domains: {names}", highlight=False)
    for comp in data["competencies"]:
        rating = "" if comp["rating"] is None else f", you {comp['rating']}"
        console.print(
            f"  {comp['name']} (expected {comp['expected']}{rating}): "
            + ", ".join(f"“{p}”" for p in comp["phrases"]),
            highlight=False,
            markup=False,
        )
    _render_salary(data["salary"])
    for gap in data["gaps"]:
        console.print(f"  gap: {gap['name']}", highlight=False)


def _render_salary(salary: dict[str, Any]) -> None:
    posted = salary["posted"]
    if posted is None:
        console.print("  salary: not posted")
    else:
        console.print(
            f"  salary posted: ${posted['yearly_low']:,}–${posted['yearly_high']:,} a year",
            highlight=False,
        )
    for band in salary["bands"]:
        top = "+" if band["open_top"] else ""
        where = f" (posted is {band['posted_vs_band']})" if band["posted_vs_band"] else ""
        console.print(
            f"    band {band['company_type']} {band['year']}: ${band['low_usd'] or 0:,}–"
            f"${band['high_usd'] or 0:,}{top} [{band['source']}]{where}",
            highlight=False,
            markup=False,
        )


@app.command("match")
def match_cmd(
    posting: Path = typer.Argument(..., help="posting: plain text or a saved .html page"),
    profile: Path | None = PROFILE_OPT,
    add_to_plan: bool = typer.Option(False, "--add-to-plan", help="turn the gaps into tasks"),
    no_save: bool = typer.Option(False, "--no-save", help="match only; store nothing"),
    as_json: bool = JSON_OPT,
) -> None:
    """Match one posting: level, fit, competencies, credentials, regulatory domains, pay."""
    from healthpm.jobs import service

    if posting.suffix.lower() == ".csv":
        raise InvalidInputError(
            f"{posting} is a CSV: match its postings with `healthpm jobs match-all`"
        )
    catalog = practice_common.catalog()
    person = practice_common.load_profile(profile, catalog)
    read = read_posting(_read(posting), name=posting.name)
    with local_session(practice_common.session_factory()) as (session, user):
        person = practice_common.profile_or_stored(person, session, user, catalog)
        result = service.match(read, catalog=catalog, profile=person)
        data = result.as_dict()
        if not no_save:
            data = service.row_dict(
                service.save_match(session, user_id=user.id, posting=read, result=result)
            )
        if add_to_plan:
            if person is None:
                raise InvalidInputError("--add-to-plan needs a profile: pass --profile FILE")
            added = service.gaps_to_plan(session, user=user, result=result)
            data["added_to_plan"] = [t["key"] for t in added]
    if as_json:
        print_json(data)
        return
    render_match(data)
    if add_to_plan:
        console.print(f"{len(data['added_to_plan'])} task(s) added to your plan.")


@app.command("match-all")
def match_all(
    postings: Path = typer.Argument(..., help="CSV with title and description columns"),
    profile: Path | None = PROFILE_OPT,
    as_json: bool = JSON_OPT,
) -> None:
    """Match every posting of a CSV, ranked by fit (nothing is stored)."""
    from healthpm.jobs import service

    catalog = practice_common.catalog()
    person = practice_common.load_profile(profile, catalog)
    rows: list[Posting] = read_csv(_read(postings), name=postings.name)
    with local_session(practice_common.session_factory()) as (session, user):
        person = practice_common.profile_or_stored(person, session, user, catalog)
    results = [m.as_dict() for m in service.match_many(rows, catalog=catalog, profile=person)]
    if as_json:
        print_json(results)
        return
    for rank, data in enumerate(results, start=1):
        fit = "-" if data["fit"] is None else f"{data['fit']:>3}"
        gaps = ", ".join(g["name"] for g in data["gaps"][:3])
        console.print(
            f"{rank:>2}. fit {fit}  {data['title']} → {data['level_name']}"
            + (f"  gaps: {gaps}" if gaps else ""),
            highlight=False,
        )


@app.command("list")
def list_cmd(as_json: bool = JSON_OPT) -> None:
    """Postings you matched, newest first."""
    from healthpm.jobs import service

    with local_session(practice_common.session_factory()) as (session, user):
        rows = [service.row_dict(r) for r in service.list_matches(session, user_id=user.id)]
    if as_json:
        print_json(rows)
        return
    if not rows:
        console.print("No matches yet: run `healthpm jobs match POSTING`.")
    for r in rows:
        fit = "-" if r["fit"] is None else r["fit"]
        console.print(f"#{r['id']} {r['title']} → {r['level_name']} (fit {fit})", highlight=False)


@app.command("show")
def show(match_id: int = typer.Argument(..., help="match id"), as_json: bool = JSON_OPT) -> None:
    """One stored match."""
    from healthpm.jobs import service

    with local_session(practice_common.session_factory()) as (session, user):
        data = service.row_dict(service.get_match(session, user_id=user.id, match_id=match_id))
    print_json(data) if as_json else render_match(data)


@app.command("rm")
def remove(match_id: int = typer.Argument(..., help="match id")) -> None:
    """Delete a stored match."""
    from healthpm.jobs import service

    with local_session(practice_common.session_factory()) as (session, user):
        service.delete_match(session, user_id=user.id, match_id=match_id)
    console.print(f"job match {match_id} deleted")


@app.command("eval")
def eval_cmd(
    manifest: Path = typer.Argument(..., help="YAML list of postings with expected answers"),
    as_json: bool = JSON_OPT,
) -> None:
    """The matcher's accuracy on a labelled test set (level, credentials, regulatory domains)."""
    from healthpm.jobs.evaluate import evaluate_manifest

    report = evaluate_manifest(manifest, practice_common.catalog())
    if as_json:
        print_json(report)
        return
    console.print(
        f"{report['postings']} postings: level {report['level_accuracy']:.0%} exact, "
        f"{report['level_within_one']:.0%} within one level; credentials "
        f"P {report['licensure']['precision']:.2f} R {report['licensure']['recall']:.2f}; "
        f"regulatory P {report['regulatory']['precision']:.2f} "
        f"R {report['regulatory']['recall']:.2f}; competencies recall "
        f"{report['competency_recall']:.2f}",
        highlight=False,
    )
    for miss in report["misses"]:
        console.print(f"  {miss}", highlight=False, markup=False)
