"""`saas-metrics validate`: great-expectations suites over every public model.

Exit codes, for schedulers: 0 every expectation passed; 1 at least one failed (bad data);
2 none failed but GX could not evaluate some (errors, e.g. a missing column).
The checkpoint results and data docs go to <output-dir>/gx (default: the dbt target dir).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from saas_metrics import PROJECT_ROOT
from saas_metrics.commands import console, fail, today_utc
from saas_metrics.commands.options import AsOfOption, TargetOption
from saas_metrics.dbt_runner import Target


def validate(
    target: TargetOption = Target.duckdb,
    as_of: AsOfOption = None,
    target_path: Annotated[
        Path | None,
        typer.Option(help="dbt target dir holding manifest.json (default <repo>/target); "
                     "parsed with dbt when it has none."),
    ] = None,
    output_dir: Annotated[
        Path | None, typer.Option(help="Where the GX project and data docs go "
                                  "(default: the target dir).")
    ] = None,
    model: Annotated[
        list[str] | None, typer.Option("--model", help="Only this public model (repeatable).")
    ] = None,
) -> None:
    """Run the expectation suites of every public model; exit non-zero on failure."""
    from saas_metrics.quality.public_models import load_manifest, parse_manifest
    from saas_metrics.quality.runner import validate_warehouse
    day = as_of or today_utc()
    target_path = target_path or PROJECT_ROOT / "target"
    if (target_path / "manifest.json").exists():
        manifest = load_manifest(target_path)
    else:
        manifest = parse_manifest(target, target_path)
    try:
        report = validate_warehouse(target, manifest, day, output_dir or target_path,
                                    models=model or None)
    except ValueError as error:
        raise fail(str(error)) from None
    for outcome in report.failures + report.errors:
        console.print(outcome.describe(), markup=False, highlight=False)
    console.print(report.summary())
    if report.docs_index:
        console.print(f"data docs: {report.docs_index}")
    if report.exit_code:
        raise typer.Exit(report.exit_code)
