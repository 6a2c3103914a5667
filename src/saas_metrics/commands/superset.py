"""`saas-metrics superset-bundle` and `superset-serve`: the dashboards' import bundle and a
local Superset over a read replica of the warehouse."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from saas_metrics.commands import connect, console, fail
from saas_metrics.commands.options import TargetOption
from saas_metrics.dbt_runner import Target


def superset_bundle(
    uri: Annotated[str, typer.Option(help="SQLAlchemy URI of the warehouse, e.g. "
                                          "duckdb:////abs/wh.duckdb?access_mode=read_only "
                                          "or postgresql+psycopg2://user@host:5432/db.")],
    out: Annotated[Path, typer.Option(help="Where to write the import ZIP.")] = Path(
        "target/superset_bundle.zip"),
    target: TargetOption = Target.duckdb,
    row_access: Annotated[bool, typer.Option(
        "--row-access/--no-row-access",
        help="Add the row-level security rules generated from the reader scopes of the "
             "--target warehouse (docs/row-level-access.md); without them every Superset "
             "user sees every row.")] = True,
) -> None:
    """Build the Superset import bundle (datasets, metrics, charts, dashboards, row-level
    security rules) for a URI."""
    from saas_metrics.superset.bundle import build_bundle

    scopes = read_row_access(target) if row_access else None
    summary = build_bundle(uri, out, row_access=scopes)
    console.print(f"Wrote [bold]{summary['path']}[/]: {summary['datasets']} datasets "
                  f"(schema {summary['schema']}), {summary['metrics']} metrics, "
                  f"{summary['charts']} charts, {summary['row_level_security_rules']} "
                  f"row-level security rules, dashboards {summary['dashboards']}")


def read_row_access(target: Target) -> tuple[list, list]:
    """Reader scopes and the account/rep dimension of a built warehouse (as its builder)."""
    from saas_metrics.quality.row_access import load_row_access

    conn = connect(target.value)
    try:
        return load_row_access(conn, target.value)
    except Exception as error:  # a missing table on either engine
        raise fail(f"target '{target.value}': cannot read the reader scopes "
                   f"({str(error).strip().splitlines()[0]}); build the warehouse first, or "
                   "pass --no-row-access") from None
    finally:
        conn.close()


def superset_serve(
    duckdb_path: Annotated[Path | None, typer.Option(
        help="Warehouse file (default METRICS_DUCKDB_PATH or <repo>/metrics.duckdb).")] = None,
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1.")] = 8088,
) -> None:
    """Run a local Superset (own venv .venv-superset) over a read replica of the warehouse."""
    from saas_metrics.superset.server import serve
    from saas_metrics.warehouse import duckdb_path as default_duckdb_path

    raise typer.Exit(serve(duckdb_path or default_duckdb_path(), port=port))
