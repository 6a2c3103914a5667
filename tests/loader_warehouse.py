"""One warehouse per engine holding every loader's fixture tables, built once per session
with every loader mapping switched on (models/loaders/, docs/loaders/).

Each fixture module in tests/loaders/ (fivetran_stripe.py, fivetran_salesforce.py,
segment.py, fivetran_ads.py) describes tables in its loader's real shape, with the real
column names, and exports:

    TABLES          list[LoaderTable]: the loader's tables and rows
    CONTRACT_TABLES dict["<source>.<table>", rows]: raw contract tables loaded by hand
                    beside the loader (e.g. billing.exchange_rates next to Stripe); optional
    DBT_VARS        extra dbt vars the mapping needs (beyond <source>_loader); optional

The fixtures share the accounts in ACCOUNT_KEYS, as one company's loaders would: Stripe
holds them as customers, Salesforce accounts and Segment users point at them. The build
is the slow part, so it happens once per engine; set METRICS_TEST_LOADERS=segment (a
comma list) to build only some loaders while working on one.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import psycopg2

from conftest import Warehouse, load_raw_tables

AS_OF = dt.date(2024, 3, 31)

# loader -> the raw source whose var switches it on
LOADERS = {
    "fivetran_stripe": "billing",
    "fivetran_salesforce": "crm",
    "segment": "activity",
    "fivetran_ads": "marketing",
}

# The customer companies every fixture refers to: Stripe customer ids, which are also the
# billing account keys that Salesforce accounts and Segment users carry.
ACCOUNT_KEYS = ["cus_acme", "cus_globex", "cus_initech", "cus_umbrella", "cus_hooli",
                "cus_stark"]


@dataclass
class LoaderTable:
    """A table as the loader lands it. Types are PostgreSQL's names (jsonb is json on
    DuckDB); rows are dicts keyed by column (missing keys insert NULL; dict and list
    values are written as JSON)."""

    schema: str
    name: str
    columns: dict[str, str]
    rows: list[dict[str, Any]] = field(default_factory=list)

    def ddl(self, target: str) -> str:
        columns = ", ".join(
            f'"{name}" {_engine_type(data_type, target)}' for name, data_type in self.columns.items())
        return f'create table "{self.schema}"."{self.name}" ({columns})'


def _engine_type(data_type: str, target: str) -> str:
    if target == "duckdb" and data_type.lower() == "jsonb":
        return "json"
    return data_type


def _value(value: Any) -> Any:
    return json.dumps(value) if isinstance(value, (dict, list)) else value


def load_loader_tables(target: str, env: dict[str, str], tables: list[LoaderTable]) -> None:
    if target == "duckdb":
        conn = duckdb.connect(env["METRICS_DUCKDB_PATH"])
    else:
        conn = psycopg2.connect(host=env["PGHOST"], port=env["PGPORT"], user=env["PGUSER"],
                                dbname=env["PGDATABASE"])
    cursor = conn.cursor()
    for table in tables:
        cursor.execute(f'create schema if not exists "{table.schema}"')
        cursor.execute(table.ddl(target))
        names = list(table.columns)
        marks = ", ".join(["?" if target == "duckdb" else "%s"] * len(names))
        quoted = ", ".join(f'"{name}"' for name in names)
        for row in table.rows:
            unknown = set(row) - set(names)
            assert not unknown, f"{table.schema}.{table.name}: no column {unknown}"
            cursor.execute(f'insert into "{table.schema}"."{table.name}" ({quoted}) '
                           f"values ({marks})", [_value(row.get(name)) for name in names])
    conn.commit()
    conn.close()


def selected_loaders() -> list[str]:
    chosen = os.environ.get("METRICS_TEST_LOADERS")
    if not chosen:
        return list(LOADERS)
    names = [name.strip() for name in chosen.split(",") if name.strip()]
    unknown = set(names) - set(LOADERS)
    assert not unknown, f"METRICS_TEST_LOADERS: unknown {unknown}; valid: {list(LOADERS)}"
    return names


def fixture_module(loader: str):
    return importlib.import_module(f"loaders.{loader}")


def build_loaders_warehouse(tmp_root: Path, target: str, cluster=None,
                            loaders: list[str] | None = None) -> Warehouse:
    loaders = loaders or selected_loaders()
    name = f"loaders_{target}"
    work = tmp_root / name
    work.mkdir(parents=True, exist_ok=True)
    if target == "duckdb":
        env = {"METRICS_DUCKDB_PATH": str(work / "warehouse.duckdb")}
    else:
        cluster.create_database(name)
        env = {**cluster.env, "PGDATABASE": name}
    dbt_vars: dict[str, Any] = {}
    contract_tables: dict[str, list[dict]] = {}
    for loader in loaders:
        module = fixture_module(loader)
        load_loader_tables(target, env, module.TABLES)
        contract_tables.update(getattr(module, "CONTRACT_TABLES", {}))
        dbt_vars[f"{LOADERS[loader]}_loader"] = loader
        dbt_vars.update(getattr(module, "DBT_VARS", {}))
    if contract_tables:
        load_raw_tables(target, env, contract_tables)
    warehouse = Warehouse(name=name, target=target, env=env, target_path=work / "target",
                          manifest={}, as_of=AS_OF, dbt_vars=dbt_vars)
    result = warehouse.dbt(["build"])
    warehouse.build_log = result.stdout  # type: ignore[attr-defined]
    return warehouse


_BUILT: dict[str, Warehouse] = {}


def loaders_warehouse(request, tmp_path_factory, engine: str) -> Warehouse:
    """The loaders' warehouse on one engine, built once per session."""
    if engine not in _BUILT:
        cluster = request.getfixturevalue("pg_cluster") if engine == "postgres" else None
        _BUILT[engine] = build_loaders_warehouse(tmp_path_factory.mktemp("loaders"), engine,
                                                 cluster)
    return _BUILT[engine]
