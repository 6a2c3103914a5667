"""`saas-metrics bench`: time generate, load and dbt build at a preset; write docs/benchmarks.md.

Speed is measured here, never asserted in tests. Each stage's wall time, the slowest models
(from dbt's run_results.json), row counts, peak memory and seed 003's query times go to
the console and to a section of docs/benchmarks.md named after the preset.
"""

from __future__ import annotations

import datetime as dt
import json
import platform
import re
import resource
import statistics
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from saas_metrics import PROJECT_ROOT
from saas_metrics.dbt_runner import run_dbt
from saas_metrics.warehouse import connect_duckdb

console = Console()
BENCH_DOC = PROJECT_ROOT / "docs" / "benchmarks.md"
PUBLIC_MODELS = [
    "metrics_customer_success", "metrics_sales", "metrics_product_analytics",
    "metrics_marketing", "metrics_unified_domains", "metrics_api", "metrics_company_overview",
    "metrics_cohort_retention", "metrics_alerts", "sales_pipeline_by_stage", "sales_open_deals",
]


def _peak_rss_mb() -> tuple[float, float]:
    """Peak resident memory (MB) of this process and of its largest finished child (dbt)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def _model_timings(target_path: Path) -> list[tuple[str, float]]:
    results = json.loads((target_path / "run_results.json").read_text())["results"]
    timings = [
        (result["unique_id"].split(".")[-1], float(result["execution_time"]))
        for result in results
        if result["unique_id"].startswith("model.")
    ]
    return sorted(timings, key=lambda item: item[1], reverse=True)


def _seed_query_medians(path: Path, repeats: int = 5) -> list[tuple[str, float, int]]:
    medians = []
    con = connect_duckdb(path, read_only=True)
    try:
        for query_file in sorted((PROJECT_ROOT / "analyses" / "seed_003").glob("*.sql")):
            sql = query_file.read_text().strip().rstrip(";")
            times, rows = [], 0
            for _ in range(repeats):
                started = time.perf_counter()
                rows = len(con.execute(sql).fetchall())
                times.append(time.perf_counter() - started)
            medians.append((query_file.stem, statistics.median(times) * 1000, rows))
    finally:
        con.close()
    return medians


def _write_section(title: str, body: str) -> None:
    BENCH_DOC.parent.mkdir(parents=True, exist_ok=True)
    text = BENCH_DOC.read_text() if BENCH_DOC.exists() else (
        "# Benchmarks\n\nFigures written by `make bench` (`saas-metrics bench`). Each section is "
        "replaced when its preset is measured again.\n"
    )
    pattern = re.compile(rf"\n## {re.escape(title)}\n.*?(?=\n## |\Z)", re.DOTALL)
    section = f"\n## {title}\n\n{body.strip()}\n"
    text = pattern.sub(lambda _: section, text) if pattern.search(text) else text + section
    BENCH_DOC.write_text(text)


def run_bench(preset: str, accounts: int, days: int, seed: int = 7) -> None:
    from saas_metrics.generator import generate

    work = PROJECT_ROOT / "target" / "bench" / preset
    work.mkdir(parents=True, exist_ok=True)
    path = work / "warehouse.duckdb"
    for leftover in (path, path.with_suffix(".duckdb.wal")):
        leftover.unlink(missing_ok=True)
    as_of = dt.datetime.now(dt.UTC).date()
    env = {"METRICS_DUCKDB_PATH": str(path), "METRICS_THREADS": "2"}
    dbt_vars = {"as_of_date": as_of.isoformat()}
    target_path = work / "target"

    console.rule(f"bench {preset}: {accounts} accounts x {days} days")
    started = time.perf_counter()
    manifest = generate(accounts=accounts, days=days, as_of=as_of, seed=seed, target="duckdb",
                        duckdb_path=path, manifest_path=work / "raw_manifest.json")
    generate_seconds = time.perf_counter() - started
    timings = manifest["timings_seconds"]
    console.print(f"generate: {generate_seconds:.1f}s ({manifest['total_raw_rows']:,} raw rows)")

    started = time.perf_counter()
    run_dbt(["build", "--full-refresh"], target="duckdb", dbt_vars=dbt_vars, env=env,
            target_path=target_path, stream=True)
    full_seconds = time.perf_counter() - started
    full_models = _model_timings(target_path)

    # the scheduler's daily run: same day again, so incremental models redo the lookback
    started = time.perf_counter()
    run_dbt(["build"], target="duckdb", dbt_vars=dbt_vars, env=env, target_path=target_path,
            stream=True)
    incremental_seconds = time.perf_counter() - started
    incremental_models = dict(_model_timings(target_path))
    own_mb, dbt_mb = _peak_rss_mb()

    con = connect_duckdb(path, read_only=True)
    try:
        counts = []
        for model in PUBLIC_MODELS:
            try:
                counts.append((model, con.execute(f"select count(*) from {model}").fetchone()[0]))
            except Exception:  # noqa: BLE001 - a model not built in this version
                continue
    finally:
        con.close()
    seed_queries = _seed_query_medians(path)

    stages = Table(title=f"{preset}: stages")
    stages.add_column("stage")
    stages.add_column("seconds", justify="right")
    for label, seconds in [
        ("generate: simulate", timings["simulate"]), ("generate: load", timings["load"]),
        ("dbt build --full-refresh (models + tests)", full_seconds),
        ("dbt build, incremental (models + tests)", incremental_seconds),
    ]:
        stages.add_row(label, f"{seconds:.1f}")
    console.print(stages)

    lines = [
        f"Measured {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC on "
        f"{platform.machine()} ({platform.python_version()}, DuckDB, 2 threads), "
        f"{accounts:,} accounts x {days} days, seed {seed}.",
        "",
        "| stage | seconds |", "|---|---:|",
        f"| generate: simulate | {timings['simulate']:.1f} |",
        f"| generate: load into DuckDB | {timings['load']:.1f} |",
        f"| dbt build --full-refresh (models + tests) | {full_seconds:.1f} |",
        f"| dbt build incremental, same day again (models + tests) | {incremental_seconds:.1f} |",
        "",
        f"Raw rows: {manifest['total_raw_rows']:,}. Peak memory: generator process "
        f"{own_mb:,.0f} MB, dbt {dbt_mb:,.0f} MB.",
        "",
        "Slowest models (seconds, full refresh / incremental):", "",
        "| model | full | incremental |", "|---|---:|---:|",
    ]
    for model, seconds in full_models[:15]:
        lines.append(f"| {model} | {seconds:.2f} | {incremental_models.get(model, 0):.2f} |")
    lines += ["", "Public model rows:", "", "| model | rows |", "|---|---:|"]
    lines += [f"| {model} | {rows:,} |" for model, rows in counts]
    lines += ["", "Seed 003 queries, median of 5 runs:", "", "| query | ms | rows |",
              "|---|---:|---:|"]
    lines += [f"| {name} | {ms:.1f} | {rows} |" for name, ms, rows in seed_queries]
    body = "\n".join(lines)
    _write_section(f"{preset} preset (DuckDB)", body)
    console.print(body)
    console.print(f"written to {BENCH_DOC}")


def bench(
    preset: Annotated[str, typer.Option(help="small, medium or large.")] = "medium",
    accounts: Annotated[int | None, typer.Option(help="Override the preset's accounts.")] = None,
    days: Annotated[int | None, typer.Option(help="Override the preset's days.")] = None,
) -> None:
    """Time generate, load and dbt build (full and incremental); write docs/benchmarks.md."""
    from saas_metrics.commands import fail
    from saas_metrics.generator import PRESETS

    if preset not in PRESETS:
        raise fail(f"unknown --preset '{preset}': choose one of {', '.join(PRESETS)}")
    preset_accounts, preset_days = PRESETS[preset]
    run_bench(preset, accounts or preset_accounts, days or preset_days)
