"""The data side of scripts/backup-drill.sh: fill a live server, record what it serves, and
check after the restore that it serves the same.

    backup_drill.py seed URL STATE.json    accounts, a plan with progress, attempts, a share,
                                           a coach comment; writes what each person sees
    backup_drill.py check URL STATE.json   the same people see the same things again

Everything goes through HTTP as a browser or the JSON API would, so "the app serves it" is
what is checked, not only that rows exist. Passwords are the drill's own (throwaway server).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import httpx
import yaml

from healthpm.demo import demo_profile_path

PASSWORD = "Drill-backup-restore-2026"
COACH = "coach@bootcamp.test"
PEOPLE = {"nadia@cohort.test": "nurse-to-pm", "marcus@cohort.test": "fintech-pm-to-pm"}
VOLATILE = ("exported_at",)


def fail(message: str) -> None:
    print(f"backup drill: FAILED: {message}", file=sys.stderr)
    raise SystemExit(1)


def browser(url: str) -> httpx.Client:
    c = httpx.Client(base_url=url, timeout=60)
    c.get("/signin")
    return c


def form(c: httpx.Client, path: str, data: dict[str, str]) -> httpx.Response:
    """A form POST with the CSRF token the browser holds."""
    return c.post(path, data=data | {"csrf_token": c.cookies.get("healthpm_csrf") or ""})


def sign_in(url: str, email: str) -> httpx.Client:
    c = browser(url)
    r = form(c, "/signin", {"email": email, "password": PASSWORD})
    if r.status_code != 303:
        fail(f"{email} cannot sign in ({r.status_code})")
    return c


def ok(r: httpx.Response) -> httpx.Response:
    if r.status_code >= 300:
        fail(f"{r.request.method} {r.request.url.path} -> {r.status_code}: {r.text[:300]}")
    return r


def attempt(n: int) -> dict[str, Any]:
    """An answer as the export file holds it (with its stored feedback: no model needed)."""
    dims = ("structure", "specificity", "data", "domain", "risk_safety", "stakeholders")
    return {
        "ref": n,
        "question_id": None,
        "question_text": f"Drill question {n}: how would you launch remote monitoring?",
        "answer": f"Answer {n}: pilot on one ward with the charge nurses, measure alarm load.",
        "feedback": {
            "overall": 2.5 + n / 2,
            "dimensions": dict.fromkeys(dims, 3),
            "flags": [],
            "rules_version": "drill",
        },
        "overall": 2.5 + n / 2,
        "time_taken_s": 90 + n,
        "mock_ref": None,
        "redacted": False,
        "created_at": f"2026-11-0{n}T10:00:00+00:00",
        "comments": [],
    }


def fill(url: str, email: str, profile: str) -> None:
    """A profile, a plan with one task ticked and hours logged, and two answers."""
    c = sign_in(url, email)
    data = yaml.safe_load(demo_profile_path(profile).read_text(encoding="utf-8"))
    ok(c.put("/api/profile", json=json.loads(json.dumps(data, default=str))))
    plan = ok(c.post("/api/plan", json={})).json()
    key = plan["weeks"][0]["tasks"][0]["key"]
    ok(c.put(f"/api/plan/tasks/{key}", json={"done": True}))
    hours = {"hours": 1.5, "on": plan["weeks"][0]["start"], "task_key": key, "note": "drill"}
    ok(c.post("/api/plan/hours", json=hours))
    export = ok(c.get("/api/export")).json()
    ok(c.post("/api/import", json=export | {"attempts": [attempt(1), attempt(2)]}))
    r = form(c, "/account/shares", {"coach_email": COACH, "kind": "practice"})
    r2 = form(c, "/account/shares", {"coach_email": COACH, "kind": "plan"})
    if r.status_code != 303 or r2.status_code != 303:
        fail(f"{email} cannot share with the coach")


def comment(url: str) -> None:
    coach = sign_in(url, COACH)
    home = coach.get("/coach").text
    owner = re.search(r'href="/coach/(\d+)/practice"', home)
    if owner is None:
        fail("the coach sees no shared practice")
        return
    page = coach.get(f"/coach/{owner.group(1)}/practice").text
    found = re.search(rf"/coach/{owner.group(1)}/attempts/(\d+)", page)
    if found is None:
        fail("the coach sees no shared attempt")
        return
    path = f"/coach/{owner.group(1)}/attempts/{found.group(1)}/comments"
    r = form(coach, path, {"body": "Drill comment: name the metric first."})
    if r.status_code not in (200, 303):
        fail(f"the coach cannot comment ({r.status_code})")


def snapshot(url: str) -> dict[str, Any]:
    """What each person is served: their export, plan, progress; the coach's cohort page."""
    state: dict[str, Any] = {}
    for email in PEOPLE:
        c = sign_in(url, email)
        export = c.get("/api/export").json()
        for key in VOLATILE:
            export.pop(key, None)
        state[email] = {
            "export": export,
            "plan": c.get("/api/plan").json(),
            "progress": c.get("/api/progress").json(),
            "done_rows": len(re.findall(r'data-done="true"', c.get("/plan").text)),
        }
    coach = sign_in(url, COACH)
    names = sorted(set(re.findall(r'href="/coach/(\d+)/practice"', coach.get("/coach").text)))
    state[COACH] = {"practice_shared_by": names}
    return state


def summary(state: dict[str, Any]) -> str:
    people = [e for e in state if e in PEOPLE]
    attempts = sum(len(state[e]["export"].get("attempts", [])) for e in people)
    comments = sum(
        len(a.get("comments", [])) for e in people for a in state[e]["export"].get("attempts", [])
    )
    return (
        f"{len(people) + 1} accounts, {attempts} attempts, {comments} coach comment(s), "
        f"{sum(state[e]['done_rows'] for e in people)} ticked plan rows"
    )


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[0] not in ("seed", "check"):
        print(__doc__, file=sys.stderr)
        return 2
    command, url, path = argv[0], argv[1].rstrip("/"), Path(argv[2])
    if command == "seed":
        for email, profile in PEOPLE.items():
            fill(url, email, profile)
        comment(url)
        state = snapshot(url)
        # A browser signed in before the backup: after the restore its session (database) and
        # its CSRF token (signed with the key in the data dir) must both still work.
        kept = sign_in(url, next(iter(PEOPLE)))
        state["_browser"] = {k: kept.cookies.get(k) for k in ("healthpm_session", "healthpm_csrf")}
        path.write_text(json.dumps(state, indent=1, sort_keys=True), encoding="utf-8")
        print(f"backup drill: seeded {summary(state)}")
        return 0
    before = json.loads(path.read_text(encoding="utf-8"))
    cookies = before.pop("_browser")
    after = snapshot(url)
    for who in before:
        if before[who] != after[who]:
            diff = [k for k in before[who] if before[who][k] != after[who].get(k)]
            fail(f"after the restore {who} is served different {', '.join(diff)}")
    old = httpx.Client(base_url=url, timeout=60, cookies=cookies)
    if old.get("/api/me").status_code != 200:
        fail("a session from before the backup no longer works")
    r = form(old, "/plan/hours", {"hours": "0.5", "on": "2027-01-05", "note": "after restore"})
    if r.status_code != 303:
        fail(f"a form from before the backup is refused ({r.status_code}): was the key restored?")
    print(f"backup drill: restored and served the same: {summary(after)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
