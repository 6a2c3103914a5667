"""Run the expectation suites with great-expectations 1.x against a built warehouse.

DuckDB goes through GX's pandas data source: GX's SQL engine does not work on DuckDB
through duckdb-engine (every expectation errors in resolve_metric_bundle, GX issues
#10738 and #11579). Each table is read in chunks of whole days, so the grain (which
includes metric_date) stays unique within a chunk and memory stays bounded.
PostgreSQL goes through ``data_sources.add_postgres`` and runs the suites in SQL.

Every check gets a suite, a validation definition and a checkpoint in a file-backed GX
project under ``<output_dir>/gx``; data docs are built at the end
(``gx/uncommitted/data_docs/local_site/index.html``).

An expectation whose result carries ``exception_info`` with ``raised_exception`` is an
ERROR (GX could not evaluate it: a missing column, a type it cannot compare), never a
data failure, and is reported apart from FAILED ones.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from saas_metrics.quality.public_models import PublicModel, public_models
from saas_metrics.quality.suites import Check, checks_for, relation

PASSED, FAILED, ERROR = "passed", "failed", "error"
DEFAULT_CHUNK_ROWS = 250_000


@dataclass
class Outcome:
    """One expectation of one check, over all the chunks it ran on."""

    check: str
    model: str
    expectation: str
    kwargs: dict[str, Any]
    status: str
    unexpected_count: int = 0
    observed: Any = None
    detail: str = ""

    def describe(self) -> str:
        args = ", ".join(f"{k}={v}" for k, v in self.kwargs.items() if k != "batch_id")
        text = f"{self.status.upper():6} {self.check}: {self.expectation}({args})"
        if self.status == FAILED:
            text += f" unexpected={self.unexpected_count}"
            if self.observed is not None:
                text += f" observed={self.observed}"
        if self.detail:
            text += f" -- {self.detail}"
        return text


@dataclass
class ValidationReport:
    engine: str
    outcomes: list[Outcome] = field(default_factory=list)
    models: list[str] = field(default_factory=list)
    docs_index: Path | None = None

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == FAILED]

    @property
    def errors(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == ERROR]

    @property
    def success(self) -> bool:
        return not self.failures and not self.errors

    @property
    def exit_code(self) -> int:
        """0 all passed, 1 a data failure, 2 only errors (GX could not evaluate)."""
        if self.failures:
            return 1
        return 2 if self.errors else 0

    def summary(self) -> str:
        passed = len(self.outcomes) - len(self.failures) - len(self.errors)
        return (f"{self.engine}: {len(self.models)} public models, {len(self.outcomes)} "
                f"expectations: {passed} passed, {len(self.failures)} failed, "
                f"{len(self.errors)} errors")


def raised_exception(exception_info: Any) -> str | None:
    """The exception message when GX raised one evaluating the expectation, else None.

    GX puts either {raised_exception, exception_message, ...} or, keyed by metric, a dict
    of those into exception_info.
    """
    if not isinstance(exception_info, Mapping):
        return None
    if "raised_exception" in exception_info:
        if exception_info.get("raised_exception"):
            return str(exception_info.get("exception_message") or "exception raised")
        return None
    for value in exception_info.values():
        message = raised_exception(value)
        if message:
            return message
    return None


def classify(result: Any) -> tuple[str, str]:
    message = raised_exception(getattr(result, "exception_info", None))
    if message:
        return ERROR, message.splitlines()[0][:300]
    return (PASSED, "") if result.success else (FAILED, "")


def _merge(outcomes: dict[tuple[str, int], Outcome], check: Check, results: list[Any]) -> None:
    for index, result in enumerate(results):
        status, detail = classify(result)
        config = result.expectation_config
        details = result.result or {}
        key = (check.name, index)
        unexpected = int(details.get("unexpected_count") or 0)
        if key not in outcomes:
            outcomes[key] = Outcome(
                check=check.name, model=check.model.name, expectation=config.type,
                kwargs={k: v for k, v in dict(config.kwargs).items() if v is not None},
                status=status, unexpected_count=unexpected,
                observed=details.get("observed_value"), detail=detail,
            )
            continue
        outcome = outcomes[key]
        outcome.unexpected_count += unexpected
        rank = {PASSED: 0, FAILED: 1, ERROR: 2}
        if rank[status] > rank[outcome.status]:
            outcome.status, outcome.detail = status, detail
            outcome.observed = details.get("observed_value")


def _check_error(outcomes: dict, check: Check, error: Exception) -> None:
    """A check that could not run at all (no such table, a query error) is an ERROR."""
    message = str(error).strip().splitlines()
    outcomes[(check.name, -1)] = Outcome(
        check=check.name, model=check.model.name, expectation="run_check", kwargs={},
        status=ERROR, detail=f"{type(error).__name__}: {message[0] if message else ''}"[:300],
    )


def _quiet_context(output_dir: Path):
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    project = output_dir / "gx"
    # every run starts a fresh GX project: suites follow the manifest of this build
    shutil.rmtree(project, ignore_errors=True)
    output_dir.mkdir(parents=True, exist_ok=True)
    context = gx.get_context(mode="file", project_root_dir=str(output_dir))
    context.variables.progress_bars = ProgressBarsConfig(
        globally=False, metric_calculations=False,
    )
    context.variables.save()
    return context


def _register(context, check: Check, data_asset, engine: str):
    import great_expectations as gx

    suite = context.suites.add(gx.ExpectationSuite(
        name=f"{engine}.{check.name}", expectations=check.expectations,
        meta={"model": check.model.name, "value_ranges": check.why},
    ))
    batch_definition = data_asset.add_batch_definition_whole_dataframe("whole") \
        if hasattr(data_asset, "add_batch_definition_whole_dataframe") \
        else data_asset.add_batch_definition_whole_table("whole")
    validation = context.validation_definitions.add(gx.ValidationDefinition(
        name=f"{engine}.{check.name}", data=batch_definition, suite=suite,
    ))
    return context.checkpoints.add(gx.Checkpoint(
        name=f"{engine}.{check.name}", validation_definitions=[validation], actions=[],
        result_format={"result_format": "SUMMARY"},
    ))


def _results(checkpoint_result) -> list[Any]:
    results: list[Any] = []
    for run in checkpoint_result.run_results.values():
        results.extend(run.results)
    return results


def _duckdb_chunks(conn, model: PublicModel, chunk_rows: int) -> Iterator[pd.DataFrame]:
    """The table in chunks of whole days (or whole, when it has no metric_date)."""
    table = relation(model)
    if not (model.is_daily and "metric_date" in model.grain):
        yield conn.execute(f"select * from {table}").df()
        return
    days = conn.execute(
        f"select metric_date, count(*) from {table} group by metric_date order by metric_date"
    ).fetchall()
    if not days:
        yield conn.execute(f"select * from {table}").df()
        return
    start, rows = days[0][0], 0
    for index, (day, count) in enumerate(days):
        rows += count
        last = index == len(days) - 1
        if rows >= chunk_rows or last:
            yield conn.execute(
                f"select * from {table} where metric_date between ? and ?", [start, day]
            ).df()
            if not last:
                start, rows = days[index + 1][0], 0


def _run_duckdb(context, checks: list[Check], duckdb_path: str, chunk_rows: int,
                outcomes: dict) -> None:
    from saas_metrics.warehouse import connect_duckdb

    source = context.data_sources.add_pandas("duckdb_warehouse")
    conn = connect_duckdb(duckdb_path, read_only=True)
    try:
        for check in checks:
            checkpoint = _register(context, check, source.add_dataframe_asset(check.name),
                                   "duckdb")
            try:
                frames = (_duckdb_chunks(conn, check.model, chunk_rows)
                          if check.kind == "table" else iter([conn.execute(check.sql).df()]))
                for frame in frames:
                    result = checkpoint.run(batch_parameters={"dataframe": frame})
                    _merge(outcomes, check, _results(result))
            except Exception as error:  # duckdb.Error: missing table, bad query
                _check_error(outcomes, check, error)
    finally:
        conn.close()


def postgres_connection_string(env: Mapping[str, str]) -> str:
    """A SQLAlchemy URL; the password stays a ${PGPASSWORD} reference GX resolves from env."""
    user = env.get("PGUSER", "postgres")
    host = env.get("PGHOST", "localhost")
    port = env.get("PGPORT", "5432")
    database = env.get("PGDATABASE", "postgres")
    password = ":${PGPASSWORD}" if env.get("PGPASSWORD") else ""
    return f"postgresql+psycopg2://{user}{password}@{host}:{port}/{database}"


def _run_postgres(context, checks: list[Check], env: Mapping[str, str], outcomes: dict) -> None:
    source = context.data_sources.add_postgres(
        "postgres_warehouse", connection_string=postgres_connection_string(env),
    )
    for check in checks:
        try:
            if check.kind == "table":
                asset = source.add_table_asset(check.name, table_name=check.model.name,
                                               schema_name=check.model.schema)
            else:
                asset = source.add_query_asset(check.name, query=check.sql)
            checkpoint = _register(context, check, asset, "postgres")
            _merge(outcomes, check, _results(checkpoint.run()))
        except Exception as error:  # GX TestConnectionError: missing table, bad query
            _check_error(outcomes, check, error)


def validate_warehouse(
    target: str,
    manifest: dict[str, Any],
    as_of: dt.date,
    output_dir: Path,
    env: Mapping[str, str] | None = None,
    models: list[str] | None = None,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
) -> ValidationReport:
    """Validate every public model (or the named ones) of a built warehouse."""
    env = {**os.environ, **(env or {})}
    selected = [m for m in public_models(manifest) if not models or m.name in models]
    if models:
        missing = sorted(set(models) - {m.name for m in selected})
        if missing:
            raise ValueError(f"not public models: {', '.join(missing)}")
    checks = checks_for(selected, as_of)
    report = ValidationReport(engine=target, models=[m.name for m in selected])
    previous = {k: os.environ.get(k) for k in ("PGPASSWORD",)}
    os.environ["PGPASSWORD"] = env.get("PGPASSWORD", "")  # GX resolves ${PGPASSWORD} here
    try:
        context = _quiet_context(output_dir)
        outcomes: dict[tuple[str, int], Outcome] = {}
        if target == "duckdb":
            from saas_metrics.warehouse import duckdb_path

            _run_duckdb(context, checks, str(duckdb_path(env.get("METRICS_DUCKDB_PATH"))),
                        chunk_rows, outcomes)
        elif target == "postgres":
            _run_postgres(context, checks, env, outcomes)
        else:
            raise ValueError(f"unknown target {target}")
        report.outcomes = list(outcomes.values())
        context.build_data_docs()
        index = output_dir / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html"
        report.docs_index = index if index.exists() else None
    finally:
        for key, value in previous.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return report
