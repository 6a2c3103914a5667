"""`saas-metrics build`: dbt build for a target, with as_of_date and other vars."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from saas_metrics.commands import console, fail, today_utc
from saas_metrics.commands.options import AsOfOption, TargetOption, VarOption
from saas_metrics.dbt_runner import DbtError, Target, run_dbt

RESOURCE_TYPES = ("model", "seed", "test", "unit_test", "snapshot", "exposure")


def parse_vars(pairs: list[str] | None) -> dict[str, Any]:
    """--var key=value pairs as a dict; a pair without '=' names itself in the error."""
    result: dict[str, Any] = {}
    for pair in pairs or []:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise fail(f"--var '{pair}' is not key=value")
        result[key.strip()] = value
    return result


def run_dbt_step(args: list[str], target: str, dbt_vars: dict[str, Any]) -> None:
    """Run one dbt command, streaming dbt's own progress; exit 1 with what failed."""
    try:
        run_dbt(args, target=target, dbt_vars=dbt_vars, stream=True)
    except DbtError as error:
        raise fail(str(error)) from None


def build(
    target: TargetOption = Target.duckdb,
    as_of: AsOfOption = None,
    select: Annotated[
        str | None, typer.Option(help="dbt --select expression (default: everything).")
    ] = None,
    exclude: Annotated[
        str | None, typer.Option(help="dbt --exclude expression, e.g. 'tag:intraday'.")
    ] = None,
    resource_type: Annotated[
        list[str] | None,
        typer.Option(help="Only these node types: model, seed, test, unit_test, ... "
                          "(repeatable; dbt --resource-type)."),
    ] = None,
    exclude_resource_type: Annotated[
        list[str] | None,
        typer.Option(help="Leave out these node types, e.g. unit_test "
                          "(repeatable; dbt --exclude-resource-type)."),
    ] = None,
    selector: Annotated[
        str | None, typer.Option(help="A selector of selectors.yml: daily or intraday.")
    ] = None,
    full_refresh: Annotated[
        bool, typer.Option("--full-refresh", help="Rebuild incremental models from scratch.")
    ] = False,
    var: VarOption = None,
    docs: Annotated[
        bool, typer.Option("--docs", help="Also run `dbt docs generate` afterwards.")
    ] = False,
    summary: Annotated[
        bool, typer.Option("--summary/--no-summary",
                           help="Print rows staged and quarantined, missing sources, freshness.")
    ] = True,
) -> None:
    """Run `dbt build` (models, seeds and tests) for a target and as-of day."""
    as_of_date = as_of or today_utc()
    if select and selector:
        raise fail("--select and --selector exclude each other: give one")
    dbt_vars = {"as_of_date": as_of_date.isoformat(), **parse_vars(var)}
    args = ["build"]
    if select:
        args += ["--select", select]
    if exclude:
        args += ["--exclude", exclude]
    for option, values in (("--resource-type", resource_type),
                           ("--exclude-resource-type", exclude_resource_type)):
        for value in values or []:
            if value not in RESOURCE_TYPES:
                raise fail(f"{option} '{value}' is not a dbt node type: choose from "
                           f"{', '.join(RESOURCE_TYPES)}")
            args += [option, value]
    if selector:
        args += ["--selector", selector]
    if full_refresh:
        args.append("--full-refresh")
    console.print(f"dbt build on target [bold]{target}[/] as of [bold]{as_of_date}[/]")
    try:
        run_dbt_step(args, target, dbt_vars)
    finally:
        # also after a failed build: the summary often names the cause (a missing table)
        if summary:
            print_build_summary(target, dbt_vars)
    if docs:
        run_dbt_step(["docs", "generate"], target, dbt_vars)
    console.print("[green]build finished[/]")


def print_build_summary(target: str, dbt_vars: dict[str, Any]) -> None:
    """Rows staged and quarantined per raw table and reason, missing sources, freshness."""
    from saas_metrics.commands.build_summary import build_summary

    try:
        build_summary(target, dbt_vars)
    except Exception as error:  # the summary must never hide the build's own result
        console.print(f"[yellow]no build summary: {error}[/]")
