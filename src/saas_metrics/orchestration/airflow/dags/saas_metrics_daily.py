"""Airflow DAG for the daily build, rendered by astronomer-cosmos from the dbt manifest.

Copy or symlink this file into your Airflow dags folder. Airflow runs in its own
environment: cosmos reads the project's manifest (no dbt needed in Airflow's venv) and
runs each model and its tests with the project's dbt (METRICS_DBT_EXECUTABLE, default
<repo>/.venv/bin/dbt). The run's logical day is the as-of day, as with
`saas-metrics build --as-of DAY`; the hour (UTC) comes from METRICS_AIRFLOW_SCHEDULE_HOUR.

Environment: METRICS_PROJECT_DIR (the repo), METRICS_TARGET (duckdb or postgres),
METRICS_DUCKDB_PATH or PG*, METRICS_DBT_MANIFEST (default target/dagster/manifest.json,
written by `dbt parse` or by loading the Dagster definitions).
"""

import os
from datetime import datetime
from pathlib import Path

from cosmos import DbtDag, ExecutionConfig, ProfileConfig, ProjectConfig, RenderConfig
from cosmos.constants import LoadMode

PROJECT_DIR = Path(os.environ.get("METRICS_PROJECT_DIR") or Path(__file__).resolve().parents[5])
MANIFEST = Path(os.environ.get("METRICS_DBT_MANIFEST")
                or PROJECT_DIR / "target" / "dagster" / "manifest.json")
HOUR = int(os.environ.get("METRICS_AIRFLOW_SCHEDULE_HOUR", "6"))

saas_metrics_daily = DbtDag(
    dag_id="saas_metrics_daily",
    project_config=ProjectConfig(dbt_project_path=PROJECT_DIR, manifest_path=MANIFEST,
                                 project_name="saas_metrics"),
    profile_config=ProfileConfig(
        profile_name="saas_metrics",
        target_name=os.environ.get("METRICS_TARGET", "duckdb"),
        profiles_yml_filepath=PROJECT_DIR / "profiles" / "profiles.yml",
    ),
    execution_config=ExecutionConfig(dbt_executable_path=os.environ.get(
        "METRICS_DBT_EXECUTABLE", str(PROJECT_DIR / ".venv" / "bin" / "dbt"))),
    render_config=RenderConfig(load_method=LoadMode.DBT_MANIFEST),
    # the logical day of the run is the as-of day
    operator_args={"vars": {"as_of_date": "{{ ds }}"}, "install_deps": False},
    schedule=f"0 {HOUR} * * *",
    start_date=datetime(2024, 1, 1),
    catchup=False,
    max_active_runs=1,
    tags=["saas_metrics", "dbt"],
)
