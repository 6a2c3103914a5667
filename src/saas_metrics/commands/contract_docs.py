"""`saas-metrics contract-docs`: render the contract's Markdown pages from their sources."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from saas_metrics.commands import console


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
