"""`saas-metrics bench`: time the daily job at a preset; write docs/benchmarks.md.

Speed is measured here, never asserted in tests. The run does what a scheduler does:
generate the raw rows up to the as-of day, build everything with a full refresh as of the
day before, then run the next day's build (as-of day) incrementally over the same raw
rows, the new day's rows arriving. Each build's wall time, its slowest models and tests
(from dbt's run_results.json), the peak memory of the dbt process tree, row counts, seed
003's query times and, when the semantic layer is installed, MetricFlow answering the
same warehouse go to the console and to a section of docs/benchmarks.md named after the
preset and the engine. Ratios are the point: each run measures everything in one sitting.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import re
import statistics
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from saas_metrics import PROJECT_ROOT
from saas_metrics.commands.options import AsOfOption, TargetOption
from saas_metrics.dbt_runner import Target, run_dbt
from saas_metrics.warehouse import connect_duckdb

console = Console()
BENCH_DOC = PROJECT_ROOT / "docs" / "benchmarks.md"
PUBLIC_MODELS = [
    "metrics_customer_success", "metrics_sales", "metrics_product_analytics",
    "metrics_marketing", "metrics_unified_domains", "metrics_api", "metrics_company_overview",
    "metrics_cohort_retention", "metrics_alerts", "sales_pipeline_by_stage", "sales_open_deals",
]


@dataclass
class BuildFigures:
    """One dbt build: wall seconds, peak memory and the nodes' own times."""

    label: str
    seconds: float
    peak_mb: float
    node_seconds: dict[str, float] = field(default_factory=dict)

    @property
    def model_seconds(self) -> float:
        return sum(s for node, s in self.node_seconds.items() if node.startswith("model."))

    @property
    def test_seconds(self) -> float:
        return sum(s for node, s in self.node_seconds.items()
                   if node.startswith(("test.", "unit_test.")))


def _descendants_rss_kb(root: int) -> int:
    """Resident memory (kB) of every process below root, read from /proc (Linux)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        pid, parent = int(entry.name), int(fields.get("PPid", "0").strip() or 0)
        children.setdefault(parent, []).append(pid)
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0]) if "VmRSS" in fields else 0
    total, stack = 0, list(children.get(root, []))
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


@contextmanager
def _peak_memory() -> Iterator[Callable[[], float]]:
    """Poll the child processes' resident memory; yields a function giving the peak (MB)."""
    peak = [0]
    done = threading.Event()

    def poll() -> None:
        while not done.wait(0.25):
            peak[0] = max(peak[0], _descendants_rss_kb(os.getpid()))

    if not Path("/proc").is_dir():  # not Linux: no figure rather than a wrong one
        yield lambda: float("nan")
        return
    thread = threading.Thread(target=poll, daemon=True)
    thread.start()
    try:
        yield lambda: peak[0] / 1024
    finally:
        done.set()
        thread.join()


def _node_seconds(target_path: Path) -> dict[str, float]:
    results = json.loads((target_path / "run_results.json").read_text())["results"]
    return {result["unique_id"]: float(result["execution_time"]) for result in results}


def _timed_build(label: str, args: list[str], target: str, as_of: dt.date,
                 env: dict[str, str], target_path: Path) -> BuildFigures:
    console.rule(f"{label} (as of {as_of})")
    with _peak_memory() as peak_mb:
        started = time.perf_counter()
        run_dbt(args, target=target, dbt_vars={"as_of_date": as_of.isoformat()}, env=env,
                target_path=target_path, stream=True)
        seconds = time.perf_counter() - started
    return BuildFigures(label, seconds, peak_mb(), _node_seconds(target_path))


def _seed_query_medians(fetch: Callable[[str], list], repeats: int = 5
                        ) -> list[tuple[str, float, int]]:
    medians = []
    for query_file in sorted((PROJECT_ROOT / "analyses" / "seed_003").glob("*.sql")):
        sql = query_file.read_text().strip().rstrip(";")
        times, rows = [], 0
        for _ in range(repeats):
            started = time.perf_counter()
            rows = len(fetch(sql))
            times.append(time.perf_counter() - started)
        medians.append((query_file.stem, statistics.median(times) * 1000, rows))
    return medians


def _metricflow_seconds(target: str, env: dict[str, str], target_path: Path
                        ) -> tuple[float, float, int] | None:
    """MetricFlow answering 30-day active users by day on the same warehouse: its seconds
    with the engine loaded, the wall seconds including loading it, and the rows."""
    try:
        from saas_metrics.semantic import time_metricflow_query
    except ImportError:
        return None
    started = time.perf_counter()
    seconds, rows = time_metricflow_query(
        PROJECT_ROOT, env, ["monthly_active_users"], ["metric_time__day"],
        target_path=target_path, target=target)
    return seconds, time.perf_counter() - started, len(rows)


def _metricflow_shapes(target: str, env: dict[str, str], as_of: dt.date, target_path: Path
                       ) -> list[str] | None:
    """Seed 003's four query shapes: MetricFlow on the fly against the materialized tables."""
    try:
        from saas_metrics.semantic import compare_shapes
    except ImportError:
        return None
    return compare_shapes(target=target, as_of=as_of, env=env,
                          target_path=target_path)


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


def _short(node: str) -> str:
    kind, _, name = node.partition(".")
    name = name.split(".", 1)[-1]
    return name if kind == "model" else f"{kind}: {name[:70]}"


def run_bench(preset: str, accounts: int, days: int, target: str = "duckdb",
              seed: int = 7, as_of: dt.date | None = None) -> None:
    from saas_metrics.generator import generate

    work = PROJECT_ROOT / "target" / "bench" / f"{preset}-{target}"
    work.mkdir(parents=True, exist_ok=True)
    threads = os.environ.get("METRICS_THREADS", "2")
    env = {"METRICS_THREADS": threads}
    cluster = None
    if target == "duckdb":
        path = work / "warehouse.duckdb"
        for leftover in (path, path.with_suffix(".duckdb.wal")):
            leftover.unlink(missing_ok=True)
        env["METRICS_DUCKDB_PATH"] = str(path)
    elif not os.environ.get("PGHOST"):
        # no server named: a throwaway cluster, as the tests use
        from saas_metrics.pg_cluster import ThrowawayCluster

        cluster = ThrowawayCluster().start()
        env.update(cluster.env)
    as_of = as_of or dt.datetime.now(dt.UTC).date()
    target_path = work / "target"
    try:
        console.rule(f"bench {preset} on {target}: {accounts:,} accounts x {days} days")
        started = time.perf_counter()
        manifest = generate(
            accounts=accounts, days=days, as_of=as_of, seed=seed, target=target,
            duckdb_path=env.get("METRICS_DUCKDB_PATH"),
            pg_env={**os.environ, **env} if target == "postgres" else None,
            manifest_path=work / "raw_manifest.json")
        generate_seconds = time.perf_counter() - started
        timings = manifest["timings_seconds"]
        console.print(f"generate: {generate_seconds:.1f}s "
                      f"({manifest['total_raw_rows']:,} raw rows)")

        # the history as the scheduler's previous run left it, then the next day's run
        # both as the scheduler runs them: the daily selector (models, seeds, data tests;
        # unit tests run in CI)
        full = _timed_build("full build (models + tests)",
                            ["build", "--full-refresh", "--selector", "daily"],
                            target, as_of - dt.timedelta(days=1), env, target_path)
        daily = _timed_build("next-day build (models + tests)",
                             ["build", "--selector", "daily"], target, as_of, env, target_path)
        metricflow = _metricflow_seconds(target, env, target_path)
        shapes = _metricflow_shapes(target, env, as_of, target_path)
        counts, seed_queries = _counts_and_queries(target, env)
    finally:
        if cluster is not None:
            cluster.stop()

    lines = [
        f"Measured {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC on {platform.machine()} "
        f"(Python {platform.python_version()}, {target}, {threads} dbt threads, "
        f"{os.cpu_count()} cores), {accounts:,} accounts x {days} days, seed {seed}, "
        f"{manifest['total_raw_rows']:,} raw rows. The full build runs as of the day "
        f"before the as-of day; the next-day build is the scheduler's next run (as of "
        f"{as_of}), incremental, over the same raw rows. Both run the scheduler's "
        f"`--selector daily` (data tests; unit tests run in CI).",
        "",
        "| stage | seconds | peak memory (MB) |", "|---|---:|---:|",
        f"| generate: simulate | {timings['simulate']:.1f} | |",
        f"| generate: load | {timings['load']:.1f} | |",
    ]
    for build in (full, daily):
        lines.append(f"| {build.label} | {build.seconds:.1f} | {build.peak_mb:,.0f} |")
        lines.append(f"| of which models / tests (sum of node times) | "
                     f"{build.model_seconds:.1f} / {build.test_seconds:.1f} | |")
    lines += ["", "Ratios (same run):", "",
              f"- next-day / full: **{daily.seconds / full.seconds:.1%}**"]
    if metricflow is not None:
        mf_seconds, mf_wall, mf_rows = metricflow
        lines += [
            f"- MetricFlow, 30-day active users by day ({mf_rows} rows): {mf_seconds:.1f} s "
            f"with its engine loaded, {mf_wall:.1f} s including loading it",
            f"- full build / MetricFlow query: **{full.seconds / mf_seconds:.1f} x** "
            f"({full.seconds / mf_wall:.1f} x against the wall time)",
            f"- next-day build / MetricFlow query: **{daily.seconds / mf_seconds:.1f} x** "
            f"({daily.seconds / mf_wall:.1f} x against the wall time)",
        ]
    else:
        lines.append("- MetricFlow: not installed in this environment, no ratio")
    lines += ["", "Slowest nodes (seconds, full build / next-day build):", "",
              "| node | full | next day |", "|---|---:|---:|"]
    slowest = sorted(full.node_seconds.items(), key=lambda item: item[1], reverse=True)[:20]
    for node, seconds in slowest:
        lines.append(f"| {_short(node)} | {seconds:.2f} | "
                     f"{daily.node_seconds.get(node, 0):.2f} |")
    lines += ["", "Public model rows:", "", "| model | rows |", "|---|---:|"]
    lines += [f"| {model} | {rows:,} |" for model, rows in counts]
    if shapes:
        lines += ["", "Seed 003's query shapes answered by MetricFlow on the fly against the "
                  "same answers read from the materialized tables (seconds; MetricFlow with its "
                  "engine loaded, tables best of 3):", "", "```", *shapes, "```"]
    lines += ["", "Seed 003 queries on the built tables, median of 5 runs:", "",
              "| query | ms | rows |", "|---|---:|---:|"]
    lines += [f"| {name} | {ms:.1f} | {rows} |" for name, ms, rows in seed_queries]
    body = "\n".join(lines)
    _write_section(f"{preset} preset ({'DuckDB' if target == 'duckdb' else 'PostgreSQL'})",
                   body)
    console.print(body)
    console.print(f"written to {BENCH_DOC}")


def _counts_and_queries(target: str, env: dict[str, str]
                        ) -> tuple[list[tuple[str, int]], list[tuple[str, float, int]]]:
    if target == "duckdb":
        con = connect_duckdb(env["METRICS_DUCKDB_PATH"], read_only=True)

        def fetch(sql: str) -> list:
            return con.execute(sql).fetchall()
    else:
        import psycopg2

        pg_env = {**os.environ, **env}
        con = psycopg2.connect(
            host=pg_env.get("PGHOST", "localhost"), port=int(pg_env.get("PGPORT", "5432")),
            user=pg_env.get("PGUSER", "postgres"), password=pg_env.get("PGPASSWORD", ""),
            dbname=pg_env.get("PGDATABASE", "postgres"))
        cursor = con.cursor()
        cursor.execute(f"set search_path = {pg_env.get('METRICS_PG_SCHEMA', 'metrics')}")

        def fetch(sql: str) -> list:
            cursor.execute(sql)
            return cursor.fetchall()
    try:
        counts = []
        for model in PUBLIC_MODELS:
            try:
                counts.append((model, fetch(f"select count(*) from {model}")[0][0]))
            except Exception:  # noqa: BLE001 - a model not built in this version
                if target == "postgres":
                    con.rollback()
        return counts, _seed_query_medians(fetch)
    finally:
        con.close()


def bench(
    preset: Annotated[str, typer.Option(help="small, medium or large.")] = "medium",
    accounts: Annotated[int | None, typer.Option(help="Override the preset's accounts.")] = None,
    days: Annotated[int | None, typer.Option(help="Override the preset's days.")] = None,
    target: TargetOption = Target.duckdb,
    as_of: AsOfOption = None,
) -> None:
    """Time the daily job (full build, then the next day's run) and write docs/benchmarks.md.

    On postgres, PG* variables name the server; without PGHOST a throwaway cluster is used.
    """
    from saas_metrics.commands import fail
    from saas_metrics.generator import PRESETS

    if preset not in PRESETS:
        raise fail(f"unknown --preset '{preset}': choose one of {', '.join(PRESETS)}")
    preset_accounts, preset_days = PRESETS[preset]
    run_bench(preset, accounts or preset_accounts, days or preset_days, str(target),
              as_of=as_of)
