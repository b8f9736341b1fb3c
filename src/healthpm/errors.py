"""One exception tree. Each class knows its HTTP status and CLI exit code."""

from __future__ import annotations


class HealthPMError(Exception):
    """Base of every error healthpm raises on purpose; the message is one actionable line."""

    http_status = 500
    exit_code = 1


class InvalidInputError(HealthPMError):
    """The user's input (a profile, an answer, a form field, a file) is not acceptable."""

    http_status = 400
    exit_code = 2


class ProfileError(InvalidInputError):
    """A profile field is missing, unknown or out of range."""


class NotFoundError(HealthPMError):
    """An id that names nothing (or nothing this user may see)."""

    http_status = 404
    exit_code = 2


class ContentError(HealthPMError):
    """The shipped knowledge base failed validation (a packaging bug, not a user error)."""

    http_status = 500
    exit_code = 1


class DataFileError(InvalidInputError):
    """A data file (zip, JSON, JSONL) is corrupt or not in the expected layout."""


class ConflictError(HealthPMError):
    """The request conflicts with stored state (e.g. an email already registered)."""

    http_status = 409
    exit_code = 2


class AuthError(HealthPMError):
    """Sign-in required or credentials wrong."""

    http_status = 401
    exit_code = 2


class ForbiddenError(HealthPMError):
    """Signed in, but this account may not do that (an admin-only action)."""

    http_status = 403
    exit_code = 2


class RateLimitedError(HealthPMError):
    """Too many attempts; try again later."""

    http_status = 429
    exit_code = 2


class NetworkError(HealthPMError):
    """A download the user asked for failed; what was fetched so far is kept for resume."""

    http_status = 502
    exit_code = 3


class ConfigError(HealthPMError):
    """A setting (HEALTHPM_*) or a file the settings name is unusable."""

    http_status = 500
    exit_code = 2
