"""Typed settings: one Settings class, read from HEALTHPM_* environment variables."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from platformdirs import user_data_dir
from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDER_SECRET = "change-me"


def _default_data_dir() -> Path:
    return Path(user_data_dir("healthpm", appauthor=False))


class Settings(BaseSettings):
    """Everything configurable, with safe local defaults."""

    model_config = SettingsConfigDict(env_prefix="HEALTHPM_", extra="ignore")

    env: str = Field("development", description="development, test or production")
    data_dir: Path = Field(default_factory=_default_data_dir, description="where data lives")
    database_url: str | None = Field(
        None, description="SQLAlchemy URL; SQLite in data_dir if unset"
    )
    secret_key: str = Field(PLACEHOLDER_SECRET, description="signs session cookies")
    multi_user: bool = Field(False, description="accounts and coaches instead of one local user")
    host: str = Field("127.0.0.1", description="web server address")
    port: int = Field(8000, ge=1, le=65535, description="web server port")
    fda_manifest_url: str = Field(
        "https://api.fda.gov/download.json",
        description="openFDA download manifest; partition URLs are read from it",
    )

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
    def _refuse_placeholder_secret(self) -> Settings:
        if self.env == "production" and self.secret_key == PLACEHOLDER_SECRET:
            raise ValueError("HEALTHPM_SECRET_KEY must be set in production")
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


@lru_cache
def get_settings() -> Settings:
    """Settings read once from the environment (tests build their own Settings)."""
    return Settings()
