"""`saas-metrics doctor`: check a team's raw schemas against the raw contract.

With a loader mapping on (e.g. --var billing_loader=fivetran_stripe), the loader's tables
are checked against the columns its mapping reads (docs/loaders/), instead of the contract
tables the mapping produces.

Reports missing tables (and schemas), missing and extra columns, type mismatches, rows
staging would quarantine (by reason) and freshness, each with the metrics it affects.
Exit 1 when a finding is an error (the build would stop on it), else 0.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.table import Table as RichTable

from saas_metrics.commands import console, fail, today_utc
from saas_metrics.commands.build import parse_vars
from saas_metrics.commands.options import AsOfOption, TargetOption, VarOption
from saas_metrics.dbt_runner import DbtError, Target, run_dbt
from saas_metrics.loaders import enabled_loaders
from saas_metrics.quality.raw_check import (
    Finding,
    RawReader,
    checked_contract,
    contract_findings,
    inspect_raw,
    quarantine_findings,
    readable_tables,
    summarize_metrics,
)

SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "dim"}


def open_raw_reader(target: str) -> RawReader:
    """A connection to the warehouse that holds the raw schemas (it need not be built)."""
    from saas_metrics.warehouse import connect_duckdb, connect_postgres, duckdb_path

    if target == "duckdb":
        path = duckdb_path()
        if not path.exists():
            raise fail(f"target 'duckdb': no warehouse file at {path}: load your raw tables "
                       "into it first, or set METRICS_DUCKDB_PATH to the file that has them")
        return RawReader(connect_duckdb(path, read_only=True), target)
    try:
        return RawReader(connect_postgres(), target)
    except Exception as error:  # psycopg2.OperationalError and friends
        raise fail(f"target 'postgres': cannot connect ({str(error).strip()})") from None


def quarantine_counts(tables: list[str], target: str,
                      dbt_vars: dict[str, Any]) -> dict[str, dict[str, int]]:
    """Rows staging would quarantine per table and reason, by the staging rules themselves."""
    if not tables:
        return {}
    try:
        result = run_dbt(["run-operation", "doctor_quarantine_counts",
                          "--args", json.dumps({"tables": tables})],
                         target=target, dbt_vars=dbt_vars)
    except DbtError as error:
        raise fail(f"checking raw rows failed: {error}") from None
    counts: dict[str, dict[str, int]] = {}
    for line in result.stdout.splitlines():
        marker = line.find("DOCTOR_QUARANTINE ")
        if marker >= 0:
            payload = json.loads(line[marker + len("DOCTOR_QUARANTINE "):])
            counts[payload["table"]] = payload["reasons"]
    return counts


def print_findings(findings: list[Finding], title: str) -> None:
    table = RichTable(title=title, show_lines=True)
    table.add_column("severity")
    table.add_column("raw table / column", overflow="fold")
    table.add_column("finding", ratio=3)
    table.add_column("metrics affected", ratio=2)
    order = {"error": 0, "warning": 1, "info": 2}
    for finding in sorted(findings, key=lambda f: (order[f.severity], f.table, f.kind)):
        style = SEVERITY_STYLE[finding.severity]
        where = finding.table + (f".{finding.column}" if finding.column else "")
        table.add_row(f"[{style}]{finding.severity}[/]", where, finding.detail,
                      summarize_metrics(finding.metrics))
    console.print(table)


def doctor(
    target: TargetOption = Target.duckdb,
    as_of: AsOfOption = None,
    var: VarOption = None,
    rows: Annotated[
        bool, typer.Option("--rows/--no-rows",
                           help="Also count the rows staging would quarantine (runs dbt).")
    ] = True,
) -> None:
    """Check your raw schemas against the raw contract; exit 1 if the build would fail."""
    as_of_date = as_of or today_utc()
    dbt_vars = {"as_of_date": as_of_date.isoformat(), **parse_vars(var)}
    try:
        contract = checked_contract(dbt_vars)
    except ValueError as error:  # an unknown loader name
        raise fail(str(error)) from None
    reader = open_raw_reader(target)
    try:
        states = inspect_raw(reader, contract, dbt_vars=dbt_vars)
    finally:
        reader.conn.close()
    findings = contract_findings(states, contract)
    for mapping in enabled_loaders(dbt_vars):
        console.print(f"loader [bold]{mapping.name}[/] ({mapping.docs}): "
                      f"{', '.join(mapping.contract_keys)} come from its tables, checked below")
    if rows:
        tables = readable_tables(states, findings)
        findings += quarantine_findings(quarantine_counts(tables, target, dbt_vars))
    present = [s for s in states if s.exists]
    console.print(f"[bold]{len(present)}[/] of {len(states)} tables found on target "
                  f"[bold]{target}[/] ({sum(s.row_count or 0 for s in present):,} rows)")
    if findings:
        print_findings(findings, "saas-metrics doctor")
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        raise fail(f"{len(errors)} error(s): the build would stop on them. Fix the tables and "
                   "columns named above (docs/bring-your-own-data.md), then run doctor again.")
    console.print("[green]no errors[/]: `saas-metrics build` can run "
                  "(warnings name what is missing or left out)")
