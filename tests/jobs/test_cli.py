"""`healthpm jobs ...` through the real error boundary: match (stored, with --add-to-plan),
match-all ranked, list/show/rm, eval; one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from healthpm.accounts.service import ensure_local_user
from healthpm.catalog import Catalog
from healthpm.navigator.profile_io import write_profile
from healthpm.navigator.service import current_plan, make_plan
from practice.conftest import Runner
from stories.test_stories import nurse_profile

POSTINGS = Path(__file__).parent / "postings"
CONTRACT = {"title", "level", "fit", "competencies", "gaps", "licensure", "salary", "explanation"}


def test_match_json_contract_store_and_plan(
    run_cli: Runner, tmp_path: Path, session_factory: sessionmaker[Session], real_catalog: Catalog
) -> None:
    profile = tmp_path / "dana.yaml"
    write_profile(profile, nurse_profile())
    with session_factory() as session, session.begin():
        make_plan(
            session,
            user=ensure_local_user(session),
            profile=nurse_profile(),
            catalog=real_catalog,
        )
    page = str(POSTINGS / "03_senior_rpm.html")
    result = run_cli("jobs", "match", page, "--profile", str(profile), "--json", "--add-to-plan")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert set(data) >= CONTRACT and data["level"] == "senior-pm"
    assert 0 <= data["fit"] <= 100
    assert {"id", "expected", "rating"} <= set(data["competencies"][0])
    gaps = [g for g in data["gaps"] if g["kind"] == "competency"]
    assert len(data["added_to_plan"]) == len(gaps) > 0
    with session_factory() as session:
        keys = {t["key"] for t in current_plan(session, user=ensure_local_user(session))["tasks"]}
    assert set(data["added_to_plan"]) <= keys
    listed = json.loads(run_cli("jobs", "list", "--json").out)
    assert [m["id"] for m in listed] == [data["id"]]
    assert (
        json.loads(run_cli("jobs", "show", str(data["id"]), "--json").out)["level"] == "senior-pm"
    )
    assert run_cli("jobs", "rm", str(data["id"])).code == 0
    assert run_cli("jobs", "show", str(data["id"])).code == 2


def test_match_all_ranks_by_fit(run_cli: Runner, tmp_path: Path) -> None:
    profile = tmp_path / "dana.yaml"
    write_profile(profile, nurse_profile())
    csv = tmp_path / "postings.csv"
    csv.write_text(
        "title,description\n"
        '"VP of Product","Reports to the CEO. Own the P&L. 12+ years of experience."\n'
        '"Product Manager, Clinical Workflows","Work with nurses on clinical workflows in '
        'Epic. 2-4 years of product experience. RN preferred."\n'
    )
    result = run_cli("jobs", "match-all", str(csv), "--profile", str(profile), "--json")
    assert result.code == 0, result.err
    ranked = json.loads(result.out)
    assert [r["title"] for r in ranked][0] == "Product Manager, Clinical Workflows"
    assert ranked[0]["fit"] >= ranked[1]["fit"]


def test_one_line_errors(run_cli: Runner, tmp_path: Path) -> None:
    csv = tmp_path / "p.csv"
    csv.write_text("title,description\nA,B\n")
    wrong = run_cli("jobs", "match", str(csv))
    assert wrong.code == 2 and "match-all" in wrong.line
    missing = run_cli("jobs", "match", str(tmp_path / "nope.txt"))
    assert missing.code == 2 and "no such" in missing.line
    plan = run_cli("jobs", "match", str(POSTINGS / "02_pm_rcm.txt"), "--add-to-plan")
    assert plan.code == 2 and "profile" in plan.line


def test_eval_command_reports_accuracy(run_cli: Runner) -> None:
    result = run_cli("jobs", "eval", str(POSTINGS / "manifest.yaml"), "--json")
    assert result.code == 0, result.err
    report = json.loads(result.out)
    assert report["postings"] == 22 and report["level_accuracy"] >= 0.9
