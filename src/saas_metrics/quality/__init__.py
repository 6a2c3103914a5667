"""Data quality: great-expectations suites over every public model (see runner.py)."""

from saas_metrics.quality.public_models import PublicModel, load_manifest, public_models
from saas_metrics.quality.runner import ValidationReport, validate_warehouse

__all__ = ["PublicModel", "ValidationReport", "load_manifest", "public_models",
           "validate_warehouse"]
