"""Bulk loaders: DuckDB (INSERT ... SELECT from a registered DataFrame) and PostgreSQL (COPY).

Both go through a DuckDB table typed by the contract DDL, so the values that reach Postgres
are exactly the values DuckDB stores (the CSV is written by DuckDB from the typed table).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping

import pandas as pd

from saas_metrics import warehouse

from .contract import Table


def _insert_typed(con, table: Table, df: pd.DataFrame) -> None:
    con.execute(f"create schema if not exists {table.schema}")
    con.execute(f"drop table if exists {table.qualified} cascade")
    con.execute(table.ddl("duckdb"))
    con.register("__raw_frame", df)
    try:
        select = ", ".join(f'cast("{c.name}" as {c.duckdb_type()})' for c in table.columns)
        con.execute(f"insert into {table.qualified} select {select} from __raw_frame")
    finally:
        con.unregister("__raw_frame")


class DuckDBLoader:
    def __init__(self, path: str | os.PathLike | None = None):
        self.path = warehouse.duckdb_path(path)
        self.con = warehouse.connect_duckdb(self.path)

    def load(self, table: Table, df: pd.DataFrame) -> int:
        _insert_typed(self.con, table, df)
        return len(df)

    def close(self) -> None:
        self.con.execute("checkpoint")
        self.con.close()


class PostgresLoader:
    def __init__(self, env: Mapping[str, str] | None = None):
        self.conn = warehouse.connect_postgres(env)
        self.scratch = warehouse.connect_duckdb(":memory:")
        self.tmp = tempfile.TemporaryDirectory(prefix="saas_metrics_copy_")

    def load(self, table: Table, df: pd.DataFrame) -> int:
        _insert_typed(self.scratch, table, df)
        path = os.path.join(self.tmp.name, f"{table.schema}.{table.name}.csv")
        self.scratch.execute(f"copy {table.qualified} to '{path}' (format csv, header false)")
        self.scratch.execute(f"drop table {table.qualified}")
        with self.conn.cursor() as cur:
            cur.execute(f"create schema if not exists {table.schema}")
            cur.execute(f"drop table if exists {table.qualified} cascade")
            cur.execute(table.ddl("postgres"))
            with open(path, encoding="utf-8") as fh:
                cur.copy_expert(f"copy {table.qualified} from stdin with (format csv)", fh)
        self.conn.commit()
        os.remove(path)
        return len(df)

    def close(self) -> None:
        self.conn.close()
        self.scratch.close()
        self.tmp.cleanup()
