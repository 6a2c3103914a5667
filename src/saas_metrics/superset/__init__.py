"""Superset assets for the metrics layer.

`superset/` at the repository root is the source of truth (readable YAML with fixed
UUIDs); `bundle` turns it into an import ZIP for one connection URI, `server` runs a
local Superset over the demo warehouse in its own venv (.venv-superset).
"""

from saas_metrics.superset.bundle import build_bundle, load_assets

__all__ = ["build_bundle", "load_assets"]
