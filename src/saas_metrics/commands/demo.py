"""`saas-metrics demo`: generate the small preset into DuckDB, build, show headline metrics.

Safe to run again: the generator recreates the raw tables and dbt rebuilds every model
with --full-refresh, because the whole raw history was replaced.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from saas_metrics.dbt_runner import run_dbt
from saas_metrics.warehouse import connect_duckdb, duckdb_path

console = Console()

# (label, metrics_company_overview column, format) for the latest day: the executive KPIs
# as an analyst or Superset reads them, each defined once in the overview.
HEADLINES = [
    ("Total MRR (USD)", "total_mrr", "{:,.0f}"),
    ("ARR (USD)", "arr", "{:,.0f}"),
    ("Active customers", "active_customers", "{:,.0f}"),
    ("Net revenue retention (%)", "net_revenue_retention", "{:.1f}"),
    ("Gross revenue retention (%)", "gross_revenue_retention", "{:.1f}"),
    ("Customer churn, 30d (%)", "customer_churn_rate", "{:.1f}"),
    ("Average health score", "avg_health_score", "{:.1f}"),
    ("Daily active users", "dau", "{:,.0f}"),
    ("Monthly active users", "mau", "{:,.0f}"),
    ("DAU/MAU", "dau_mau_ratio", "{:.2f}"),
    ("Open pipeline (USD)", "total_pipeline_value", "{:,.0f}"),
    ("Win rate, 90d (%)", "win_rate", "{:.1f}"),
    ("NPS, 90d", "nps_score", "{:.0f}"),
]


def headline_table(path: str | None = None) -> Table:
    """The headline metrics of the latest day; metrics a mart lacks are shown as n/a."""
    con = connect_duckdb(path, read_only=True)
    try:
        day = con.execute("select max(metric_date) from metrics_unified_domains").fetchone()[0]
        table = Table(title=f"Headline metrics for {day}")
        table.add_column("metric")
        table.add_column("value", justify="right")
        for label, column, fmt in HEADLINES:
            try:
                value = con.execute(f"select {column} from metrics_company_overview "
                                    "where metric_date = ?", [day]).fetchone()[0]
                shown = "n/a" if value is None else fmt.format(float(value))
            except Exception:  # noqa: BLE001 - an overview without the column yet shows n/a
                shown = "n/a"
            table.add_row(label, shown)
        rows = con.execute("select count(*) from metrics_unified_domains").fetchone()[0]
        table.add_row("Rows in metrics_unified_domains", f"{rows:,}")
        return table
    finally:
        con.close()


def run_demo(accounts: int = 200, days: int = 400, seed: int = 7) -> None:
    from saas_metrics.generator import generate

    as_of = dt.datetime.now(dt.UTC).date()
    path = duckdb_path()
    console.rule("1/3 generate the small preset")
    started = time.perf_counter()
    manifest = generate(accounts=accounts, days=days, as_of=as_of, seed=seed, target="duckdb",
                        duckdb_path=path)
    console.print(f"{manifest['total_raw_rows']:,} raw rows into {path} "
                  f"in {time.perf_counter() - started:.1f}s")
    console.rule("2/3 dbt build (full refresh)")
    started = time.perf_counter()
    run_dbt(["build", "--full-refresh"], target="duckdb", dbt_vars={"as_of_date": as_of.isoformat()},
            env={"METRICS_DUCKDB_PATH": str(path)}, stream=True)
    console.print(f"dbt build took {time.perf_counter() - started:.1f}s")
    console.rule("3/3 headline metrics")
    console.print(headline_table(str(path)))
    console.print(f"Query it yourself: duckdb {path}  (e.g. select * from metrics_company_overview "
                  "order by metric_date desc limit 5)")


def demo(
    accounts: Annotated[int, typer.Option(help="Accounts to generate.")] = 200,
    days: Annotated[int, typer.Option(help="Days of history ending today.")] = 400,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 7,
) -> None:
    """Generate the small preset into DuckDB, build everything, print the headline metrics."""
    run_demo(accounts=accounts, days=days, seed=seed)
