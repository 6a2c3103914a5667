"""Compare a public model between two builds (two engines, faulted vs clean, run 1 vs 2).

Rows are matched on the model's grain. Text, integers, dates and booleans must be equal;
numbers with decimals (numeric, double) may differ by 1e-9 relative (or 1e-9 absolute
near zero). ``computed_at`` (the build's own timestamp) is left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from saas_metrics.quality.public_models import PublicModel

IGNORED_COLUMNS = {"computed_at"}
FLOAT_TYPES = {"numeric", "decimal", "double precision", "double", "float", "real", "float8"}
INTEGER_TYPES = {"bigint", "integer", "int", "smallint", "int8", "int4", "hugeint"}
REL_TOL = 1e-9


@dataclass
class Difference:
    model: str
    mismatched_rows: int
    only_left: int
    only_right: int
    columns: dict[str, int] = field(default_factory=dict)
    sample: str = ""

    @property
    def count(self) -> int:
        return self.mismatched_rows + self.only_left + self.only_right


def _normalise(frame: pd.DataFrame, model: PublicModel) -> pd.DataFrame:
    out = pd.DataFrame(index=frame.index)
    types = {column.name: column.base_type for column in model.columns}
    for name in frame.columns:
        if name in IGNORED_COLUMNS:
            continue
        values = frame[name]
        kind = types.get(name, "")
        if kind in FLOAT_TYPES:
            out[name] = pd.to_numeric(values.astype(object).where(values.notna(), None),
                                      errors="coerce").astype("float64")
        elif kind in INTEGER_TYPES:
            out[name] = pd.to_numeric(values.astype(object).where(values.notna(), None),
                                      errors="coerce").astype("Int64")
        elif kind == "date":
            out[name] = pd.to_datetime(values).dt.strftime("%Y-%m-%d")
        elif kind.startswith("timestamp"):
            out[name] = pd.to_datetime(values).dt.strftime("%Y-%m-%d %H:%M:%S.%f")
        elif kind == "boolean":
            out[name] = values.astype("boolean")
        else:
            out[name] = values.astype(object).where(values.notna(), None).astype("string")
    return out


def compare_frames(model: PublicModel, left: pd.DataFrame, right: pd.DataFrame,
                   sample_rows: int = 5) -> Difference:
    """How the two builds of a model differ; Difference.count == 0 means equal."""
    left, right = _normalise(left, model), _normalise(right, model)
    keys = list(model.grain) or [c for c in left.columns]
    merged = left.merge(right, on=keys, how="outer", suffixes=("_left", "_right"),
                        indicator=True)
    only_left = int((merged["_merge"] == "left_only").sum())
    only_right = int((merged["_merge"] == "right_only").sum())
    both = merged[merged["_merge"] == "both"]
    bad = pd.Series(False, index=both.index)
    per_column: dict[str, int] = {}
    for name in left.columns:
        if name in keys:
            continue
        a, b = both[f"{name}_left"], both[f"{name}_right"]
        if a.dtype == "float64":
            av, bv = a.to_numpy(dtype=float), b.to_numpy(dtype=float)
            close = np.isclose(av, bv, rtol=REL_TOL, atol=REL_TOL, equal_nan=True)
            differs = pd.Series(~close, index=both.index)
        else:
            equal = (a == b).fillna(False).astype(bool)
            differs = ~(equal | (a.isna() & b.isna()))
        if differs.any():
            per_column[name] = int(differs.sum())
            bad |= differs
    sample_parts = []
    if bad.any():
        shown = both[bad].head(sample_rows)
        cols = keys + [f"{n}_{side}" for n in per_column for side in ("left", "right")]
        sample_parts.append("first differing rows:\n" + shown[cols].to_string())
    if only_left or only_right:
        extra = merged[merged["_merge"] != "both"].head(sample_rows)
        sample_parts.append("rows on one side only:\n" + extra[keys + ["_merge"]].to_string())
    return Difference(model.name, int(bad.sum()), only_left, only_right, per_column,
                      "\n".join(sample_parts))
