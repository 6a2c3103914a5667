"""Staging: nothing lost, nothing invented, no personal data past staging.

The faulted warehouse is the clean dataset plus about 5 % injected bad rows per table (the
generator's manifest counts each kind), so every check can compare against an exact
expectation instead of a tolerance.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter

import pytest

from conftest import Warehouse
from saas_metrics.generator.contract import load_contract
from saas_metrics.generator.faults import DUPLICATE_KINDS, QUARANTINE_KINDS


def _staging_tables() -> list[str]:
    return [f"{table.source}.{table.name}" for table in load_contract().tables]


def test_every_raw_row_is_staged_collapsed_or_quarantined_under_faults(
    faulted_duckdb_warehouse: Warehouse,
):
    rows = faulted_duckdb_warehouse.query(
        "select source_table, raw_rows, staged_rows, collapsed_duplicate_rows, quarantined_rows, "
        "unaccounted_rows from staging.stg_row_reconciliation"
    )
    by_table = {row[0]: row for row in rows}
    assert sorted(by_table) == sorted(_staging_tables())
    manifest = faulted_duckdb_warehouse.manifest["tables"]
    for table, (_, raw, staged, collapsed, quarantined, unaccounted) in by_table.items():
        assert raw == manifest[table]["raw_rows"], table
        assert unaccounted == 0, f"{table}: {unaccounted} raw rows neither staged nor quarantined"
        assert staged + collapsed + quarantined == raw
    total_raw = sum(row[1] for row in rows)
    total_accounted = sum(row[2] + row[3] + row[4] for row in rows)
    assert total_accounted == total_raw == faulted_duckdb_warehouse.manifest["total_raw_rows"]


def test_quarantine_counts_match_the_fault_manifest_per_table_and_reason(
    faulted_duckdb_warehouse: Warehouse,
):
    quarantined = Counter({
        (table, reason): count
        for table, reason, count in faulted_duckdb_warehouse.query(
            "select source_table, quarantine_reason, count(*) "
            "from staging.stg_quarantined_rows group by 1, 2"
        )
    })
    collapsed = dict(faulted_duckdb_warehouse.query(
        "select source_table, collapsed_duplicate_rows from staging.stg_row_reconciliation"
    ))
    injected_total = 0
    for table, info in faulted_duckdb_warehouse.manifest["tables"].items():
        faults = info["faults"]
        for kind in QUARANTINE_KINDS:
            assert quarantined[(table, kind)] == faults.get(kind, 0), (table, kind)
        duplicates = sum(faults.get(kind, 0) for kind in DUPLICATE_KINDS)
        assert collapsed[table] == duplicates, (table, "duplicates")
        injected_total += sum(faults.values())
    # the fault run really injected faults of every kind, so the comparisons above bite
    assert injected_total > 0
    kinds_seen = {reason for (_, reason) in quarantined}
    assert kinds_seen == set(QUARANTINE_KINDS)


def test_clean_data_has_nothing_quarantined_or_collapsed(duckdb_warehouse: Warehouse):
    rows = duckdb_warehouse.query(
        "select source_table, raw_rows, staged_rows from staging.stg_row_reconciliation"
    )
    assert all(raw == staged for _, raw, staged in rows), rows
    assert duckdb_warehouse.query("select count(*) from staging.stg_quarantined_rows") == [(0,)]


def test_staging_of_faulted_data_equals_staging_of_clean_data(
    duckdb_warehouse: Warehouse, faulted_duckdb_warehouse: Warehouse,
):
    """Duplicates collapse to the clean version and bad rows leave: staging is unchanged."""
    import duckdb

    con = duckdb.connect(faulted_duckdb_warehouse.duckdb_path, read_only=True)
    con.execute(f"attach '{duckdb_warehouse.duckdb_path}' as clean (read_only)")
    try:
        for table in _staging_tables():
            source, name = table.split(".")
            model = f"staging.stg_{source}__{name}"
            only_faulted = con.execute(
                f"select count(*) from (select * from {model} except all "
                f"select * from clean.{model})"
            ).fetchone()[0]
            only_clean = con.execute(
                f"select count(*) from (select * from clean.{model} except all "
                f"select * from {model})"
            ).fetchone()[0]
            assert (only_faulted, only_clean) == (0, 0), model
    finally:
        con.close()


def test_reconciliation_fails_when_one_staged_row_goes_missing(
    faulted_duckdb_warehouse: Warehouse, tmp_path,
):
    """The accounting test can fail: delete one staged row and it must say so."""
    copy_path = tmp_path / "broken.duckdb"
    shutil.copy(faulted_duckdb_warehouse.duckdb_path, copy_path)
    import duckdb

    con = duckdb.connect(str(copy_path))
    con.execute(
        "delete from staging.stg_billing__invoices where invoice_id = "
        "(select min(invoice_id) from staging.stg_billing__invoices)"
    )
    con.close()
    broken = Warehouse(
        name="broken", target="duckdb", env={"METRICS_DUCKDB_PATH": str(copy_path)},
        target_path=tmp_path / "target", manifest=faulted_duckdb_warehouse.manifest,
        as_of=faulted_duckdb_warehouse.as_of,
    )
    broken.dbt(["run", "-s", "stg_row_reconciliation"])
    result = broken.dbt(["test", "-s", "stg_row_reconciliation"], check=False)
    assert result.returncode != 0
    assert any("unaccounted_rows" in failure for failure in result.failures())
    assert broken.query(
        "select unaccounted_rows from staging.stg_row_reconciliation "
        "where source_table = 'billing.invoices'"
    ) == [(1,)]


HEX_HASH = re.compile(r"^[0-9a-f]{32}$")


@pytest.mark.parametrize("table", [t for t in _staging_tables()])
def test_staging_replaces_personal_data_with_salted_hashes(duckdb_warehouse: Warehouse, table):
    contract = {f"{t.source}.{t.name}": t for t in load_contract().tables}[table]
    pii_columns = [column.name for column in contract.columns if column.pii]
    source, name = table.split(".")
    staged_columns = [
        row[0] for row in duckdb_warehouse.query(
            "select column_name from information_schema.columns "
            f"where table_schema = 'staging' and table_name = 'stg_{source}__{name}'"
        )
    ]
    for column in pii_columns:
        assert column not in staged_columns, f"raw {column} leaked into staging of {table}"
        assert f"{column}_hash" in staged_columns
        raw_values = {
            row[0] for row in duckdb_warehouse.query(
                f"select {column} from raw_{source}.{name} where {column} is not null limit 50"
            )
        }
        hashed = [
            row[0] for row in duckdb_warehouse.query(
                f"select {column}_hash from staging.stg_{source}__{name} "
                f"where {column}_hash is not null limit 50"
            )
        ]
        assert hashed and all(HEX_HASH.match(value) for value in hashed)
        assert not raw_values & set(hashed)
