"""`saas-metrics alerts`: the alerts firing on a day; exit 2 when a critical one fires.

A scheduler runs it after the daily build and notifies on a non-zero exit: 0 = no
critical alert, 2 = at least one critical alert, 1 = the command itself failed.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table as RichTable

from saas_metrics.commands import (
    connect,
    console,
    fail,
    fetch_all,
    parse_date,
    table_columns,
    today_utc,
)
from saas_metrics.commands.options import TargetOption
from saas_metrics.dbt_runner import Target

CRITICAL_EXIT_CODE = 2


def alerts(
    date: Annotated[
        str | None, typer.Option(help="Day to check, YYYY-MM-DD (default: today UTC).")
    ] = None,
    target: TargetOption = Target.duckdb,
) -> None:
    """Print the alerts firing on a day; exit 2 if any is critical."""
    day = parse_date(date, "--date") or today_utc()
    conn = connect(target)
    try:
        for table in ("metrics_alerts", "metrics_company_overview"):
            if not table_columns(conn, target, table):
                raise fail(f"table '{table}' does not exist on target '{target}': run "
                           f"`saas-metrics build --target {target}` first")
        _, built = fetch_all(conn, target,
                             "select count(*) from metrics_company_overview where metric_date = ?",
                             [day])
        if built[0][0] == 0:
            raise fail(f"no metrics for {day} on target '{target}' (metrics_company_overview "
                       "has no row for that day): build with --as-of that day first")
        _, rows = fetch_all(
            conn, target,
            "select severity, alert_name, scope, entity_name, metric_name, metric_value, "
            "comparison, threshold_value, alert_description from metrics_alerts "
            "where metric_date = ? order by severity, alert_name, entity_name",
            [day],
        )
    finally:
        conn.close()

    if not rows:
        console.print(f"[green]no alerts on {day}[/] (target {target})")
        return
    table = RichTable(title=f"Alerts on {day} ({target})")
    table.add_column("severity", no_wrap=True)
    # the rule name is what people grep a scheduler's log for: never cut it
    table.add_column("alert", no_wrap=True, min_width=max(len(row[1]) for row in rows))
    table.add_column("entity", overflow="fold")
    table.add_column("value", justify="right", no_wrap=True)
    table.add_column("threshold", justify="right", no_wrap=True)
    symbols = {"gt": ">", "gte": ">=", "lt": "<", "lte": "<="}
    critical = 0
    for severity, name, _, entity, _, value, comparison, threshold, _ in rows:
        critical += severity == "critical"
        style = "bold red" if severity == "critical" else "yellow"
        table.add_row(f"[{style}]{severity}[/]", name, entity or "", f"{value:,.2f}",
                      f"{symbols.get(comparison, comparison)} {threshold:g}")
    console.print(table)
    console.print(f"{len(rows)} alerts, {critical} critical")
    if critical:
        raise typer.Exit(CRITICAL_EXIT_CODE)
