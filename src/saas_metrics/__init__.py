"""saas_metrics: a semantic metrics layer built on dbt."""

from pathlib import Path

__version__ = "0.1.0"

# The package lives in src/ of the repository that also holds the dbt project.
PROJECT_ROOT = Path(__file__).resolve().parents[2]
