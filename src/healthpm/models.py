"""Import every table so Alembic and tests see the whole schema."""

from healthpm.accounts import models as accounts_models
from healthpm.coaching import models as coaching_models
from healthpm.db import Base
from healthpm.jobs import models as jobs_models
from healthpm.navigator import models as navigator_models
from healthpm.practice import models as practice_models  # noqa: F401
from healthpm.stories import models as stories_models

metadata = Base.metadata

__all__ = [
    "accounts_models",
    "coaching_models",
    "jobs_models",
    "metadata",
    "navigator_models",
    "stories_models",
]
