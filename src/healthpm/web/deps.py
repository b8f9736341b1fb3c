"""Request dependencies, declared once as Annotated aliases (SessionDep, CurrentUser, ...)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Path, Request
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from healthpm.accounts import throttle
from healthpm.accounts.models import User
from healthpm.accounts.service import ensure_local_user
from healthpm.accounts.sessions import session_user
from healthpm.accounts.throttle import Limit
from healthpm.catalog import Catalog
from healthpm.config import Settings
from healthpm.db import MAX_ID, transaction
from healthpm.errors import AuthError, ForbiddenError, HealthPMError, NotFoundError
from healthpm.practice.scoring import ScoringEngine
from healthpm.web.charts import SvgRenderer
from healthpm.web.security import CSRF_COOKIE, CSRF_FIELD, CSRF_HEADER, SESSION_COOKIE


@dataclass(frozen=True)
class UserView:
    """What the layout shows of the signed-in user."""

    id: int
    email: str
    name: str
    role: str
    is_admin: bool = False


UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class CsrfError(HealthPMError):
    """A state-changing request without the page's CSRF token."""

    http_status = 403
    exit_code = 2


# Dependencies that only read app state or a value already loaded are `async def`: FastAPI
# runs each sync dependency in its thread pool, and those hand-offs (a queue, a thread wake-up,
# a GIL switch) cost pages more under load than the work itself. Anything touching the
# database or the model stays a plain `def`. (The catalog is loaded before serving starts.)
async def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_session(request: Request) -> Iterator[Session]:
    """One session per request: the request is the transaction boundary."""
    with transaction(request.app.state.session_factory) as session:
        yield session


async def get_catalog_dep(request: Request) -> Catalog:
    catalog: Catalog = request.app.state.catalog()
    return catalog


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
# scope="function": commit before the response is sent, so a failed commit is a 500, not a lie.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
CatalogDep = Annotated[Catalog, Depends(get_catalog_dep)]


def get_optional_user(request: Request, session: SessionDep) -> User | None:
    """The signed-in user (the local user in single-user mode), or None."""
    if not request.app.state.settings.multi_user:
        user: User | None = ensure_local_user(session)
    else:
        user = session_user(
            session,
            token=request.cookies.get(SESSION_COOKIE),
            policy=request.app.state.session_policy,
        )
    # Templates (error pages too, after a rollback expired the ORM object) read this copy.
    request.state.user = (
        None if user is None else UserView(user.id, user.email, user.name, user.role, user.is_admin)
    )
    return user


MaybeUser = Annotated[User | None, Depends(get_optional_user)]


async def get_current_user(user: MaybeUser) -> User:
    """The signed-in user, or AuthError (pages redirect to sign-in, the API answers 401)."""
    if user is None:
        raise AuthError("sign in to continue")
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


async def get_coach(user: CurrentUser) -> User:
    """The current user when a coach; anyone else gets a 404 for coach pages."""
    if user.role != "coach":
        raise NotFoundError("this page is for coaches")
    return user


CurrentCoach = Annotated[User, Depends(get_coach)]


async def get_admin(request: Request, user: CurrentUser) -> User:
    """The current user when an admin (always, for the one user of a single-user install)."""
    if request.app.state.settings.multi_user and not user.is_admin:
        raise ForbiddenError("only an admin of this server can do this")
    return user


CurrentAdmin = Annotated[User, Depends(get_admin)]


async def csrf_protect(request: Request) -> None:
    """The one CSRF check, applied to every route: unsafe methods must echo the token.

    JSON requests to /api pass without it: a cross-site page cannot send
    `Content-Type: application/json` without a CORS preflight, which this app never grants.
    """
    if request.method not in UNSAFE_METHODS:
        return
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if request.url.path.startswith("/api/") and content_type == "application/json":
        return
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and content_type in {
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    }:
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    cookies = request.cookies
    if not request.app.state.csrf.matches(
        cookies.get(SESSION_COOKIE), cookies.get(CSRF_COOKIE), sent
    ):
        raise CsrfError("the form expired or came from another site; reload the page and retry")


def get_engine(
    request: Request, catalog: CatalogDep, session: SessionDep, user: CurrentUser
) -> ScoringEngine:
    """The scoring engine for a signed-in user within their hourly quota of scored answers.

    Every route that scores takes this dependency, so none scores for an anonymous caller
    or past `scores_per_user_per_hour` (the model is the server's most expensive resource).
    The engine is loaded on first use (the embedding model takes about a second).
    """
    limit = Limit(request.app.state.settings.scores_per_user_per_hour, timedelta(hours=1))
    throttle.take(
        session,
        f"score-user:{user.id}",
        limit,
        f"you have scored {limit.count} answers in the last hour; wait a while and try again",
    )
    engine: ScoringEngine = request.app.state.engine(catalog)
    return engine


EngineDep = Annotated[ScoringEngine, Depends(get_engine)]


async def get_charts(request: Request) -> SvgRenderer:
    """The app's chart renderer (a worker process under `healthpm serve`)."""
    renderer: SvgRenderer = request.app.state.charts
    return renderer


ChartsDep = Annotated[SvgRenderer, Depends(get_charts)]


async def get_form(request: Request) -> FormData:
    """The parsed form, for pages whose field names depend on the catalog (one per competency)."""
    return await request.form()


FormDep = Annotated[FormData, Depends(get_form)]

#: A path id: out-of-range numbers are refused as bad input (4xx) before any query runs.
ObjectId = Annotated[int, Path(ge=1, le=MAX_ID)]
