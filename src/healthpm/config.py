"""Typed settings: one Settings class, read from HEALTHPM_* environment variables."""

from __future__ import annotations

import os
import re
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from platformdirs import user_data_dir
from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from healthpm.errors import ConfigError

PLACEHOLDER_SECRET = "change-me"
#: A secret given by the operator must be at least this long (32 characters of a random
#: token carry well over 128 bits); the generated one is 256 bits.
MIN_SECRET_LENGTH = 32
SECRET_FILE = "secret_key"
_PLACEHOLDER_WORDS = ("change", "secret", "password", "placeholder", "example", "default")


def _default_data_dir() -> Path:
    return Path(user_data_dir("healthpm", appauthor=False))


def weak_secret_reason(value: str) -> str | None:
    """Why a configured secret is unacceptable (short or placeholder-like), or None."""
    if len(value) < MIN_SECRET_LENGTH:
        return f"it has {len(value)} characters; use at least {MIN_SECRET_LENGTH}"
    lowered = value.lower()
    if any(word in lowered for word in _PLACEHOLDER_WORDS) or len(set(value)) < 12:
        return "it looks like a placeholder, not a random value"
    return None


class Settings(BaseSettings):
    """Everything configurable, with safe local defaults."""

    model_config = SettingsConfigDict(env_prefix="HEALTHPM_", extra="ignore")

    env: str = Field("development", description="development, test or production")
    data_dir: Path = Field(default_factory=_default_data_dir, description="where data lives")
    database_url: str | None = Field(
        None, description="SQLAlchemy URL; SQLite in data_dir if unset"
    )
    secret_key: str | None = Field(
        None,
        description="signs CSRF tokens; unset: a random key generated once in data_dir/secret_key",
    )
    multi_user: bool = Field(False, description="accounts and coaches instead of one local user")
    host: str = Field("127.0.0.1", description="web server address")
    port: int = Field(8000, ge=1, le=65535, description="web server port")
    workers: int = Field(1, ge=1, le=64, description="web server processes (`serve --workers`)")
    trusted_proxies: str = Field(
        "",
        description="comma-separated proxy addresses whose X-Forwarded-For/-Proto are believed; "
        "empty: none (the TCP peer is the client)",
    )
    session_idle_minutes: int = Field(
        7 * 24 * 60, ge=5, description="a session unused this long ends"
    )
    session_max_days: int = Field(
        14, ge=1, le=366, description="a session ends this long after sign-in"
    )
    signin_failures_per_account: int = Field(
        5, ge=1, description="failed sign-ins per account in the window before it is locked"
    )
    signin_failures_per_client: int = Field(
        20, ge=1, description="failed sign-ins per client address in the window"
    )
    signin_window_minutes: int = Field(15, ge=1, le=1440, description="the failed sign-in window")
    signups_per_client_per_hour: int = Field(5, ge=1, description="new accounts per address")
    scores_per_user_per_hour: int = Field(
        300, ge=1, description="answers scored per user (practice, mock, API)"
    )
    signup: Literal["open", "invite"] = Field(
        "open",
        description="open: anyone who reaches /signup makes an account; invite: only invitation "
        "links (`healthpm user invite` or `user import`) create accounts",
    )
    public_url: str = Field(
        "",
        description="the address people use, e.g. https://pm.bootcamp.example, for invitation "
        "links printed by the CLI (empty: http://host:port)",
    )
    root_path: str = Field(
        "",
        description="serve under this path prefix behind a proxy, e.g. /healthpm for "
        "https://example.org/healthpm/ (empty: at the root)",
    )
    access_log: bool = Field(False, description="`serve` logs one line per request to stderr")
    preload_model: bool = Field(
        True, description="`serve` loads the scoring model at start, not at the first answer"
    )
    fda_manifest_url: str = Field(
        "https://api.fda.gov/download.json",
        description="openFDA download manifest; partition URLs are read from it",
    )

    @field_validator("root_path")
    @classmethod
    def _normalise_root_path(cls, value: str) -> str:
        """ "/healthpm" from "healthpm", "/healthpm/" or " /healthpm "; "" for the root."""
        path = "/" + value.strip().strip("/")
        if path == "/":
            return ""
        if not re.fullmatch(r"(/[A-Za-z0-9._~-]+)+", path):
            raise ValueError(f"{value!r} is not a path prefix such as /healthpm")
        return path

    @field_validator("env")
    @classmethod
    def _normalise_env(cls, value: str) -> str:
        return value.strip().lower()

    reviewer_url: str | None = Field(
        None,
        description="optional LLM reviewer: an OpenAI-compatible server (its /v1/chat/completions)",
    )
    reviewer_model: str | None = Field(None, description="the model name the reviewer asks for")
    reviewer_key: str | None = Field(
        None, description="bearer key for the reviewer, if it needs one"
    )
    reviewer_timeout: float = Field(30.0, gt=0, le=600, description="seconds to wait for a review")

    @model_validator(mode="after")
    def _refuse_weak_secret(self) -> Settings:
        if self.secret_key is None:
            return self
        reason = weak_secret_reason(self.secret_key)
        if reason and (self.env == "production" or self.multi_user):
            raise ValueError(
                f"HEALTHPM_SECRET_KEY is refused: {reason} (or unset it to generate one)"
            )
        return self

    @property
    def resolved_database_url(self) -> str:
        """The configured URL, or a SQLite file in the data dir."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'healthpm.sqlite3'}"

    @property
    def fda_store_path(self) -> Path:
        """The DuckDB file that holds imported openFDA data."""
        return self.data_dir / "fda.duckdb"

    @property
    def base_url(self) -> str:
        """Where people reach the server: public_url, else http://host:port."""
        direct = f"http://{self.host}:{self.port}{self.root_path}"
        return (self.public_url or direct).rstrip("/")

    @property
    def trusted_proxy_list(self) -> list[str]:
        """The trusted proxy addresses, [] when none are named."""
        return [p.strip() for p in self.trusted_proxies.split(",") if p.strip()]

    def resolved_secret(self) -> str:
        """The configured secret, else the one in data_dir/secret_key (created 0600 if absent)."""
        if self.secret_key is not None:
            return self.secret_key
        return load_or_create_secret(self.data_dir / SECRET_FILE)


def load_or_create_secret(path: Path) -> str:
    """A 256-bit random key kept in `path` (mode 0600); every process and restart reuses it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_secret(path)
    value = secrets.token_urlsafe(32)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(value + "\n")
    return value


def _read_secret(path: Path) -> str:
    if path.stat().st_mode & 0o077:
        path.chmod(0o600)
    value = path.read_text(encoding="utf-8").strip()
    if not value:  # another process created the file and is about to write it
        import time

        time.sleep(0.2)
        value = path.read_text(encoding="utf-8").strip()
    if weak_secret_reason(value):
        raise ConfigError(f"{path} does not hold a usable key; delete it to generate one")
    return value


def load_settings() -> Settings:
    """Settings from the environment; a bad value is one ConfigError line, not a traceback."""
    try:
        return Settings()
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        name = f"HEALTHPM_{where.upper()}: " if where else ""
        message = str(err["msg"]).removeprefix("Value error, ")
        raise ConfigError(f"{name}{message}") from None


@lru_cache
def get_settings() -> Settings:
    """Settings read once from the environment (tests build their own Settings)."""
    return load_settings()
