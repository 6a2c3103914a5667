"""Value ranges for public columns: from column meta, the metric catalog and the spec.

Order of precedence for a column's range:
1. the column's own ``meta.quality`` in its YAML (``min_value`` / ``max_value``, or
   ``range: none`` for no range check);
2. the names below whose range the spec fixes (scores 0-100, NPS -100..100, ratios 0-1);
3. the metric catalog's unit (seeds/metric_catalog.csv) or, for columns the catalog does
   not list, the name's suffix: percentages 0-100 unless they can exceed 100 by definition,
   money, counts and durations non-negative unless the name says it is a change or a net
   movement, which can be negative.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache

from saas_metrics import PROJECT_ROOT
from saas_metrics.quality.public_models import PublicColumn, PublicModel

CATALOG = PROJECT_ROOT / "seeds" / "metric_catalog.csv"


@dataclass(frozen=True)
class Range:
    min_value: float | None
    max_value: float | None
    why: str


SCORE = Range(0, 100, "a score is 0-100 (spec)")
PERCENT = Range(0, 100, "a percentage is 0-100 (spec)")
SHARE_RATIO = Range(0, 1, "a share of a whole as a ratio is 0-1")
NON_NEGATIVE = Range(0, None, "cannot be negative")

# Names whose range the spec or the formula fixes, whatever the unit says.
NAMED: dict[str, Range] = {
    "nps_score": Range(-100, 100, "NPS = % promoters - % detractors"),
    "csat_score": Range(1, 5, "CSAT answers are 1-5"),
    "dau_mau_ratio": SHARE_RATIO,
    "wau_mau_ratio": SHARE_RATIO,
    "overall_roi": Range(-1, None, "ROI = (revenue - spend) / spend is at least -1"),
    "ltv_cac_ratio": NON_NEGATIVE,
}

# Percentages that can pass 100 by definition: attainment over quota, credit used over
# the limit, retention with expansion, growth.
OPEN_ENDED_PERCENT = re.compile(
    r"(quota_attainment|credit_utilization|net_revenue_retention|revenue_retention|growth|"
    r"change_.*_pct$)"
)
# Movements and differences: signed.
SIGNED = re.compile(
    r"(^change_|_change|change_\d|net_new|^net_|_delta|_diff|_trend|_growth|lift|z_score)"
)
# Identifiers and other columns with no value range.
NOT_A_MEASURE = re.compile(r"(_id$|_name$|^metric_value$|^value_prev_|^rolling_\d+d_avg$)")


@lru_cache(maxsize=1)
def catalog_units() -> dict[str, str]:
    """metric_name -> unit, from the metric catalog (the same name has one unit)."""
    if not CATALOG.exists():
        return {}
    with CATALOG.open(newline="") as handle:
        return {row["metric_name"]: row["unit"] for row in csv.DictReader(handle)}


def column_range(model: PublicModel, column: PublicColumn) -> Range | None:
    """The value range a column must respect, or None when it has none."""
    quality = column.meta.get("quality") or {}
    if quality.get("range") == "none":
        return None
    if "min_value" in quality or "max_value" in quality:
        return Range(quality.get("min_value"), quality.get("max_value"), "column meta.quality")
    name = column.name
    if column.base_type in {"text", "varchar", "boolean", "date", "timestamp"}:
        return None
    if NOT_A_MEASURE.search(name) or name in model.grain:
        return None
    if name in NAMED:
        return NAMED[name]
    if SIGNED.search(name):
        return None
    unit = catalog_units().get(name) or _unit_from_name(name)
    if unit == "score":
        return SCORE
    if unit == "pct":
        return NON_NEGATIVE if OPEN_ENDED_PERCENT.search(name) else PERCENT
    if unit in {"usd", "count", "days", "hours", "minutes"}:
        return NON_NEGATIVE
    if unit == "ratio":
        return NON_NEGATIVE
    return None


def _unit_from_name(name: str) -> str | None:
    if name.endswith("_score"):
        return "score"
    if name.endswith(("_pct", "_rate", "_percentage", "_retention")):
        return "pct"
    if name.endswith("_ratio"):
        return "ratio"
    if name.endswith(("_mrr", "_arr", "_usd", "_amount", "_ar", "_balance", "_value")) or name in {
        "arr", "arpa", "ltv", "cac", "outstanding_ar", "overdue_ar",
    }:
        return "usd"
    if name.endswith(("_days", "_hours", "_minutes")):
        return "days"
    if name.endswith(("_count", "_customers", "_users", "_rows")) or name in {"dau", "wau", "mau"}:
        return "count"
    return None
