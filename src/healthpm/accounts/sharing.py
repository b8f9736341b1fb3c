"""Candidate-to-coach sharing, item kind by item kind, revocable; coach comments on attempts.

A share is bound to a coach *account* (`coach_id`), never to whoever later registers an
email: sharing with the email of an existing coach account binds at once; sharing with any
other email creates a pending share and a one-time invitation link, which the candidate
hands to their coach, and which binds the share to the coach account that accepts it.
"""

from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from healthpm.accounts.models import SHARE_KINDS, Comment, Share, User
from healthpm.accounts.service import get_user_by_email, normalize_email
from healthpm.accounts.sessions import token_hash
from healthpm.db import get_by_id, utcnow
from healthpm.errors import InvalidInputError, NotFoundError


def share(
    session: Session, *, owner: User, coach_email: str, kind: str
) -> tuple[Share, str | None]:
    """Share the owner's plan or practice history with a coach.

    Returns the share and, when no coach account has that email, the one-time invitation
    token the candidate hands over (None when the share is bound at once).
    """
    if kind not in SHARE_KINDS:
        raise InvalidInputError(f"share kind must be one of {', '.join(SHARE_KINDS)}, not {kind!r}")
    email = normalize_email(coach_email)
    if email == owner.email.lower():
        raise InvalidInputError("you cannot share with yourself")
    coach = get_user_by_email(session, email)
    coach_id = coach.id if coach is not None and coach.role == "coach" else None
    item = _open_share(session, owner_id=owner.id, coach_email=email, kind=kind)
    if item is None:
        item = Share(user_id=owner.id, coach_email=email, kind=kind)
        session.add(item)
    token = None
    if item.coach_id is None:
        if coach_id is not None:
            item.coach_id, item.invite_hash = coach_id, None
        else:
            token = secrets.token_urlsafe(32)
            item.invite_hash = token_hash(token)  # a new link replaces an older one
    session.flush()
    return item, token


def _open_share(session: Session, *, owner_id: int, coach_email: str, kind: str) -> Share | None:
    return session.scalar(
        select(Share).where(
            Share.user_id == owner_id,
            Share.coach_email == coach_email,
            Share.kind == kind,
            Share.revoked_at.is_(None),
        )
    )


def _active(session: Session, *, owner_id: int, coach_id: int, kind: str) -> Share | None:
    return session.scalar(
        select(Share).where(
            Share.user_id == owner_id,
            Share.coach_id == coach_id,
            Share.kind == kind,
            Share.revoked_at.is_(None),
        )
    )


def accept_invitation(session: Session, *, coach: User, token: str) -> Share:
    """Bind a pending share to the coach who opened its link; the link then stops working."""
    item = session.scalar(
        select(Share).where(Share.invite_hash == token_hash(token), Share.revoked_at.is_(None))
    )
    if item is None or len(token) > 200:
        raise NotFoundError("this invitation was already used, was revoked, or never existed")
    if coach.role != "coach":
        raise InvalidInputError("sign in with a coach account to accept an invitation")
    if item.user_id == coach.id:
        raise InvalidInputError("you cannot accept your own invitation")
    item.coach_id, item.coach_email, item.invite_hash = coach.id, coach.email.lower(), None
    session.flush()
    return item


def revoke(session: Session, *, owner: User, share_id: int) -> Share:
    """Revoke one of the owner's shares; NotFoundError for anyone else's."""
    item = get_by_id(session, Share, share_id)
    if item is None or item.user_id != owner.id:
        raise NotFoundError(f"no share with id {share_id}")
    if item.revoked_at is None:
        item.revoked_at, item.invite_hash = utcnow(), None
        session.flush()
    return item


def shares_of(session: Session, *, owner: User) -> list[Share]:
    """Every share the owner made, newest first (revoked ones included, marked)."""
    return list(
        session.scalars(select(Share).where(Share.user_id == owner.id).order_by(Share.id.desc()))
    )


def shared_with(session: Session, *, coach: User) -> list[tuple[Share, User]]:
    """Active shares addressed to this coach, with the candidate who made each."""
    rows = session.execute(
        select(Share, User)
        .join(User, User.id == Share.user_id)
        .where(Share.coach_id == coach.id, Share.revoked_at.is_(None))
        .order_by(User.email, Share.kind)
    )
    return [(s, u) for s, u in rows]


def can_view(session: Session, *, viewer: User, owner_id: int, kind: str) -> bool:
    """True for the owner, and for a coach holding an active share of that kind."""
    if viewer.id == owner_id:
        return True
    if viewer.role != "coach":
        return False
    return _active(session, owner_id=owner_id, coach_id=viewer.id, kind=kind) is not None


def shared_owner(session: Session, *, coach: User, owner_id: int, kind: str) -> User:
    """The candidate whose item the coach may read, or NotFoundError (never a 403)."""
    owner = get_by_id(session, User, owner_id)
    if (
        owner is None
        or owner.id == coach.id
        or not can_view(session, viewer=coach, owner_id=owner_id, kind=kind)
    ):
        raise NotFoundError(f"nothing shared with you under id {owner_id}")
    return owner


def add_comment(
    session: Session, *, author: User, owner_id: int, attempt_id: int, body: str
) -> Comment:
    """A coach's comment on a shared attempt (the caller checks the attempt belongs to owner)."""
    text = body.strip()
    if not text:
        raise InvalidInputError("a comment needs some text")
    if len(text) > 4000:
        raise InvalidInputError("a comment may have at most 4000 characters")
    shared_owner(session, coach=author, owner_id=owner_id, kind="practice")
    comment = Comment(attempt_id=attempt_id, user_id=owner_id, author_id=author.id, body=text)
    session.add(comment)
    session.flush()
    return comment


def comments_on(session: Session, *, owner_id: int, attempt_id: int) -> list[tuple[Comment, User]]:
    """Comments on one attempt, oldest first, with their authors."""
    rows = session.execute(
        select(Comment, User)
        .join(User, User.id == Comment.author_id)
        .where(Comment.user_id == owner_id, Comment.attempt_id == attempt_id)
        .order_by(Comment.id)
    )
    return [(c, u) for c, u in rows]
