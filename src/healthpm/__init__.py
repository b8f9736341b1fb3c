"""healthpm: get into health-tech product management, and move up in it.

The library API the CLI and the web app are built on (heavy parts such as the scoring model
and the web app load only when used)::

    from healthpm import assess, build_plan, load_catalog, validate_profile
    catalog = load_catalog()
    profile = validate_profile({...}, catalog)
    plan = build_plan(profile, assess(profile, catalog), catalog)
"""

from healthpm.catalog import Catalog, get_catalog, load_catalog
from healthpm.config import Settings, get_settings
from healthpm.domain.assessment import Assessment, assess
from healthpm.domain.feedback.schema import Feedback
from healthpm.domain.planning import Plan, build_plan
from healthpm.domain.profile import Profile, validate_profile
from healthpm.errors import HealthPMError

__all__ = [
    "Assessment",
    "Catalog",
    "Feedback",
    "HealthPMError",
    "Plan",
    "Profile",
    "Settings",
    "__version__",
    "assess",
    "build_plan",
    "get_catalog",
    "get_settings",
    "load_catalog",
    "validate_profile",
]
__version__ = "0.1.0"
