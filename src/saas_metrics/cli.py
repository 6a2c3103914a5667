"""Command line: ``saas-metrics <command>``. One function per command below."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table as RichTable

app = typer.Typer(
    help="SaaS metrics layer: raw data generator and tools.",
    no_args_is_help=True,
    add_completion=False,
)
console = Console()


@app.callback()
def main() -> None:
    """SaaS metrics layer command line."""


@app.command()
def generate(
    preset: Annotated[
        str, typer.Option(help="small (200 x 400), medium (5 000 x 730), large (50 000 x 730).")
    ] = "small",
    accounts: Annotated[
        int | None, typer.Option(help="Number of accounts (overrides the preset).")
    ] = None,
    days: Annotated[
        int | None,
        typer.Option(help="History length in days ending at --as-of (overrides the preset)."),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Last day of the window, YYYY-MM-DD (default: today UTC)."),
    ] = None,
    seed: Annotated[int, typer.Option(help="Random seed: same arguments give identical rows.")] = 7,
    faults: Annotated[
        float, typer.Option(help="Injected bad rows per clean row and table (e.g. 0.02).")
    ] = 0.0,
    target: Annotated[str, typer.Option(help="duckdb or postgres (PG* variables).")] = "duckdb",
    duckdb_path: Annotated[
        Path | None,
        typer.Option(help="DuckDB file (default METRICS_DUCKDB_PATH or <repo>/metrics.duckdb)."),
    ] = None,
    manifest: Annotated[
        Path | None,
        typer.Option(help="Manifest JSON path (default <repo>/target/raw_manifest.json)."),
    ] = None,
) -> None:
    """Drop, recreate and bulk-load the raw_* schemas with synthetic data; write a manifest."""
    from saas_metrics.generator import DEFAULT_MANIFEST, PRESETS, parse_as_of
    from saas_metrics.generator import generate as run
    from saas_metrics.generator.contract import load_contract

    if preset not in PRESETS:
        raise typer.BadParameter(f"preset must be one of {', '.join(PRESETS)}")
    if target not in ("duckdb", "postgres"):
        raise typer.BadParameter("target must be duckdb or postgres")
    n_acc, n_days = PRESETS[preset]
    n_acc = accounts or n_acc
    n_days = days or n_days
    as_of_date = parse_as_of(as_of)
    n_tables = len(load_contract().tables)
    console.print(
        f"Generating [bold]{n_acc}[/] accounts x [bold]{n_days}[/] days to "
        f"{as_of_date} (seed {seed}, faults {faults}) into [bold]{target}[/]"
    )
    started = time.perf_counter()
    with Progress(
        TextColumn("{task.description:<40}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    ) as progress:
        sim = progress.add_task("simulate", total=n_tables)
        load = progress.add_task("load", total=n_tables)

        def on_progress(phase: str, key: str) -> None:
            task = sim if phase == "simulate" else load
            progress.update(task, advance=1, description=f"{phase} {key}")

        result = run(
            accounts=n_acc,
            days=n_days,
            as_of=as_of_date,
            seed=seed,
            faults=faults,
            target=target,
            duckdb_path=duckdb_path,
            manifest_path=manifest or DEFAULT_MANIFEST,
            progress=on_progress,
        )
        progress.update(sim, description="simulate: done")
        progress.update(load, description="load: done")
    summary = RichTable(title="Raw tables")
    summary.add_column("table")
    summary.add_column("rows", justify="right")
    summary.add_column("injected", justify="right")
    for key, info in result["tables"].items():
        summary.add_row(key, f"{info['raw_rows']:,}", f"{info['raw_rows'] - info['clean_rows']:,}")
    summary.add_row("[bold]total[/]", f"[bold]{result['total_raw_rows']:,}[/]", "")
    console.print(summary)
    t = result["timings_seconds"]
    console.print(
        f"simulate {t['simulate']:.1f}s, load {t['load']:.1f}s, "
        f"total {time.perf_counter() - started:.1f}s; manifest: {manifest or DEFAULT_MANIFEST}"
    )


@app.command("contract-docs")
def contract_docs(
    output: Annotated[
        Path | None, typer.Option(help="Output file (default <repo>/docs/raw_contract.md).")
    ] = None,
) -> None:
    """Rewrite docs/raw_contract.md and docs/metric_sources.md from the contract and seeds."""
    from saas_metrics.generator.contract import write_docs, write_metric_sources

    path = write_docs(output)
    console.print(f"wrote {path}")
    console.print(f"wrote {write_metric_sources()}")


@app.command()
def demo(
    accounts: Annotated[int, typer.Option(help="Accounts to generate.")] = 200,
    days: Annotated[int, typer.Option(help="Days of history ending today.")] = 400,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 7,
) -> None:
    """Generate the small preset into DuckDB, build everything, print the headline metrics."""
    from saas_metrics.commands.demo import run_demo

    run_demo(accounts=accounts, days=days, seed=seed)


@app.command()
def bench(
    preset: Annotated[str, typer.Option(help="small, medium or large.")] = "medium",
    accounts: Annotated[int | None, typer.Option(help="Override the preset's accounts.")] = None,
    days: Annotated[int | None, typer.Option(help="Override the preset's days.")] = None,
) -> None:
    """Time generate, load and dbt build (full and incremental); write docs/benchmarks.md."""
    from saas_metrics.commands.bench import run_bench
    from saas_metrics.generator import PRESETS

    if preset not in PRESETS:
        raise typer.BadParameter(f"preset must be one of {', '.join(PRESETS)}", param_hint="--preset")
    preset_accounts, preset_days = PRESETS[preset]
    run_bench(preset, accounts or preset_accounts, days or preset_days)


@app.command("superset-bundle")
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


@app.command("superset-serve")
def superset_serve(
    duckdb_path: Annotated[Path | None, typer.Option(
        help="Warehouse file (default METRICS_DUCKDB_PATH or <repo>/metrics.duckdb).")] = None,
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1.")] = 8088,
) -> None:
    """Run a local Superset (own venv .venv-superset) over a read replica of the warehouse."""
    from saas_metrics.superset.server import serve
    from saas_metrics.warehouse import duckdb_path as default_duckdb_path

    raise typer.Exit(serve(duckdb_path or default_duckdb_path(), port=port))


# validate: great-expectations suites over every public model (GX is imported lazily)
from saas_metrics.commands.validate import validate as _validate  # noqa: E402

app.command("validate")(_validate)

# build, backfill, export, alerts: the commands schedulers call (saas_metrics.commands)
from saas_metrics.commands.alerts import alerts as _alerts  # noqa: E402
from saas_metrics.commands.backfill import backfill as _backfill  # noqa: E402
from saas_metrics.commands.build import build as _build  # noqa: E402
from saas_metrics.commands.doctor import doctor as _doctor  # noqa: E402
from saas_metrics.commands.export import export as _export  # noqa: E402

app.command("build")(_build)
app.command("doctor")(_doctor)
app.command("backfill")(_backfill)
app.command("export")(_export)
app.command("alerts")(_alerts)


if __name__ == "__main__":  # pragma: no cover
    app()
