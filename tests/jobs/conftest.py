"""The story fixtures (real catalog, fake engine, CLI runner) serve the job tests too."""

from stories.conftest import engine, real_catalog, run_cli, tagger

__all__ = ["engine", "real_catalog", "run_cli", "tagger"]
