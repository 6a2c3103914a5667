"""`saas-metrics generate`: synthetic raw data into the raw schemas, with a manifest."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table as RichTable

from saas_metrics.commands import console, fail
from saas_metrics.commands.options import AsOfOption, TargetOption
from saas_metrics.dbt_runner import Target


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
    as_of: AsOfOption = None,
    seed: Annotated[int, typer.Option(help="Random seed: same arguments give identical rows.")] = 7,
    faults: Annotated[
        float, typer.Option(help="Injected bad rows per clean row and table (e.g. 0.02).")
    ] = 0.0,
    target: TargetOption = Target.duckdb,
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
        raise fail(f"unknown --preset '{preset}': choose one of {', '.join(PRESETS)}")
    preset_accounts, preset_days = PRESETS[preset]
    n_accounts = accounts or preset_accounts
    n_days = days or preset_days
    as_of_date = parse_as_of(as_of)
    n_tables = len(load_contract().tables)
    console.print(
        f"Generating [bold]{n_accounts}[/] accounts x [bold]{n_days}[/] days to "
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
        simulate_task = progress.add_task("simulate", total=n_tables)
        load_task = progress.add_task("load", total=n_tables)

        def on_progress(phase: str, key: str) -> None:
            task = simulate_task if phase == "simulate" else load_task
            progress.update(task, advance=1, description=f"{phase} {key}")

        result = run(
            accounts=n_accounts,
            days=n_days,
            as_of=as_of_date,
            seed=seed,
            faults=faults,
            target=target,
            duckdb_path=duckdb_path,
            manifest_path=manifest or DEFAULT_MANIFEST,
            progress=on_progress,
        )
        progress.update(simulate_task, description="simulate: done")
        progress.update(load_task, description="load: done")
    summary = RichTable(title="Raw tables")
    summary.add_column("table")
    summary.add_column("rows", justify="right")
    summary.add_column("injected", justify="right")
    for key, info in result["tables"].items():
        summary.add_row(key, f"{info['raw_rows']:,}", f"{info['raw_rows'] - info['clean_rows']:,}")
    summary.add_row("[bold]total[/]", f"[bold]{result['total_raw_rows']:,}[/]", "")
    console.print(summary)
    timings = result["timings_seconds"]
    console.print(
        f"simulate {timings['simulate']:.1f}s, load {timings['load']:.1f}s, "
        f"total {time.perf_counter() - started:.1f}s; manifest: {manifest or DEFAULT_MANIFEST}"
    )
