"""healthpm: get into health-tech product management, and move up in it."""

__all__ = ["__version__"]
__version__ = "0.1.0"
