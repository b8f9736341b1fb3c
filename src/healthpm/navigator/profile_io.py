"""Read and write profile files (YAML; JSON is valid YAML)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from healthpm.catalog import Catalog
from healthpm.domain import yamlio
from healthpm.domain.profile import Profile, validate_profile
from healthpm.errors import ProfileError


def read_profile(path: Path, catalog: Catalog) -> Profile:
    """Load and validate a profile file; every problem is one ProfileError line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ProfileError(
            f"{path}: no such profile file (create one with `healthpm init`)"
        ) from None
    except UnicodeDecodeError:
        raise ProfileError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise ProfileError(f"{path}: cannot read ({exc.strerror})") from None
    try:
        data: Any = yamlio.safe_load(text)
    except yaml.YAMLError as exc:
        raise ProfileError(f"{path}: not valid YAML or JSON: {str(exc).splitlines()[0]}") from None
    return validate_profile(data, catalog, origin=str(path))


def profile_to_yaml(profile: Profile) -> str:
    """The profile as a YAML document with fields in schema order."""
    data = profile.model_dump(mode="json", exclude_none=True)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def write_profile(path: Path, profile: Profile) -> None:
    """Write atomically so an interrupted write never leaves half a profile."""
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(profile_to_yaml(profile), encoding="utf-8")
    tmp.replace(path)
