"""`saas-metrics reader`: the argument errors it raises before touching a warehouse."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from saas_metrics.cli import app

runner = CliRunner()


@pytest.mark.parametrize("args, named", [
    (["add", "someone", "--all", "--target", "duckdb"],
     "reader scopes apply on PostgreSQL and in Superset only"),
    (["list", "--target", "duckdb"], "reader scopes apply on PostgreSQL and in Superset only"),
    (["add", "someone", "--target", "postgres"], "choose a scope: --all, or one or more of"),
    (["add", "someone", "--all", "--region", "emea", "--target", "postgres"],
     "--all already covers every row"),
])
def test_reader_errors_say_what_is_wrong_and_what_to_do(args, named):
    # PGPORT 1: no server there, so an error after connecting would read differently
    result = runner.invoke(app, ["reader", *args], env={"PGHOST": "127.0.0.1", "PGPORT": "1"})
    assert result.exit_code == 1
    assert named in " ".join(result.output.split())


def test_reader_is_registered_with_add_and_list():
    result = runner.invoke(app, ["reader", "--help"], env={"COLUMNS": "120"})
    assert result.exit_code == 0
    assert "add" in result.output and "list" in result.output


def test_duckdb_gets_the_scopes_and_the_dimension_but_no_access_schema(duckdb_warehouse):
    """On DuckDB the row-access hooks render nothing; the seed (Superset's scopes there)
    and the account/rep dimension are built as on PostgreSQL."""
    schemas = {row[0] for row in duckdb_warehouse.query(
        "select schema_name from information_schema.schemata")}
    assert "metrics_access" not in schemas and "reference" in schemas
    assert duckdb_warehouse.query("select count(*) from reference.reader_scopes") == [(0,)]
    entities = dict(duckdb_warehouse.query(
        "select entity_type, count(*) from intermediate.int_access_scope_entities group by 1"))
    accounts = duckdb_warehouse.query("select count(*) from staging.stg_billing__accounts")
    reps = duckdb_warehouse.query("select count(*) from staging.stg_crm__sales_reps")
    assert entities == {"account": accounts[0][0], "sales_rep": reps[0][0]}
