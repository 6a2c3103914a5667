"""Fault injection: bad rows ADDED to a clean table, from an RNG stream of their own.

Every injected row is derived from one random clean row and carries exactly one fault:

exact_duplicate    identical copy (all columns, _loaded_at too)
changed_duplicate  same key, one non-key non-time column changed to another *valid* value,
                   _loaded_at strictly earlier (so "keep latest _loaded_at" keeps the clean row)
null_key           first primary-key column NULL
orphan_fk          new key; one non-null foreign key set to an id that exists nowhere
negative_amount    new key; one non_negative column set to -(abs(x)+1)
unknown_enum       new key; one accepted_values column set to 'unknown_value' ('XXX' for currency)
out_of_range       survey_responses only: new key; NPS 11-15 or CSAT 6-9
future_timestamp   new key; event_time 1-30 days after the as-of day's end
null_required      new key; one meta.required non-key column set NULL
period_ends_before_start  period tables: new key; the end 1 hour to 30 days before the start
empty_period       period tables: new key; the end equal to the start
conflicting_versions  two rows with a clean row's key, loaded at the same instant (before
                   the clean row) and differing in one column: counted as two rows
no_exchange_rate   new key; a currency that needs a rate set to JPY, which has none

"New key" rows get a key no clean or other injected row has (for composite keys with a date,
a date long before the window, or after the as-of day for future_timestamp). Nothing
references injected rows. Clean rows are never modified.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from .common import DAY, HOUR, Ctx
from .contract import Table

KINDS = (
    "exact_duplicate",
    "changed_duplicate",
    "null_key",
    "orphan_fk",
    "negative_amount",
    "unknown_enum",
    "out_of_range",
    "future_timestamp",
    "null_required",
    "period_ends_before_start",
    "empty_period",
    "conflicting_versions",
    "no_exchange_rate",
)
NEW_KEY_KINDS = (
    "orphan_fk", "negative_amount", "unknown_enum", "out_of_range", "future_timestamp",
    "null_required", "period_ends_before_start", "empty_period", "no_exchange_rate",
)
UNRATED_CURRENCY = "JPY"
# older versions and copies collapse into the staged row; every other kind is quarantined
# with the kind's name as its reason (macros/staging/quality_checks.sql)
DUPLICATE_KINDS = ("exact_duplicate", "changed_duplicate")
QUARANTINE_KINDS = tuple(kind for kind in KINDS if kind not in DUPLICATE_KINDS)


def _required(table: Table) -> list[str]:
    return [
        c.name for c in table.columns
        if c.required and c.name not in table.primary_key and c.name != "_loaded_at"
    ]
ORPHAN_ID_BASE = 900_000_000


def _changeable(table: Table) -> list[str]:
    # a column that a valid_when rule reads (survey_type decides the score's range) must
    # not change: the changed copy would break the rule and be quarantined, not collapsed
    rule_words = set()
    for c in table.columns:
        rule_words.update(re.findall(r"[a-z_]+", str(c.meta.get("valid_when") or "")))
    out = []
    for c in table.columns:
        if c.name in table.primary_key or c.is_temporal or c.name == "_loaded_at":
            continue
        if c.name in rule_words:
            continue
        if (
            c.accepted_values
            or c.non_negative
            or c.base_type == "boolean"
            or (c.base_type == "text")
            or c.foreign_key
        ):
            out.append(c.name)
    return out


def applicable_kinds(table: Table) -> list[str]:
    kinds = ["exact_duplicate"]
    if _changeable(table):
        kinds.append("changed_duplicate")
    kinds.append("null_key")
    if any(c.foreign_key for c in table.columns):
        kinds.append("orphan_fk")
    if any(c.non_negative for c in table.columns):
        kinds.append("negative_amount")
    if any(c.accepted_values for c in table.columns):
        kinds.append("unknown_enum")
    if table.key == "activity.survey_responses":
        kinds.append("out_of_range")
    kinds.append("future_timestamp")
    if _required(table):
        kinds.append("null_required")
    if table.period:
        kinds += ["period_ends_before_start", "empty_period"]
    if _changeable(table):
        kinds.append("conflicting_versions")
    if any(c.meta.get("needs_exchange_rate") for c in table.columns):
        kinds.append("no_exchange_rate")
    return kinds


def _pick_column(
    rng, df: pd.DataFrame, rows: np.ndarray, cols: list[str], preferred: set[str] | None = None
) -> np.ndarray:
    """Per row, a random column among cols that is non-null in that row (-1 if none)."""
    if not cols:
        return np.full(len(rows), -1)
    ok = np.column_stack([df[c].iloc[rows].notna().to_numpy() for c in cols])
    score = rng.random(ok.shape)
    if preferred:
        score = score + np.array([10.0 if c in preferred else 0.0 for c in cols])[None, :]
    score[~ok] = -1
    best = score.argmax(axis=1)
    best[~ok.any(axis=1)] = -1
    return best


def _eligible(df: pd.DataFrame, cols: list[str]) -> np.ndarray:
    if not cols:
        return np.zeros(len(df), bool)
    return np.column_stack([df[c].notna().to_numpy() for c in cols]).any(axis=1)


def _set(inj: pd.DataFrame, mask: np.ndarray, col: str, values) -> None:
    if not mask.any():
        return
    if inj[col].dtype == np.int64 or inj[col].dtype == np.int32:
        inj[col] = inj[col].astype("Int64" if inj[col].dtype == np.int64 else "Int32")
    elif values is None and inj[col].dtype == bool:
        inj[col] = inj[col].astype("boolean")
    elif values is None and inj[col].dtype == np.float64:
        inj[col] = inj[col].astype("Float64")
    inj.loc[mask, col] = values


def _ts(seconds: np.ndarray) -> pd.Series:
    return pd.Series(
        pd.to_datetime(np.asarray(seconds, dtype=np.int64), unit="s", utc=True)
    ).astype("datetime64[us, UTC]")


def _month_shift(day: int, months: int) -> int:
    month = np.datetime64(int(day), "D").astype("M8[M]") + months
    return int(month.astype("M8[D]").astype(np.int64))


def inject(
    ctx: Ctx, table: Table, df: pd.DataFrame, rate: float, stream: int
) -> tuple[pd.DataFrame, dict]:
    """Return (injected rows, counts per kind). The clean frame is not modified."""
    counts = {k: 0 for k in KINDS}
    n_rows = len(df)
    if rate <= 0 or n_rows == 0:
        return df.iloc[0:0].copy(), counts
    rng = np.random.default_rng([ctx.seed, 7_000_000 + stream])
    kinds = applicable_kinds(table)
    total = round(rate * n_rows)
    base = np.full(len(kinds), total // len(kinds))
    base[rng.permutation(len(kinds))[: total - base.sum()]] += 1
    if n_rows >= 20:
        base = np.maximum(base, 1)
    fk_cols = [c.name for c in table.columns if c.foreign_key]
    nn_cols = [c.name for c in table.columns if c.non_negative]
    enum_cols = [c.name for c in table.columns if c.accepted_values]
    chg_cols = _changeable(table)
    req_cols = _required(table)
    eligible = {
        "changed_duplicate": _eligible(df, chg_cols),
        "conflicting_versions": _eligible(df, chg_cols),
        "null_required": _eligible(df, req_cols),
        "orphan_fk": _eligible(df, fk_cols),
        "negative_amount": _eligible(df, nn_cols),
        "unknown_enum": _eligible(df, enum_cols),
    }
    used = np.zeros(n_rows, bool)
    parts: list[pd.DataFrame] = []
    kind_of: list[np.ndarray] = []
    for kind, c in zip(kinds, base):
        if c == 0:
            continue
        mask = eligible.get(kind, np.ones(n_rows, bool))
        cand = np.flatnonzero(mask & ~used)
        if len(cand) < c and kind != "exact_duplicate":
            cand = np.flatnonzero(mask)
        c = min(int(c), len(cand))
        if c == 0:
            continue
        rows = np.sort(rng.choice(cand, c, replace=False))
        used[rows] = True
        inj = df.iloc[rows].copy().reset_index(drop=True)
        if kind == "changed_duplicate":
            _change_values(rng, table, df, rows, inj, chg_cols, fk_cols)
        elif kind == "conflicting_versions":
            _change_values(rng, table, df, rows, inj, chg_cols, fk_cols)
            twin = df.iloc[rows].copy().reset_index(drop=True)
            twin["_loaded_at"] = inj["_loaded_at"].to_numpy()
            inj = pd.concat([inj, twin], ignore_index=True)
            c = 2 * c
        elif kind == "null_required":
            pick = _pick_column(rng, df, rows, req_cols)
            for column_position, col in enumerate(req_cols):
                _set(inj, pick == column_position, col, None)
        elif kind in ("period_ends_before_start", "empty_period"):
            starts, ends = table.period
            gap = (
                pd.to_timedelta(rng.integers(HOUR, 30 * DAY + 1, c), unit="s")
                if kind == "period_ends_before_start" else pd.to_timedelta(0, unit="s")
            )
            inj[ends] = (inj[starts] - gap).astype(inj[starts].dtype)
        elif kind == "no_exchange_rate":
            for col in table.columns:
                if col.meta.get("needs_exchange_rate"):
                    inj[col.name] = UNRATED_CURRENCY
        elif kind == "null_key":
            _set(inj, np.ones(c, bool), table.primary_key[0], None)
        elif kind == "orphan_fk":
            pick = _pick_column(rng, df, rows, fk_cols)
            for column_position, col in enumerate(fk_cols):
                is_picked = pick == column_position
                if table.column(col).base_type == "text":
                    vals = [f"unknown_{col}_{i}" for i in np.flatnonzero(is_picked)]
                else:
                    vals = ORPHAN_ID_BASE + 1 + np.flatnonzero(is_picked)
                _set(inj, is_picked, col, vals)
        elif kind == "negative_amount":
            pick = _pick_column(rng, df, rows, nn_cols)
            for column_position, col in enumerate(nn_cols):
                is_picked = pick == column_position
                if is_picked.any():
                    magnitude = inj.loc[is_picked, col].astype(float).abs() + 1
                    if table.column(col).base_type in ("bigint", "integer"):
                        magnitude = magnitude.round().astype(np.int64)
                    _set(inj, is_picked, col, (-magnitude).to_numpy())
        elif kind == "unknown_enum":
            pick = _pick_column(rng, df, rows, enum_cols)
            for column_position, col in enumerate(enum_cols):
                unknown = "XXX" if col == "currency" else "unknown_value"
                _set(inj, pick == column_position, col, unknown)
        elif kind == "out_of_range":
            nps = (inj["survey_type"] == "nps").to_numpy()
            vals = np.where(nps, rng.integers(11, 16, c), rng.integers(6, 10, c))
            inj["score"] = vals.astype(np.int32)
        elif kind == "future_timestamp":
            col = table.column(table.event_time)
            if col.base_type == "date":
                if table.event_time.endswith("_month"):
                    day = _month_shift(ctx.end_day, 1)
                    vals = np.full(c, day)
                else:
                    vals = ctx.end_day + rng.integers(1, 31, c)
                inj[col.name] = pd.Series(vals.astype("M8[D]").astype("M8[s]"))
            else:
                inj[col.name] = _ts(ctx.end_sec + rng.integers(DAY, 30 * DAY + 1, c))
        parts.append(inj)
        kind_of.append(np.full(c, kind, dtype=object))
    if not parts:
        return df.iloc[0:0].copy(), counts
    out = pd.concat(parts, ignore_index=True)
    kinds_arr = np.concatenate(kind_of)
    out = _assign_new_keys(ctx, table, df, out, kinds_arr)
    keep = _dedupe_new_keys(table, out, kinds_arr)
    out, kinds_arr = out[keep].reset_index(drop=True), kinds_arr[keep]
    for k in KINDS:
        counts[k] = int((kinds_arr == k).sum())
    return out, counts


def _change_values(
    rng,
    table: Table,
    df: pd.DataFrame,
    rows: np.ndarray,
    inj: pd.DataFrame,
    chg_cols: list[str],
    fk_cols: list[str],
) -> None:
    non_fk = {column_name for column_name in chg_cols if column_name not in fk_cols}
    pick = _pick_column(rng, df, rows, chg_cols, preferred=non_fk)
    for column_position, name in enumerate(chg_cols):
        is_picked = pick == column_position
        if not is_picked.any():
            continue
        col = table.column(name)
        old = inj.loc[is_picked, name]
        if col.accepted_values:
            vals = np.array(col.accepted_values, dtype=object)
            pos = np.array([list(vals).index(str(value)) for value in old])
            new = vals[(pos + 1 + rng.integers(0, len(vals) - 1, len(pos))) % len(vals)]
        elif col.non_negative:
            scaled = old.astype(float).to_numpy() * rng.uniform(1.05, 1.5, is_picked.sum()) + 1
            new = (
                np.round(scaled).astype(np.int64)
                if col.base_type in ("bigint", "integer")
                else np.round(scaled, col.numeric_scale or 0)
            )
        elif col.base_type == "boolean":
            new = ~old.to_numpy(dtype=bool)
        elif col.foreign_key:
            pool = np.sort(df[name].dropna().unique())
            new = pool[rng.integers(0, len(pool), is_picked.sum())]
            same = new == old.to_numpy()
            new[same] = pool[(np.searchsorted(pool, new[same]) + 1) % len(pool)]
        else:  # free text (names, emails, versions): an older spelling
            new = ("old." + old.astype(str)).to_numpy(dtype=object)
        _set(inj, is_picked, name, new)
    inj["_loaded_at"] = inj["_loaded_at"] - pd.to_timedelta(
        rng.integers(HOUR, 48 * HOUR, len(inj)), unit="s"
    )


def _assign_new_keys(
    ctx: Ctx, table: Table, clean: pd.DataFrame, inj: pd.DataFrame, kinds: np.ndarray
) -> pd.DataFrame:
    new = np.isin(kinds, NEW_KEY_KINDS)
    idx = np.flatnonzero(new)
    if not len(idx):
        return inj
    pk = table.primary_key
    if len(pk) == 1:
        col = table.column(pk[0])
        if col.base_type in ("bigint", "integer"):
            start = int(clean[pk[0]].max()) + 1
            _set(inj, new, pk[0], start + np.arange(len(idx)))
        else:
            _set(inj, new, pk[0], [f"{v}_new{j + 1}" for j, v in enumerate(inj.loc[new, pk[0]])])
        return inj
    date_cols = [c for c in pk if table.column(c).base_type == "date"]
    if not date_cols:
        raise ValueError(f"{table.key}: composite key without a date column")
    dcol = date_cols[0]
    past = new & (kinds != "future_timestamp")
    j = np.arange(past.sum())
    if dcol.endswith("_month"):
        days = np.array([_month_shift(ctx.start_day, -40 - int(k)) for k in j], dtype=np.int64)
    else:
        days = ctx.start_day - 1000 - j
    if past.any():
        inj.loc[past, dcol] = pd.Series(
            days.astype("M8[D]").astype("M8[s]"), index=np.flatnonzero(past)
        )
    return inj


def _dedupe_new_keys(table: Table, inj: pd.DataFrame, kinds: np.ndarray) -> np.ndarray:
    """Injected new-key rows must not share a key with each other (future dates can)."""
    new = np.isin(kinds, NEW_KEY_KINDS)
    if len(table.primary_key) == 1:
        return np.ones(len(inj), bool)
    sub = inj.loc[new, list(table.primary_key)]
    dup = np.zeros(len(inj), bool)
    dup[np.flatnonzero(new)] = sub.duplicated(keep="first").to_numpy()
    return ~(new & dup)
