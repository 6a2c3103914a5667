"""The options several commands share, typed once: ``--target``, ``--as-of`` and ``--var``.

A bad value stops the command with an error that names the option (exit 1), like every
other argument error of the CLI.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from saas_metrics.commands import fail
from saas_metrics.dbt_runner import TARGETS, Target


def parse_target(value: str | Target) -> Target:
    if isinstance(value, Target):
        return value
    try:
        return Target(str(value).strip().lower())
    except ValueError:
        raise fail(f"unknown --target '{value}': choose one of {', '.join(TARGETS)}") from None


def parse_as_of(value: str | dt.date | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise fail(f"--as-of '{value}' is not a date (expected YYYY-MM-DD)") from None


TargetOption = Annotated[Target, typer.Option(
    "--target", parser=parse_target, envvar="METRICS_TARGET", metavar="|".join(TARGETS),
    help="Warehouse: duckdb (METRICS_DUCKDB_PATH) or postgres (PG* variables).")]

AsOfOption = Annotated[dt.date | None, typer.Option(
    "--as-of", parser=parse_as_of, metavar="YYYY-MM-DD",
    help="The as-of day: the last metric day (default: today UTC, like the dbt var "
         "as_of_date).")]

VarOption = Annotated[list[str] | None, typer.Option(
    "--var", help="Extra dbt var as key=value, e.g. billing_loader=fivetran_stripe "
                  "(repeatable).")]
