"""Synthetic raw data for the metrics layer, shaped by the raw contract in the sources YAML.

Python API::

    from saas_metrics.generator import generate
    manifest = generate(accounts=200, days=400, as_of="2025-06-30", seed=7, faults=0.02)

Same arguments give byte-identical rows on both engines. Clean rows do not depend on
``faults``: injected rows come from their own random streams and are only added.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from collections.abc import Callable, Mapping
from pathlib import Path

import pandas as pd

from saas_metrics import PROJECT_ROOT

from .common import Ctx
from .contract import Contract, load_contract
from .faults import KINDS, inject
from .simulate import simulate

PRESETS = {"small": (200, 400), "medium": (5_000, 730), "large": (50_000, 730)}
DEFAULT_MANIFEST = PROJECT_ROOT / "target" / "raw_manifest.json"

__all__ = ["KINDS", "PRESETS", "build_tables", "generate", "parse_as_of"]


def parse_as_of(as_of: str | dt.date | None) -> dt.date:
    if as_of is None:
        return dt.datetime.now(dt.UTC).date()
    if isinstance(as_of, dt.datetime):
        return as_of.date()
    if isinstance(as_of, dt.date):
        return as_of
    return dt.date.fromisoformat(str(as_of))


Progress = Callable[[str, str], None]  # (phase "simulate"|"load", table key)


def build_tables(
    accounts: int,
    days: int,
    as_of=None,
    seed: int = 7,
    faults: float = 0.0,
    contract: Contract | None = None,
    progress: Progress | None = None,
):
    """Simulate every table. Yields (table, clean frame, injected frame, fault counts)."""
    contract = contract or load_contract()
    if accounts < 1 or days < 30:
        raise ValueError("need at least 1 account and 30 days")
    ctx = Ctx(accounts=int(accounts), days=int(days), as_of=parse_as_of(as_of), seed=int(seed))
    order = [t.key for t in contract.tables]
    for key, clean in simulate(ctx, contract):
        table = contract.table(key)
        injected, counts = inject(ctx, table, clean, float(faults), order.index(key))
        if progress:
            progress("simulate", key)
        yield table, clean, injected, counts


def _combine(clean: pd.DataFrame, injected: pd.DataFrame) -> pd.DataFrame:
    if injected.empty:
        return clean
    return pd.concat([clean, injected], ignore_index=True)


def generate(
    accounts: int = 200,
    days: int = 400,
    as_of=None,
    seed: int = 7,
    faults: float = 0.0,
    target: str = "duckdb",
    duckdb_path: str | os.PathLike | None = None,
    pg_env: Mapping[str, str] | None = None,
    manifest_path: str | os.PathLike | None = DEFAULT_MANIFEST,
    progress: Progress | None = None,
) -> dict:
    """Simulate, inject faults, drop+recreate the raw tables, bulk load, write the manifest.

    Returns the manifest (also written as JSON to ``manifest_path`` unless it is None).
    """
    from .load import DuckDBLoader, PostgresLoader

    contract = load_contract()
    as_of_date = parse_as_of(as_of)
    t0 = time.perf_counter()
    frames = list(build_tables(accounts, days, as_of_date, seed, faults, contract, progress))
    t1 = time.perf_counter()
    if target == "duckdb":
        loader = DuckDBLoader(duckdb_path)
    elif target == "postgres":
        loader = PostgresLoader(pg_env)
    else:
        raise ValueError(f"unknown target {target!r} (duckdb or postgres)")
    tables = {}
    try:
        for table, clean, injected, counts in frames:
            raw = loader.load(table, _combine(clean, injected))
            tables[table.key] = {"raw_rows": raw, "clean_rows": len(clean), "faults": counts}
            if progress:
                progress("load", table.key)
    finally:
        loader.close()
    t2 = time.perf_counter()
    manifest = {
        "seed": int(seed),
        "as_of": as_of_date.isoformat(),
        "accounts": int(accounts),
        "days": int(days),
        "faults": float(faults),
        "target": target,
        "total_raw_rows": sum(t["raw_rows"] for t in tables.values()),
        "tables": tables,
        "timings_seconds": {
            "simulate": round(t1 - t0, 3),
            "load": round(t2 - t1, 3),
            "total": round(t2 - t0, 3),
        },
    }
    if manifest_path is not None:
        path = Path(manifest_path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest
