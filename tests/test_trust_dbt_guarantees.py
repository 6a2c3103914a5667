"""dbt's own guarantees over every public model: enforced contracts, a grain test, owner and
domain meta; source freshness with warn and error thresholds; and the singular invariant
tests in tests/trust/ (DAU <= WAU <= MAU, GRR <= NRR, GRR <= 100, health 0-100), each
seen failing on a deliberately broken copy.
"""

from __future__ import annotations

import shutil

import duckdb
import pytest

from conftest import Warehouse
from saas_metrics.loaders import LOADER_MAPPINGS
from saas_metrics.quality.public_models import load_manifest, public_models

INVARIANTS = {
    "assert_dau_le_wau_le_mau":
        "update main.metrics_product_analytics set daily_active_users = "
        "weekly_active_users + 1 where metric_date = (select max(metric_date) "
        "from main.metrics_product_analytics)",
    "assert_grr_le_nrr_and_grr_le_100":
        "update main.metrics_company_overview set gross_revenue_retention = 101 "
        "where metric_date = (select max(metric_date) from main.metrics_company_overview)",
    "assert_health_scores_between_0_and_100":
        "update main.metrics_customer_success set customer_health_score = -1 "
        "where account_id = (select min(account_id) from main.metrics_customer_success)",
}


def test_every_public_model_has_an_enforced_contract_a_grain_and_an_owner(
    duckdb_warehouse: Warehouse,
):
    models = public_models(load_manifest(duckdb_warehouse.target_path))
    assert len(models) >= 8
    problems = []
    for model in models:
        if not model.contract_enforced:
            problems.append(f"{model.name}: contract not enforced")
        if not model.grain:
            problems.append(f"{model.name}: no grain test")
        if not {"owner", "domain"} <= set(model.meta):
            problems.append(f"{model.name}: meta lacks owner/domain")
        if any(not column.data_type or not column.description for column in model.columns):
            problems.append(f"{model.name}: a column without data_type or description")
    assert not problems, "\n".join(problems)


def test_every_source_feed_has_warn_and_error_freshness(duckdb_warehouse: Warehouse):
    """Every raw feed is checked for freshness with both thresholds; only small reference
    lists that rarely change (features, releases, reps, quotas) opt out explicitly."""
    sources = list(load_manifest(duckdb_warehouse.target_path)["sources"].values())
    with_freshness, opted_out = [], []
    for source in sources:
        freshness = source.get("freshness") or {}
        if not (freshness.get("warn_after") or freshness.get("error_after")):
            opted_out.append(f"{source['source_name']}.{source['name']}")
            continue
        assert source.get("loaded_at_field"), source["unique_id"]
        assert (freshness.get("warn_after") or {}).get("count"), source["unique_id"]
        assert (freshness.get("error_after") or {}).get("count"), source["unique_id"]
        with_freshness.append(source["unique_id"])
    print(f"freshness on {len(with_freshness)} raw tables; opted out: {opted_out}")
    assert len(opted_out) <= 5, opted_out
    # the four raw systems, and the tables the loader mappings read (docs/loaders/)
    loader_sources = {source for mapping in LOADER_MAPPINGS
                      for source, _ in mapping.loader_sources}
    assert {source["source_name"] for source in sources} == {
        "billing", "activity", "crm", "marketing"} | loader_sources


def test_singular_invariants_pass_on_the_built_warehouse(warehouse: Warehouse):
    result = warehouse.dbt(["test", "-s", *INVARIANTS], check=False)
    statuses = {r["unique_id"].split(".")[-1]: r["status"]
                for r in result.run_results()["results"] if r["unique_id"].startswith("test.")}
    assert statuses == dict.fromkeys(INVARIANTS, "pass"), result.stdout[-3000:]


@pytest.mark.parametrize("invariant", sorted(INVARIANTS))
def test_singular_invariant_fails_on_a_broken_copy(
    duckdb_warehouse: Warehouse, tmp_path, invariant,
):
    path = tmp_path / "broken.duckdb"
    shutil.copy(duckdb_warehouse.duckdb_path, path)
    con = duckdb.connect(str(path))
    con.execute(INVARIANTS[invariant])
    con.close()
    broken = Warehouse(name="broken", target="duckdb", env={"METRICS_DUCKDB_PATH": str(path)},
                       target_path=tmp_path / "target", manifest=duckdb_warehouse.manifest,
                       as_of=duckdb_warehouse.as_of)
    result = broken.dbt(["test", "-s", invariant], check=False)
    assert result.returncode != 0
    assert [r["status"] for r in result.run_results()["results"]
            if r["unique_id"].startswith("test.")] == ["fail"]
