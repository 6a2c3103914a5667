"""`saas-metrics export`: one public table as CSV, filtered, streamed in chunks (seed 002).

Rows go from a cursor to the file chunk by chunk (a server-side cursor on Postgres), so a
long date range never sits in memory at once.
"""

from __future__ import annotations

import csv
import datetime as dt
import sys
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from saas_metrics.commands import (
    connect,
    err_console,
    fail,
    parse_date,
    public_tables,
    table_columns,
)
from saas_metrics.commands.options import TargetOption
from saas_metrics.dbt_runner import Target


def csv_value(value: Any) -> Any:
    """Text that reads back to the same value: ISO dates, exact decimals and floats."""
    if value is None:
        return ""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, float):
        return repr(value)
    return value


def build_query(table: str, columns: list[str], start: dt.date | None, end: dt.date | None,
                domain: str | None, tier: str | None) -> tuple[str, list[Any]]:
    """The filtered select with `?` placeholders; a filter the table lacks is an error."""
    conditions: list[str] = []
    params: list[Any] = []
    if start or end:
        if "metric_date" not in columns:
            raise fail(f"--start/--end filter on metric_date, which {table} does not have")
    if start:
        conditions.append("metric_date >= ?")
        params.append(start)
    if end:
        conditions.append("metric_date <= ?")
        params.append(end)
    if domain:
        if "domain" not in columns:
            raise fail(f"--domain needs a domain column; {table} has none "
                       "(use metrics_unified_domains or metrics_api)")
        conditions.append("domain = ?")
        params.append(domain)
    if tier:
        if "importance_tier" not in columns:
            raise fail(f"--tier needs an importance_tier column; {table} has none "
                       "(use metrics_unified_domains or metrics_api)")
        conditions.append("importance_tier = ?")
        params.append(tier)
    where = f" where {' and '.join(conditions)}" if conditions else ""
    order = " order by metric_date" if "metric_date" in columns else ""
    column_list = ", ".join(columns)
    return f"select {column_list} from {table}{where}{order}", params


def export(
    table: Annotated[str, typer.Argument(help="A public table, e.g. metrics_unified_domains.")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="CSV file (default: stdout).")
    ] = None,
    start: Annotated[str | None, typer.Option(help="First metric_date, YYYY-MM-DD.")] = None,
    end: Annotated[str | None, typer.Option(help="Last metric_date, YYYY-MM-DD.")] = None,
    domain: Annotated[
        str | None, typer.Option(help="customer_success, sales, product or marketing.")
    ] = None,
    tier: Annotated[str | None, typer.Option(help="tier_1, tier_2 or tier_3.")] = None,
    target: TargetOption = Target.duckdb,
    chunk_size: Annotated[int, typer.Option(help="Rows fetched per chunk.")] = 50_000,
) -> None:
    """Write a public table as CSV, filtered by date range, domain and tier."""
    if domain and domain not in ("customer_success", "sales", "product", "marketing"):
        raise fail(f"--domain '{domain}' is not customer_success, sales, product or marketing")
    if tier and tier not in ("tier_1", "tier_2", "tier_3"):
        raise fail(f"--tier '{tier}' is not tier_1, tier_2 or tier_3")
    if chunk_size < 1:
        raise fail("--chunk-size must be at least 1")
    start_date = parse_date(start, "--start")
    end_date = parse_date(end, "--end")
    if start_date and end_date and start_date > end_date:
        raise fail(f"--start {start_date} is after --end {end_date}")

    conn = connect(target)
    try:
        tables = public_tables(conn, target)
        if table not in tables:
            known = ", ".join(tables) if tables else "none: run `saas-metrics build` first"
            raise fail(f"table '{table}' is not a public table on target '{target}' "
                       f"(public tables: {known})")
        columns = table_columns(conn, target, table)
        sql, params = build_query(table, columns, start_date, end_date, domain, tier)
        written = stream_csv(conn, target, sql, params, columns, output, chunk_size)
    finally:
        conn.close()
    where = output if output else "stdout"
    err_console.print(f"exported {written:,} rows of {table} to {where}")


def stream_csv(conn: Any, target: str, sql: str, params: list[Any], columns: list[str],
               output: Path | None, chunk_size: int) -> int:
    """Copy the query result to CSV chunk by chunk; returns the number of rows."""
    handle = output.open("w", newline="") if output else sys.stdout
    written = 0
    try:
        writer = csv.writer(handle)
        writer.writerow(columns)
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=err_console, transient=True) as progress:
            task = progress.add_task("export", total=None)
            for chunk in fetch_chunks(conn, target, sql, params, chunk_size):
                writer.writerows([csv_value(value) for value in row] for row in chunk)
                written += len(chunk)
                progress.update(task, completed=written)
    finally:
        if output:
            handle.close()
    return written


def fetch_chunks(conn: Any, target: str, sql: str, params: list[Any], chunk_size: int):
    if target == "duckdb":
        cursor = conn.execute(sql, params)
        while chunk := cursor.fetchmany(chunk_size):
            yield chunk
        return
    # a named cursor lives on the server: Postgres sends chunk_size rows per round trip
    with conn.cursor(name="saas_metrics_export") as cursor:
        cursor.itersize = chunk_size
        cursor.execute(sql.replace("?", "%s"), tuple(params))
        while chunk := cursor.fetchmany(chunk_size):
            yield chunk
