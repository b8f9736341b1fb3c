"""Password hashing with argon2id (argon2-cffi's recommended parameters)."""

from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from healthpm.errors import InvalidInputError

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    return PasswordHasher()


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    """The 30,000 most common leaked passwords, as zxcvbn ships them (lower case)."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS  # ~1 MB of lists: load on first use

    return frozenset(FREQUENCY_LISTS["passwords"])


def check_password_rules(password: str, *, email: str = "") -> None:
    """Refuse short, blank, common or email-like passwords, with one actionable line."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInputError(f"password must have at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidInputError(f"password must have at most {MAX_PASSWORD_LENGTH} characters")
    if not password.strip() or len(set(password)) < 4:
        raise InvalidInputError("password must not be blank or one character repeated")
    folded = password.strip().lower()
    if folded in _common_passwords():
        raise InvalidInputError("that password is on a list of common passwords; choose another")
    address = email.strip().lower()
    if address and (folded == address or folded == address.partition("@")[0]):
        raise InvalidInputError("password must not be your email address")


def hash_password(password: str) -> str:
    """An argon2id hash (salted, encoded with its parameters)."""
    return _hasher().hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """True when password matches; False for a wrong password or an unusable hash."""
    if not stored_hash:
        _hasher().hash(password)  # same work either way, so timing does not reveal the account
        return False
    try:
        return _hasher().verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False
