"""Connection helpers for the two supported warehouses.

DuckDB: the file in ``METRICS_DUCKDB_PATH`` (default ``<repo>/metrics.duckdb``).
PostgreSQL: the usual libpq variables PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from saas_metrics import PROJECT_ROOT

PG_DEFAULTS = {
    "PGHOST": "localhost",
    "PGPORT": "5432",
    "PGUSER": "postgres",
    "PGPASSWORD": "",
    "PGDATABASE": "postgres",
}


def duckdb_path(path: str | os.PathLike | None = None) -> Path:
    if path:
        return Path(path)
    return Path(os.environ.get("METRICS_DUCKDB_PATH") or PROJECT_ROOT / "metrics.duckdb")


def connect_duckdb(path: str | os.PathLike | None = None, read_only: bool = False):
    """Open the DuckDB file (created if missing) with the session time zone set to UTC."""
    import duckdb

    p = duckdb_path(path)
    if str(p) != ":memory:":
        p.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(p), read_only=read_only)
    con.execute("SET TimeZone = 'UTC'")
    return con


def pg_params(env: Mapping[str, str] | None = None) -> dict:
    """psycopg2 keyword arguments from PG* variables (``env`` overrides os.environ)."""
    merged = {k: os.environ.get(k, v) for k, v in PG_DEFAULTS.items()}
    if env:
        merged.update({k: v for k, v in env.items() if k in PG_DEFAULTS})
    params = {
        "host": merged["PGHOST"],
        "port": int(merged["PGPORT"]),
        "user": merged["PGUSER"],
        "dbname": merged["PGDATABASE"],
    }
    if merged["PGPASSWORD"]:
        params["password"] = merged["PGPASSWORD"]
    return params


def connect_postgres(env: Mapping[str, str] | None = None):
    """A psycopg2 connection (autocommit off) with the session time zone set to UTC."""
    import psycopg2

    conn = psycopg2.connect(**pg_params(env))
    with conn.cursor() as cur:
        cur.execute("SET TIME ZONE 'UTC'")
    conn.commit()
    return conn
