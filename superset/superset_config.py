"""Superset configuration for the metrics layer (SUPERSET_CONFIG_PATH points here).

Used by `make superset` / `saas-metrics superset-serve` and by the end-to-end test. Every
path and secret comes from the environment the launcher sets:
  SUPERSET_HOME        metadata folder (default <repo>/target/superset, git-ignored)
  SUPERSET_SECRET_KEY  generated once per SUPERSET_HOME by the launcher (or by the test)
"""

import os
from pathlib import Path

SUPERSET_HOME = os.environ.get(
    "SUPERSET_HOME", str(Path(__file__).resolve().parent.parent / "target" / "superset")
)
SQLALCHEMY_DATABASE_URI = f"sqlite:///{SUPERSET_HOME}/superset.db?check_same_thread=false"
SECRET_KEY = os.environ["SUPERSET_SECRET_KEY"]

# A local, single-user server on 127.0.0.1: no HTTPS to force, no welcome tour.
TALISMAN_ENABLED = False
SESSION_COOKIE_SECURE = False
WTF_CSRF_ENABLED = os.environ.get("SUPERSET_WTF_CSRF", "true") == "true"
# The test client and the chart-data API log in with a JWT, never a form.
WTF_CSRF_EXEMPT_LIST = [
    "superset.views.core.log",
    "superset.charts.data.api.data",
    "superset.dashboards.api.cache_dashboard_screenshot",
]
FEATURE_FLAGS = {
    "DASHBOARD_RBAC": False,
    "ALERT_REPORTS": False,
    "THUMBNAILS": False,
    "ENABLE_TEMPLATE_PROCESSING": False,
    # render every chart at once (no lazy loading), for screenshots and small dashboards
    "DASHBOARD_VIRTUALIZATION": False,
}
# The DuckDB replica is a local file; Superset must be allowed to open it.
PREVENT_UNSAFE_DB_CONNECTIONS = False
ROW_LIMIT = 50000
SQL_MAX_ROW = 100000
RATELIMIT_STORAGE_URI = "memory://"
CACHE_CONFIG = {"CACHE_TYPE": "NullCache"}
DATA_CACHE_CONFIG = {"CACHE_TYPE": "NullCache"}
LOG_LEVEL = os.environ.get("SUPERSET_LOG_LEVEL", "WARNING")
