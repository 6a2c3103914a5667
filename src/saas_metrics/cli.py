"""Command line: ``saas-metrics <command>``. Each command is one function in
saas_metrics.commands; this module only registers them, in the order `--help` lists them.
Shared options (--target, --as-of, --var) are typed once in saas_metrics.commands.options."""

from __future__ import annotations

import typer

from saas_metrics.commands.alerts import alerts
from saas_metrics.commands.backfill import backfill
from saas_metrics.commands.bench import bench
from saas_metrics.commands.build import build
from saas_metrics.commands.contract_docs import contract_docs
from saas_metrics.commands.demo import demo
from saas_metrics.commands.doctor import doctor
from saas_metrics.commands.export import export
from saas_metrics.commands.generate import generate
from saas_metrics.commands.reader import reader_app
from saas_metrics.commands.superset import superset_bundle, superset_serve
from saas_metrics.commands.validate import validate

app = typer.Typer(
    help="SaaS metrics layer: raw data generator and tools.",
    no_args_is_help=True,
    add_completion=False,
)

COMMANDS = {
    "generate": generate,
    "doctor": doctor,
    "build": build,
    "backfill": backfill,
    "export": export,
    "alerts": alerts,
    "validate": validate,
    "demo": demo,
    "bench": bench,
    "contract-docs": contract_docs,
    "superset-bundle": superset_bundle,
    "superset-serve": superset_serve,
    "reader": reader_app,
}
for name, command in COMMANDS.items():
    if isinstance(command, typer.Typer):
        app.add_typer(command, name=name)  # a command with subcommands (reader add|list)
    else:
        app.command(name)(command)


@app.callback()
def main() -> None:
    """SaaS metrics layer command line."""


if __name__ == "__main__":  # pragma: no cover
    app()
