"""Writing a validated export file into this instance for one user (see portability.py).

Ids are remapped: `ref`s of the file become the new rows' ids. A row whose natural key (and
timestamp) already exists for the user is updated (profiles, task progress, review cards) or
skipped (the rest), so importing the same file twice adds nothing.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from healthpm.accounts.models import Comment, Share, User
from healthpm.accounts.portability_schema import AttemptPart, ExportFile, as_utc, ts
from healthpm.jobs.models import JobMatch
from healthpm.navigator.models import HoursLog, Plan, Profile, TaskProgress
from healthpm.practice.models import Attempt, MockSession, ReviewCard
from healthpm.stories.models import Story


class Importer:
    """One import run: `run` writes every section and returns the rows added per section."""

    def __init__(self, session: Session, user: User, doc: ExportFile) -> None:
        self.session, self.user, self.doc = session, user, doc
        self.added: Counter[str] = Counter()

    def _existing(self, model: Any) -> list[Any]:
        return list(self.session.scalars(select(model).where(model.user_id == self.user.id)))

    def _add(self, section: str, row: Any) -> Any:
        self.session.add(row)
        self.session.flush()
        self.added[section] += 1
        return row

    def run(self, profiles: dict[int, dict[str, Any]]) -> dict[str, int]:
        profile_ids = self._profiles(profiles)
        self._plans(profile_ids)
        self._task_progress()
        self._hours()
        attempt_ids = self._attempts(self._mocks())
        self._comments(attempt_ids)
        self._cards()
        self._shares()
        self._stories()
        self._job_matches()
        self.session.flush()
        sections = (
            "profiles plans task_progress hours mock_sessions attempts comments review_cards shares"
            " comments_dropped"
            " stories job_matches"
        )
        return {name: self.added[name] for name in sections.split()}

    def _profiles(self, validated: dict[int, dict[str, Any]]) -> dict[int, int]:
        by_name = {row.name: row for row in self._existing(Profile)}
        ids: dict[int, int] = {}
        for part in self.doc.profiles:
            row = by_name.get(part.name)
            if row is None:
                row = self._add(
                    "profiles",
                    Profile(
                        user_id=self.user.id,
                        name=part.name,
                        data=validated[part.ref],
                        created_at=as_utc(part.created_at),
                        updated_at=as_utc(part.updated_at),
                    ),
                )
                by_name[part.name] = row
            elif as_utc(part.updated_at) > as_utc(row.updated_at):
                row.data, row.updated_at = validated[part.ref], as_utc(part.updated_at)
            ids[part.ref] = row.id
        return ids

    def _plans(self, profile_ids: dict[int, int]) -> None:
        seen = {(p.profile_id, ts(p.created_at)) for p in self._existing(Plan)}
        for part in self.doc.plans:
            pid = profile_ids[part.profile_ref]
            if (pid, ts(part.created_at)) in seen:
                continue
            data = part.data
            plan = Plan(
                user_id=self.user.id, profile_id=pid, data=data, created_at=as_utc(part.created_at)
            )
            self._add("plans", plan)
            seen.add((pid, ts(part.created_at)))

    def _task_progress(self) -> None:
        rows = {(row.profile_name, row.task_key): row for row in self._existing(TaskProgress)}
        for part in self.doc.task_progress:
            row = rows.get((part.profile_name, part.task_key))
            if row is None:
                fresh = TaskProgress(
                    user_id=self.user.id, profile_name=part.profile_name, task_key=part.task_key
                )
                row = self._add("task_progress", fresh)
                rows[(part.profile_name, part.task_key)] = row
            row.done = part.done
            row.done_at = as_utc(part.done_at) if part.done_at else None
            row.updated_at = as_utc(part.updated_at)

    def _hours(self) -> None:
        def key(h: Any) -> tuple[Any, ...]:
            return (ts(h.created_at), h.logged_on.isoformat(), h.hours, h.task_key, h.note)

        seen = {key(h) for h in self._existing(HoursLog)}
        for part in self.doc.hours:
            if key(part) in seen:
                continue
            seen.add(key(part))
            self._add(
                "hours",
                HoursLog(
                    user_id=self.user.id,
                    **part.model_dump(exclude={"created_at"}),
                    created_at=as_utc(part.created_at),
                ),
            )

    def _mocks(self) -> dict[int, int]:
        existing = {
            (ts(m.started_at), m.minutes, tuple(m.question_ids)): m.id
            for m in self._existing(MockSession)
        }
        ids: dict[int, int] = {}
        for part in self.doc.mock_sessions:
            key = (ts(part.started_at), part.minutes, tuple(part.question_ids))
            if key not in existing:
                fields = part.model_dump(mode="json", exclude={"ref", "started_at", "ended_at"})
                mock = MockSession(
                    user_id=self.user.id,
                    **fields,
                    started_at=as_utc(part.started_at),
                    ended_at=as_utc(part.ended_at) if part.ended_at else None,
                )
                existing[key] = self._add("mock_sessions", mock).id
            ids[part.ref] = existing[key]
        return ids

    def _attempt_row(self, part: AttemptPart, mock_ids: dict[int, int]) -> Attempt:
        return Attempt(
            user_id=self.user.id,
            question_id=part.question_id,
            question_text=part.question_text,
            answer=part.answer,
            feedback=part.feedback.model_dump(mode="json"),
            overall=part.overall,
            time_taken_s=part.time_taken_s,
            mock_id=mock_ids[part.mock_ref] if part.mock_ref is not None else None,
            redacted=part.redacted,
            reviewer=part.reviewer,
            created_at=as_utc(part.created_at),
            profile_name=part.profile_name,
        )

    def _attempts(self, mock_ids: dict[int, int]) -> dict[int, int]:
        existing = {
            (ts(a.created_at), a.question_text, a.answer): a.id for a in self._existing(Attempt)
        }
        ids: dict[int, int] = {}
        for part in self.doc.attempts:
            key = (ts(part.created_at), part.question_text, part.answer)
            if key not in existing:
                existing[key] = self._add("attempts", self._attempt_row(part, mock_ids)).id
            ids[part.ref] = existing[key]
        return ids

    def _comments(self, attempt_ids: dict[int, int]) -> None:
        """Comments the importing user wrote on their own attempts; any other author's are
        dropped (counted, whichever emails they name): a file cannot speak for someone else,
        and whether an email has an account here is not the importer's to learn."""
        seen = {
            (c.attempt_id, c.author_id, ts(c.created_at), c.body) for c in self._existing(Comment)
        }
        own = self.user.email.strip().lower()
        for part in self.doc.attempts:
            for comment in part.comments:
                if comment.author_email.strip().lower() != own:
                    self.added["comments_dropped"] += 1
                    continue
                key = (attempt_ids[part.ref], self.user.id, ts(comment.created_at), comment.body)
                if key in seen:
                    continue
                seen.add(key)
                self._add(
                    "comments",
                    Comment(
                        attempt_id=key[0],
                        user_id=self.user.id,
                        author_id=self.user.id,
                        body=comment.body,
                        created_at=as_utc(comment.created_at),
                    ),
                )

    def _cards(self) -> None:
        rows = {row.question_id: row for row in self._existing(ReviewCard)}
        for part in self.doc.review_cards:
            row = rows.get(part.question_id)
            if row is None:
                row = ReviewCard(user_id=self.user.id, question_id=part.question_id)
                self.added["review_cards"] += 1
                self.session.add(row)
            row.card, row.prior_card = part.card, part.prior_card
            row.due_at, row.last_rating = as_utc(part.due_at), part.last_rating
            row.updated_at = as_utc(part.updated_at)

    def _shares(self) -> None:
        seen = {(s.coach_email, s.kind, ts(s.created_at)) for s in self._existing(Share)}
        own = self.user.email.lower()
        for part in self.doc.shares:
            email = part.coach_email.strip().lower()
            key = (email, part.kind, ts(part.created_at))
            if key in seen or email == own:
                continue
            seen.add(key)
            share = Share(
                user_id=self.user.id,
                coach_email=email,
                kind=part.kind,
                created_at=as_utc(part.created_at),
                revoked_at=as_utc(part.revoked_at) if part.revoked_at else None,
            )
            self._add("shares", share)

    def _stories(self) -> None:
        seen = {(ts(s.created_at), s.title) for s in self._existing(Story)}
        for part in self.doc.stories:
            key = (ts(part.created_at), part.title)
            if key in seen:
                continue
            seen.add(key)
            fields = part.model_dump(exclude={"created_at", "updated_at"})
            row = Story(
                user_id=self.user.id,
                **fields,
                created_at=as_utc(part.created_at),
                updated_at=as_utc(part.updated_at),
            )
            self._add("stories", row)

    def _job_matches(self) -> None:
        seen = {(ts(m.created_at), m.title) for m in self._existing(JobMatch)}
        for part in self.doc.job_matches:
            key = (ts(part.created_at), part.title)
            if key in seen:
                continue
            seen.add(key)
            fields = part.model_dump(exclude={"created_at"})
            row = JobMatch(user_id=self.user.id, **fields, created_at=as_utc(part.created_at))
            self._add("job_matches", row)
