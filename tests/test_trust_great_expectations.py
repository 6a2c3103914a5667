"""great-expectations suites over every public model: they pass on the built warehouse (both
engines), fail on a deliberately corrupted copy, and tell an errored expectation (GX could
not evaluate it) from a data failure. The `validate` CLI exits non-zero on failure.
"""

from __future__ import annotations

import shutil
import subprocess
import sys

import duckdb
import great_expectations.expectations as gxe
import pytest

from conftest import Warehouse
from saas_metrics.quality.public_models import load_manifest, public_models
from saas_metrics.quality.runner import ERROR, FAILED, validate_warehouse
from saas_metrics.quality.suites import Check


def _validate(warehouse: Warehouse, output_dir, models=None, env=None):
    return validate_warehouse(
        warehouse.target, load_manifest(warehouse.target_path), warehouse.as_of, output_dir,
        env={**warehouse.env, **(env or {})}, models=models, chunk_rows=20_000,
    )


def test_suites_cover_every_public_model_and_pass_on_the_built_warehouse(
    warehouse: Warehouse, tmp_path,
):
    report = _validate(warehouse, tmp_path)
    public = {m.name for m in public_models(load_manifest(warehouse.target_path))}
    assert set(report.models) == public
    assert {o.model for o in report.outcomes} == public
    kinds = {o.expectation for o in report.outcomes}
    assert {"expect_compound_columns_to_be_unique", "expect_column_values_to_not_be_null",
            "expect_column_values_to_be_between",
            "expect_column_pair_values_to_be_equal"} <= kinds
    print(report.summary())
    assert report.success, "\n".join(o.describe() for o in report.failures + report.errors)
    assert report.docs_index is not None and report.docs_index.exists()
    assert list((tmp_path / "gx" / "checkpoints").iterdir()), "no checkpoint written"


@pytest.fixture()
def corrupted_duckdb(duckdb_warehouse: Warehouse, tmp_path) -> Warehouse:
    """A copy of the clean warehouse with one defect of each kind the suites look for."""
    path = tmp_path / "corrupted.duckdb"
    shutil.copy(duckdb_warehouse.duckdb_path, path)
    con = duckdb.connect(str(path))
    try:
        # a score above 100
        con.execute("update main.metrics_customer_success set customer_health_score = 140 "
                    "where account_id = (select min(account_id) from main.metrics_customer_success)")
        # a duplicated grain row
        con.execute("insert into main.metrics_sales select * from main.metrics_sales limit 1")
        # a gap in the days: one whole day gone
        con.execute("delete from main.metrics_product_analytics where metric_date = "
                    "(select min(metric_date) + 10 from main.metrics_product_analytics)")
        # one channel loses a day: days x entities no longer holds
        con.execute("delete from main.metrics_marketing where channel = 'email' and metric_date = "
                    "(select min(metric_date) + 5 from main.metrics_marketing)")
    finally:
        con.close()
    return Warehouse(name="corrupted", target="duckdb", env={"METRICS_DUCKDB_PATH": str(path)},
                     target_path=duckdb_warehouse.target_path,
                     manifest=duckdb_warehouse.manifest, as_of=duckdb_warehouse.as_of)


def test_suites_fail_on_a_corrupted_copy_with_the_right_expectations(corrupted_duckdb, tmp_path):
    report = _validate(corrupted_duckdb, tmp_path / "gx_out", models=[
        "metrics_customer_success", "metrics_sales", "metrics_product_analytics",
        "metrics_marketing",
    ])
    failed = {(o.check, o.expectation, o.kwargs.get("column")) for o in report.failures}
    assert ("metrics_customer_success.columns", "expect_column_values_to_be_between",
            "customer_health_score") in failed
    assert ("metrics_sales.columns", "expect_compound_columns_to_be_unique", None) in failed
    assert ("metrics_product_analytics.dates", "expect_column_values_to_be_between",
            "days_since_previous") in failed
    assert ("metrics_marketing.density", "expect_column_pair_values_to_be_equal", None) in failed
    assert not report.errors
    assert report.exit_code == 1


def test_an_expectation_gx_cannot_evaluate_is_an_error_not_a_failure(
    duckdb_warehouse: Warehouse, tmp_path, monkeypatch,
):
    """A suite that names a column the table lacks: GX raises; the runner says ERROR."""
    from saas_metrics.quality import runner

    original = runner.checks_for

    def with_broken_expectation(models, as_of):
        checks = original(models, as_of)
        model = checks[0].model
        checks.append(Check(f"{model.name}.broken", model, "table", [
            gxe.ExpectColumnValuesToNotBeNull(column="no_such_column"),
        ]))
        return checks

    monkeypatch.setattr(runner, "checks_for", with_broken_expectation)
    report = _validate(duckdb_warehouse, tmp_path, models=["metrics_product_analytics"])
    broken = [o for o in report.outcomes if o.check.endswith(".broken")]
    assert [o.status for o in broken] == [ERROR]
    assert "no_such_column" in broken[0].detail
    assert not report.failures and report.exit_code == 2
    assert all(o.status != FAILED for o in report.outcomes)


def test_validate_cli_exits_non_zero_on_failure_and_zero_on_good_data(
    duckdb_warehouse: Warehouse, corrupted_duckdb: Warehouse, tmp_path,
):
    def run(warehouse: Warehouse, *models: str) -> subprocess.CompletedProcess:
        args = [sys.executable, "-m", "saas_metrics.cli", "validate", "--target", "duckdb",
                "--as-of", warehouse.as_of.isoformat(), "--target-path",
                str(warehouse.target_path), "--output-dir", str(tmp_path / warehouse.name)]
        for model in models:
            args += ["--model", model]
        return subprocess.run(args, env={**__import__("os").environ, **warehouse.env},
                              capture_output=True, text=True)

    good = run(duckdb_warehouse, "metrics_sales")
    assert good.returncode == 0, good.stdout + good.stderr
    bad = run(corrupted_duckdb, "metrics_sales")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "expect_compound_columns_to_be_unique" in bad.stdout
