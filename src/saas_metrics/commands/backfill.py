"""`saas-metrics backfill`: recompute a date range of the incremental models (seed 002).

No full refresh: the run passes the vars backfill_start_date and backfill_end_date, and
the macro incremental_start_date() makes every incremental model recompute from the start
day instead of its late-data lookback (delete+insert on the grain replaces those days).
Models that use incremental_end_date() (the unified layer) stop at the end day; the
domain marts recompute through the as-of day, which gives the same values because every
metric is computed point in time. Tables that are not incremental are rebuilt whole, as
in every run.
"""

from __future__ import annotations

from typing import Annotated

import typer

from saas_metrics.commands import console, fail, parse_date, today_utc
from saas_metrics.commands.build import run_dbt_step
from saas_metrics.commands.options import AsOfOption, TargetOption
from saas_metrics.dbt_runner import Target


def backfill(
    start: Annotated[str, typer.Option(help="First day to recompute, YYYY-MM-DD.")],
    end: Annotated[str, typer.Option(help="Last day to recompute, YYYY-MM-DD.")],
    target: TargetOption = Target.duckdb,
    as_of: AsOfOption = None,
    select: Annotated[
        str | None, typer.Option(help="dbt --select expression (default: everything).")
    ] = None,
    skip_tests: Annotated[
        bool, typer.Option("--skip-tests", help="dbt run instead of dbt build (no tests).")
    ] = False,
) -> None:
    """Recompute the days [--start, --end] of the incremental models, then test."""
    start_date = parse_date(start, "--start")
    end_date = parse_date(end, "--end")
    as_of_date = as_of or today_utc()
    assert start_date is not None and end_date is not None
    if start_date > end_date:
        raise fail(f"--start {start_date} is after --end {end_date}")
    if end_date > as_of_date:
        raise fail(f"--end {end_date} is after the as-of day {as_of_date} (see --as-of)")
    dbt_vars = {
        "as_of_date": as_of_date.isoformat(),
        "backfill_start_date": start_date.isoformat(),
        "backfill_end_date": end_date.isoformat(),
    }
    args = ["run" if skip_tests else "build"]
    if select:
        args += ["--select", select]
    console.print(
        f"backfill {start_date} .. {end_date} on target [bold]{target}[/] "
        f"(as of {as_of_date}, {(end_date - start_date).days + 1} days)"
    )
    run_dbt_step(args, target, dbt_vars)
    console.print("[green]backfill finished[/]")
