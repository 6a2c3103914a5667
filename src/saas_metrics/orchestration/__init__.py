"""Orchestrators that run the daily build: Dagster (``saas_metrics.orchestration.dagster``)
and an Airflow DAG built with astronomer-cosmos (``orchestration/airflow/``)."""
