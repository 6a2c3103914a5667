"""Orchestration: the Dagster definitions and the Airflow DAG.

Dagster: the definitions load, every public model is an asset grouped by domain, dbt
tests are asset checks; three daily partitions materialized one after the other with
the `dagster asset materialize` command, after the run of the day before them, give
exactly the tables of `dbt build` as of the last day (the shared duckdb_warehouse); a run
over several partitions passes the vars `saas-metrics backfill` passes and equals it.
Both Dagster runs start from copies of one warehouse built as of three days earlier.

Airflow: the cosmos DAG imports in a venv of its own (.venv-airflow, created from
src/saas_metrics/orchestration/airflow/requirements.txt when missing or out of date).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from typer.testing import CliRunner

from conftest import Warehouse, differences
from saas_metrics import PROJECT_ROOT
from saas_metrics.cli import app
from saas_metrics.commands import build as build_command
from saas_metrics.generator import generate
from saas_metrics.quality.public_models import load_manifest, public_models

AIRFLOW_DIR = PROJECT_ROOT / "src" / "saas_metrics" / "orchestration" / "airflow"
AIRFLOW_VENV = PROJECT_ROOT / ".venv-airflow"
DOMAIN_GROUPS = {"customer_success", "sales", "product", "marketing", "unified", "quality"}


@pytest.fixture(scope="module")
def dagster_defs():
    from saas_metrics.orchestration.dagster import defs

    return defs


def test_dagster_definitions_load_with_every_public_model_as_an_asset_grouped_by_domain(
    dagster_defs,
):
    from saas_metrics.orchestration.dagster import MANIFEST_DIR

    graph = dagster_defs.resolve_asset_graph()
    assets = {key.path[-1]: graph.get(key) for key in graph.materializable_asset_keys}
    public = public_models(load_manifest(MANIFEST_DIR))
    assert len(public) >= 10
    for model in public:
        assert model.name in assets, model.name
        assert assets[model.name].group_name in DOMAIN_GROUPS, model.name
    assert assets["metrics_customer_success"].group_name == "customer_success"
    assert assets["int_account_mrr_daily"].group_name == "revenue"
    assert assets["base_billing__accounts"].group_name == "staging_billing"
    assert assets["metric_catalog"].group_name == "reference"
    # one daily partitions definition for all of them
    partitions = {asset.partitions_def for asset in assets.values()}
    assert len(partitions) == 1
    assert dt.datetime.now(dt.UTC).date().isoformat() in next(iter(partitions)).get_partition_keys()


def test_dbt_tests_critical_alerts_and_raw_freshness_are_asset_checks(dagster_defs):
    checks = list(dagster_defs.resolve_asset_graph().asset_check_keys)
    names = {check.name for check in checks}
    assert "no_critical_alerts" in names
    assert sum(check.name == "raw_freshness" for check in checks) == 32
    dbt_tests = [check for check in checks if check.name.startswith(("not_null_", "unique_"))]
    assert len(dbt_tests) > 50


def test_the_daily_schedule_runs_at_the_configured_utc_hour(dagster_defs):
    schedule = dagster_defs.resolve_schedule_def("daily_build_schedule")
    assert schedule.cron_schedule == "0 6 * * *"
    assert schedule.execution_timezone == "UTC"


def test_a_run_over_several_partitions_passes_the_vars_of_saas_metrics_backfill(monkeypatch):
    from saas_metrics.orchestration.dagster import dbt_vars_for

    start, end = dt.datetime(2026, 3, 1, tzinfo=dt.UTC), dt.datetime(2026, 3, 4, tzinfo=dt.UTC)
    window = SimpleNamespace(partition_time_window=SimpleNamespace(start=start, end=end))
    captured = []
    monkeypatch.setattr(build_command, "run_dbt",
                        lambda args, **kwargs: captured.append(kwargs["dbt_vars"]))
    from saas_metrics.commands import backfill as backfill_command

    monkeypatch.setattr(backfill_command, "run_dbt_step",
                        lambda args, target, dbt_vars: captured.append(dbt_vars))
    result = CliRunner().invoke(app, ["backfill", "--start", "2026-03-01", "--end",
                                      "2026-03-03", "--as-of", "2026-03-03"])
    assert result.exit_code == 0, result.output
    assert dbt_vars_for(window) == captured[0]
    one_day = SimpleNamespace(partition_time_window=SimpleNamespace(
        start=start, end=start + dt.timedelta(days=1)))
    assert dbt_vars_for(one_day) == {"as_of_date": "2026-03-01"}


@pytest.fixture(scope="module")
def built_three_days_earlier(duckdb_warehouse: Warehouse, tmp_path_factory) -> Path:
    """The shared warehouse's raw data, built as the scheduler's run of D-3 left it (D is
    the shared warehouse's as-of day). The Dagster tests run the last three days on copies
    of it, so the suite builds that history once."""
    work = tmp_path_factory.mktemp("orchestration")
    path = work / "base.duckdb"
    params = duckdb_warehouse.manifest
    generate(accounts=params["accounts"], days=params["days"], as_of=duckdb_warehouse.as_of,
             seed=params["seed"], faults=0.0, target="duckdb", duckdb_path=path,
             manifest_path=work / "raw.json")
    base = Warehouse(name="base", target="duckdb", env={"METRICS_DUCKDB_PATH": str(path)},
                     target_path=work / "target", manifest=params,
                     as_of=duckdb_warehouse.as_of - dt.timedelta(days=3))
    base.dbt(["build"])
    return path


def _dagster_env(tmp_path: Path, name: str, base: Path) -> dict[str, str]:
    path = tmp_path / f"{name}.duckdb"
    shutil.copy(base, path)
    env = {**os.environ, "METRICS_DUCKDB_PATH": str(path),
           "DAGSTER_HOME": str(tmp_path / "dagster_home"),
           "DBT_TARGET_PATH": str(tmp_path / f"target_{name}")}
    Path(env["DAGSTER_HOME"]).mkdir(exist_ok=True)
    return env


@pytest.mark.slow
def test_three_daily_partitions_materialized_in_turn_equal_a_full_build(
    duckdb_warehouse: Warehouse, built_three_days_earlier: Path, tmp_path: Path,
):
    """`dagster asset materialize --select '*' --partition DAY` for the last three days in
    turn, after the run of the day before them: the last run leaves exactly the tables of
    `dbt build` as of DAY (the shared duckdb_warehouse, a full build)."""
    env = _dagster_env(tmp_path, "dagster", built_three_days_earlier)
    dagster = Path(sys.executable).with_name("dagster")
    for offset in (2, 1, 0):
        day = duckdb_warehouse.as_of - dt.timedelta(days=offset)
        result = subprocess.run(
            [str(dagster), "asset", "materialize", "-m", "saas_metrics.orchestration.dagster",
             "--select", "*", "--partition", day.isoformat()],
            env=env, cwd=tmp_path, text=True,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        assert result.returncode == 0, result.stdout[-5000:]
        assert "RUN_SUCCESS" in result.stdout
        assert "Asset check 'no_critical_alerts' on 'metrics_alerts'" in result.stdout
    materialized = Warehouse(name="dagster", target="duckdb",
                             env={"METRICS_DUCKDB_PATH": env["METRICS_DUCKDB_PATH"]},
                             target_path=duckdb_warehouse.target_path,
                             manifest=duckdb_warehouse.manifest, as_of=duckdb_warehouse.as_of)
    found = differences(duckdb_warehouse, materialized)
    assert not found, "\n\n".join(found)


def _requirements_digest() -> str:
    return hashlib.sha256((AIRFLOW_DIR / "requirements.txt").read_bytes()).hexdigest()


def ensure_airflow_venv() -> Path:
    stamp = AIRFLOW_VENV / ".installed"
    if stamp.exists() and stamp.read_text().strip() == _requirements_digest():
        return AIRFLOW_VENV
    if not (AIRFLOW_VENV / "bin" / "python").exists():
        subprocess.run(["python3.11", "-m", "venv", str(AIRFLOW_VENV)], check=True)
    pip = [str(AIRFLOW_VENV / "bin" / "python"), "-m", "pip", "install", "-q"]
    subprocess.run([*pip, "-r", str(AIRFLOW_DIR / "requirements.txt")], check=True)
    stamp.write_text(_requirements_digest() + "\n")
    return AIRFLOW_VENV


@pytest.mark.slow
def test_the_airflow_cosmos_dag_imports_with_a_task_per_model_and_seed(tmp_path, dagster_defs):
    from saas_metrics.orchestration.dagster import MANIFEST_DIR

    venv = ensure_airflow_venv()
    script = (
        "from airflow.dag_processing.dagbag import DagBag\n"
        f"bag = DagBag({str(AIRFLOW_DIR / 'dags')!r})\n"
        "assert not bag.import_errors, bag.import_errors\n"
        "dag = bag.dags['saas_metrics_daily']\n"
        "print('TASKS', ' '.join(sorted(task.task_id for task in dag.tasks)))\n"
    )
    env = {**os.environ, "AIRFLOW_HOME": str(tmp_path / "airflow"),
           "AIRFLOW__CORE__LOAD_EXAMPLES": "False", "METRICS_PROJECT_DIR": str(PROJECT_ROOT),
           "METRICS_DBT_MANIFEST": str(MANIFEST_DIR / "manifest.json")}
    result = subprocess.run([str(venv / "bin" / "python"), "-c", script], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=600)
    assert result.returncode == 0, result.stdout[-5000:]
    tasks = next(line for line in result.stdout.splitlines() if line.startswith("TASKS")).split()
    assert "metrics_customer_success.run" in tasks and "metrics_customer_success.test" in tasks
    assert "metric_catalog.seed" in tasks


@pytest.mark.slow
def test_a_dagster_backfill_over_three_partitions_equals_saas_metrics_backfill(
    duckdb_warehouse: Warehouse, built_three_days_earlier: Path, tmp_path: Path,
):
    """The warehouse built as of D-3, copied twice: Dagster backfills the partitions D-2..D
    in one run (--partition-range), `saas-metrics backfill` the same days; every public
    table is equal after both."""
    first, last = duckdb_warehouse.as_of - dt.timedelta(days=2), duckdb_warehouse.as_of
    runs = {}
    for name in ("dagster", "cli"):
        env = _dagster_env(tmp_path, name, built_three_days_earlier)
        if name == "dagster":
            command = [str(Path(sys.executable).with_name("dagster")), "asset", "materialize",
                       "-m", "saas_metrics.orchestration.dagster", "--select", "*",
                       "--partition-range", f"{first.isoformat()}...{last.isoformat()}"]
        else:
            command = [str(Path(sys.executable).with_name("saas-metrics")), "backfill",
                       "--start", first.isoformat(), "--end", last.isoformat(),
                       "--as-of", last.isoformat()]
        result = subprocess.run(command, env=env, cwd=tmp_path, text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        assert result.returncode == 0, result.stdout[-5000:]
        runs[name] = Warehouse(name=name, target="duckdb",
                               env={"METRICS_DUCKDB_PATH": env["METRICS_DUCKDB_PATH"]},
                               target_path=duckdb_warehouse.target_path,
                               manifest=duckdb_warehouse.manifest, as_of=last)
    found = differences(runs["dagster"], runs["cli"])
    assert not found, "\n\n".join(found)
