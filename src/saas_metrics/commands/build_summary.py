"""The short report after `saas-metrics build`: what came in, what was left out and why."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from rich.table import Table as RichTable

from saas_metrics.commands import console
from saas_metrics.commands.doctor import open_raw_reader
from saas_metrics.quality.raw_check import contract_findings, inspect_raw, metrics_needing


def build_summary(target: str, dbt_vars: dict[str, Any]) -> None:
    reader = open_raw_reader(target)
    try:
        states = inspect_raw(reader, dbt_vars=dbt_vars)
        if not reader.rows("select table_name from information_schema.tables where "
                           "table_schema = 'staging' and table_name = 'stg_row_reconciliation'"):
            console.print("[yellow]no build summary: staging was not built "
                          "(see the errors above; `saas-metrics doctor` checks the raw tables)[/]")
            return
        reconciliation = {
            row[0]: row[1:] for row in reader.rows(
                "select source_table, raw_rows, staged_rows, collapsed_duplicate_rows, "
                "quarantined_rows from staging.stg_row_reconciliation")
        }
        reasons: dict[str, list[str]] = defaultdict(list)
        for table, reason, rows in reader.rows(
            "select source_table, quarantine_reason, count(*) from staging.stg_quarantined_rows "
            "group by source_table, quarantine_reason order by source_table, quarantine_reason"
        ):
            reasons[table].append(f"{reason} {rows:,}")
    finally:
        reader.conn.close()
    table = RichTable(title="Build summary: raw rows in")
    for column in ("raw table", "raw", "staged", "collapsed", "quarantined", "reasons"):
        table.add_column(column, justify="right" if column in {"raw", "staged", "collapsed",
                                                                 "quarantined"} else "left")
    missing = []
    for state in states:
        if not state.exists:
            missing.append(state)
            continue
        raw, staged, collapsed, quarantined = reconciliation.get(state.key, (0, 0, 0, 0))
        table.add_row(state.key, f"{raw:,}", f"{staged:,}", f"{collapsed:,}",
                      f"{quarantined:,}", ", ".join(reasons.get(state.key, [])))
    console.print(table)
    if missing:
        console.print(f"[yellow]{len(missing)} raw table(s) missing[/], read as empty; the "
                      "metrics that need them are NULL (`saas-metrics doctor` names them):")
        by_source: dict[str, list] = defaultdict(list)
        for state in missing:
            by_source[state.key.split(".")[0]].append(state)
        for source, tables in by_source.items():
            total = sum(1 for state in states if state.key.startswith(source + "."))
            names = ("all " + str(total) + " tables" if len(tables) == total
                     else ", ".join(state.key.split(".")[1] for state in tables))
            console.print(f"  {source} ({tables[0].schema}): {names}")
        without = {m for state in missing for m in metrics_needing(state.key)}
        console.print(f"  {len(without)} metrics have no data")
    stale = [f for f in contract_findings([s for s in states if s.exists])
             if f.kind == "stale"]
    for finding in stale:
        console.print(f"[yellow]stale[/] {finding.table}: {finding.detail}")
    if not stale:
        console.print("freshness: every raw table with a freshness rule is within it")
