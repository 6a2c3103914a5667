"""`saas-metrics superset-bundle` and `superset-serve`: the dashboards' import bundle and a
local Superset over a read replica of the warehouse."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from saas_metrics.commands import console


def superset_bundle(
    uri: Annotated[str, typer.Option(help="SQLAlchemy URI of the warehouse, e.g. "
                                          "duckdb:////abs/wh.duckdb?access_mode=read_only "
                                          "or postgresql+psycopg2://user@host:5432/db.")],
    out: Annotated[Path, typer.Option(help="Where to write the import ZIP.")] = Path(
        "target/superset_bundle.zip"),
) -> None:
    """Build the Superset import bundle (datasets, metrics, charts, dashboards) for a URI."""
    from saas_metrics.superset.bundle import build_bundle

    summary = build_bundle(uri, out)
    console.print(f"Wrote [bold]{summary['path']}[/]: {summary['datasets']} datasets "
                  f"(schema {summary['schema']}), {summary['metrics']} metrics, "
                  f"{summary['charts']} charts, dashboards {summary['dashboards']}")


def superset_serve(
    duckdb_path: Annotated[Path | None, typer.Option(
        help="Warehouse file (default METRICS_DUCKDB_PATH or <repo>/metrics.duckdb).")] = None,
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1.")] = 8088,
) -> None:
    """Run a local Superset (own venv .venv-superset) over a read replica of the warehouse."""
    from saas_metrics.superset.server import serve
    from saas_metrics.warehouse import duckdb_path as default_duckdb_path

    raise typer.Exit(serve(duckdb_path or default_duckdb_path(), port=port))
