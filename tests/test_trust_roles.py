"""Least privilege on PostgreSQL: a login in the metrics_reader role reads every public model
unqualified and nothing else; it cannot create or change anything anywhere.
"""

from __future__ import annotations

import os
import secrets

import psycopg2
import pytest

from conftest import Warehouse
from saas_metrics.quality.public_models import load_manifest, public_models
from saas_metrics.quality.roles import create_reader_login
from saas_metrics.quality.row_access import set_reader_scope
from saas_metrics.warehouse import connect_postgres

pytestmark = pytest.mark.postgres

PRIVATE_SCHEMAS = ("raw_billing", "raw_activity", "raw_crm", "raw_marketing", "staging",
                   "intermediate", "reference")


@pytest.fixture(scope="module")
def reader(postgres_warehouse: Warehouse):
    """A psycopg2 connection as a login member of metrics_reader (password from env)."""
    password = os.environ.get("METRICS_READER_PASSWORD") or secrets.token_hex(16)
    create_reader_login("metrics_reader_test", env=postgres_warehouse.env, password=password)
    # row-level access denies by default (docs/row-level-access.md): this login reads
    # everything, so it gets the `all` scope
    owner = connect_postgres(postgres_warehouse.env)
    set_reader_scope(owner, "metrics_reader_test", {"all": [""]})
    owner.close()
    conn = psycopg2.connect(
        host=postgres_warehouse.env["PGHOST"], port=postgres_warehouse.env["PGPORT"],
        dbname=postgres_warehouse.env["PGDATABASE"], user="metrics_reader_test",
        password=password,
    )
    conn.autocommit = True
    yield conn
    conn.close()


def _denied(conn, statement: str) -> bool:
    with conn.cursor() as cur:
        try:
            cur.execute(statement)
        except (psycopg2.errors.InsufficientPrivilege, psycopg2.errors.UndefinedTable):
            return True
    return False


def test_reader_reads_every_public_model_unqualified(postgres_warehouse, reader):
    models = public_models(load_manifest(postgres_warehouse.target_path))
    assert models
    with reader.cursor() as cur:
        for model in models:
            cur.execute(f"select count(*) from {model.name}")
            rows = cur.fetchone()[0]
            assert rows > 0 or model.quality_meta.get("may_be_empty"), model.name


def test_reader_cannot_read_raw_staging_intermediate_or_reference(postgres_warehouse, reader):
    tables = postgres_warehouse.query(
        "select table_schema, min(table_name) from information_schema.tables "
        "where table_schema = any(%s) group by table_schema", (list(PRIVATE_SCHEMAS),),
    )
    assert {schema for schema, _ in tables} >= {"raw_billing", "staging", "intermediate"}
    for schema, table in tables:
        assert _denied(reader, f'select * from "{schema}"."{table}" limit 1'), (schema, table)


def test_reader_cannot_write_or_create_anywhere(postgres_warehouse, reader):
    first = public_models(load_manifest(postgres_warehouse.target_path))[0]
    model, column = first.name, first.columns[0].name
    schemas = [row[0] for row in postgres_warehouse.query(
        "select nspname from pg_namespace where nspname not like 'pg_%' "
        "and nspname <> 'information_schema'")]
    assert "metrics" in schemas and "public" in schemas
    for schema in schemas:
        assert _denied(reader, f'create table "{schema}".reader_probe (x int)'), schema
        assert _denied(reader, f'create view "{schema}".reader_probe as select 1 as x'), schema
    assert _denied(reader, f"delete from {model}")
    assert _denied(reader, f"update {model} set {column} = {column}")
    assert _denied(reader, f"insert into {model} select * from {model} limit 1")
    assert _denied(reader, f"truncate {model}")
    assert _denied(reader, f"drop table {model}")
    assert _denied(reader, f"alter table {model} add column probe int")
    assert _denied(reader, "create schema reader_probe")
    with reader.cursor() as cur:
        cur.execute("select rolsuper, rolcreatedb, rolcreaterole from pg_roles "
                    "where rolname = current_user")
        assert cur.fetchone() == (False, False, False)


def test_grants_come_from_dbt_on_postgres_only(postgres_warehouse, duckdb_warehouse):
    """dbt `grants` in dbt_project.yml: select to metrics_reader on public marts, none
    on other models, and no grants config on DuckDB (it has none)."""
    pg_nodes = load_manifest(postgres_warehouse.target_path)["nodes"].values()
    for node in pg_nodes:
        if node["resource_type"] != "model":
            continue
        grants = node["config"].get("grants") or {}
        if node["original_file_path"].startswith("models/marts/"):
            assert grants == {"select": ["metrics_reader"]}, node["name"]
        else:
            assert not grants, node["name"]
    duck_nodes = load_manifest(duckdb_warehouse.target_path)["nodes"].values()
    assert all(not (n["config"].get("grants") or {}) for n in duck_nodes
               if n["resource_type"] == "model")
