"""Superset assets: the bundle's shape, the metric metadata, and a real Superset 6.1.

The end-to-end tests create .venv-superset when missing (pip install from
superset/requirements.txt, cached across runs), initialise a throwaway Superset (sqlite
metadata DB and SECRET_KEY in a temp dir), import the bundle through
POST /api/v1/assets/import/, log in through the API and fetch every chart's data, on
DuckDB and on PostgreSQL. Superset runs in subprocesses with its own interpreter.
"""

from __future__ import annotations

import copy
import json
import secrets
import zipfile
from pathlib import Path

import pytest
import yaml

from saas_metrics.quality.row_access import Entity, ScopeRow, load_row_access, set_reader_scope
from saas_metrics.superset.bundle import (
    BUNDLE_ROOT,
    AssetError,
    build_bundle,
    load_assets,
    load_catalog,
)
from saas_metrics.superset.row_access import RULES_FILE, rls_rules
from saas_metrics.superset.server import SupersetHome, duckdb_uri, ensure_venv, refresh_replica
from saas_metrics.warehouse import connect_postgres

DUCKDB_URI = "duckdb:////tmp/nowhere.duckdb?access_mode=read_only"
DASHBOARDS = {"executive", "customer_success", "sales", "product", "marketing"}


def _bundle_files(path: Path) -> dict[str, dict]:
    with zipfile.ZipFile(path) as archive:
        return {name: yaml.safe_load(archive.read(name)) for name in archive.namelist()}


# ---------------------------------------------------------------- bundle, no Superset


def test_bundle_has_one_top_folder_and_the_keys_superset_requires(tmp_path):
    build_bundle(DUCKDB_URI, tmp_path / "b.zip")
    files = _bundle_files(tmp_path / "b.zip")
    assert {name.split("/")[0] for name in files} == {BUNDLE_ROOT}
    inner = {name.split("/", 1)[1]: body for name, body in files.items()}
    assert inner["metadata.yaml"]["version"] == "1.0.0"
    assert "type" not in inner["metadata.yaml"]  # works with both import endpoints
    databases = [body for name, body in inner.items() if name.startswith("databases/")]
    assert len(databases) == 1 and databases[0]["extra"] == {}
    assert databases[0]["sqlalchemy_uri"] == DUCKDB_URI
    datasets = [body for name, body in inner.items() if name.startswith("datasets/")]
    assert {body["table_name"] for body in datasets} >= {
        "metrics_customer_success", "metrics_sales", "metrics_product_analytics",
        "metrics_marketing", "metrics_unified_domains", "metrics_company_overview",
        "metrics_cohort_retention", "sales_pipeline_by_stage", "sales_open_deals"}
    assert all(body["schema"] == "main" for body in datasets)
    charts = [body for name, body in inner.items() if name.startswith("charts/")]
    for chart in charts:
        assert isinstance(chart["params"], dict)
        query_context = json.loads(chart["query_context"])
        assert query_context["queries"][0]["metrics"] or query_context["queries"][0]["columns"]
    dashboards = {name: body for name, body in inner.items() if name.startswith("dashboards/")}
    assert {Path(name).stem for name in dashboards} == DASHBOARDS
    chart_uuids = {chart["uuid"] for chart in charts}
    for dashboard in dashboards.values():
        linked = [node["meta"]["uuid"] for node in dashboard["position"].values()
                  if isinstance(node, dict) and node.get("type") == "CHART"]
        assert linked and set(linked) <= chart_uuids
        filters = dashboard["metadata"]["native_filter_configuration"]
        assert any(flt["filterType"] == "filter_time" for flt in filters)
        assert any(flt["filterType"] == "filter_select" for flt in filters)


def test_postgres_bundle_points_datasets_at_the_metrics_schema(tmp_path):
    build_bundle("postgresql+psycopg2://reader@127.0.0.1:5432/wh", tmp_path / "pg.zip")
    datasets = [body for name, body in _bundle_files(tmp_path / "pg.zip").items()
                if "/datasets/" in name]
    assert datasets and all(body["schema"] == "metrics" for body in datasets)
    latest = [column["expression"] for body in datasets for column in body["columns"]
              if column["column_name"] == "is_latest_day"]
    assert latest and all("from metrics." in expression for expression in latest)


def test_dataset_metrics_carry_the_catalog_label_description_format_and_tier():
    assets = load_assets()
    catalog = load_catalog()
    sales = assets.datasets["metrics_sales"].metrics
    win_rate = catalog[("sales", "win_rate")]
    assert sales["win_rate"]["verbose_name"] == win_rate["metric_label"] + " (%)"
    assert sales["win_rate"]["description"].startswith(win_rate["metric_description"])
    assert sales["win_rate"]["d3format"] == ",.1f"  # 0-100 number, not d3's x100 "%"
    assert sales["win_rate"]["extra"]["certification"]["certified_by"]
    assert sales["win_rate"]["expression"] == "AVG(win_rate)"
    revenue = sales["revenue_closed_mtd"]
    assert revenue["expression"] == "SUM(revenue_closed_mtd)"
    assert revenue["currency"] == {"symbol": "USD", "symbolPosition": "prefix"}
    tier_3 = catalog[("sales", "calls_made_30d")]
    assert tier_3["importance_tier"] == "tier_3"
    assert "certification" not in sales["calls_made_30d"]["extra"]
    # every catalog metric of a domain mart is a saved metric of its dataset
    for (domain, name), _row in catalog.items():
        model = {"customer_success": "metrics_customer_success", "sales": "metrics_sales",
                 "product": "metrics_product_analytics",
                 "marketing": "metrics_marketing"}.get(domain)
        if model and name in assets.datasets[model].columns:
            assert name in assets.datasets[model].metrics, (domain, name)


def test_seed_003_calculated_fields_are_saved_metrics():
    assets = load_assets()
    cs = assets.datasets["metrics_customer_success"]
    assert "previous_month_mrr" in cs.metrics["mrr_growth_pct"]["expression"]
    # the window function lives in dbt; Superset only averages the column
    assert cs.metrics["health_trend"]["expression"] == "avg(health_score_change_1d)"
    assert "over" not in cs.metrics["health_trend"]["expression"].lower()
    velocity = assets.datasets["metrics_sales"].metrics["pipeline_velocity"]["expression"]
    assert "total_pipeline_value" in velocity and "avg_sales_cycle_days" in velocity


def test_a_chart_on_a_missing_column_fails_the_build(tmp_path):
    assets_dir = tmp_path / "assets"
    source = Path(__file__).resolve().parents[1] / "superset" / "assets"
    for path in source.rglob("*.yaml"):
        target = assets_dir / path.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(path.read_text())
    chart = assets_dir / "charts" / "sales" / "total_pipeline.yaml"
    body = yaml.safe_load(chart.read_text())
    body["params"]["metric"] = "no_such_metric"
    chart.write_text(yaml.safe_dump(body))
    with pytest.raises(AssetError, match="no_such_metric"):
        load_assets(assets_dir)


# ---------------------------------------------------------------- a real Superset


@pytest.fixture(scope="session")
def superset_home(tmp_path_factory) -> SupersetHome:
    ensure_venv()
    home = SupersetHome(tmp_path_factory.mktemp("superset_home"))
    (home.path / "secret_key").write_text(secrets.token_urlsafe(42))
    home.initialise(admin_password=secrets.token_urlsafe(12))
    return home


def _uri_for(warehouse, tmp_path: Path) -> str:
    if warehouse.target == "duckdb":
        # Superset reads a replica, as `make superset` does (see superset.server)
        replica = tmp_path / "replica.duckdb"
        assert refresh_replica(Path(warehouse.duckdb_path), replica, timeout=60)
        return duckdb_uri(replica)
    env = warehouse.env
    password = f":{env['PGPASSWORD']}" if env.get("PGPASSWORD") else ""
    return (f"postgresql+psycopg2://{env['PGUSER']}{password}@{env['PGHOST']}:"
            f"{env['PGPORT']}/{env['PGDATABASE']}")


def _check(home: SupersetHome, bundles: list[Path], out: Path) -> list[dict]:
    home.check(bundles, out)
    return json.loads(out.read_text())


@pytest.mark.slow
def test_every_chart_of_every_dashboard_returns_rows(warehouse, superset_home, tmp_path):
    bundle = tmp_path / "bundle.zip"
    build_bundle(_uri_for(warehouse, tmp_path), bundle)
    report = _check(superset_home, [bundle], tmp_path / "report.json")[0]
    assert {dashboard["slug"] for dashboard in report["dashboards"]} == {
        "executive", "customer-success", "sales", "product", "marketing"}
    problems = []
    for dashboard in report["dashboards"]:
        rows = sum(chart["rows"] for chart in dashboard["charts"])
        print(f"superset[{warehouse.target}] {dashboard['title']}: "
              f"{len(dashboard['charts'])} charts, {rows} rows")
        assert len(dashboard["charts"]) >= 4
        for chart in dashboard["charts"]:
            if chart["status"] != 200 or chart["errors"]:
                problems.append(f"{dashboard['title']} / {chart['name']}: {chart['errors']}")
            elif chart["rows"] < 1:
                problems.append(f"{dashboard['title']} / {chart['name']}: no rows")
            elif not chart["complete_rows"]:
                problems.append(f"{dashboard['title']} / {chart['name']}: only NULL values")
    assert not problems, "\n".join(problems)


@pytest.mark.slow
def test_reimport_after_changing_a_metric_expression_updates_it(duckdb_warehouse,
                                                               superset_home, tmp_path):
    uri = _uri_for(duckdb_warehouse, tmp_path)
    assets = load_assets()
    build_bundle(uri, tmp_path / "first.zip", assets=assets)
    changed = copy.deepcopy(assets)
    new_expression = "100.0 * sum(current_mrr) / nullif(sum(previous_month_mrr), 0) - 100"
    changed.datasets["metrics_customer_success"].metrics["mrr_growth_pct"][
        "expression"] = new_expression
    build_bundle(uri, tmp_path / "second.zip", assets=changed)
    first, second = _check(superset_home, [tmp_path / "first.zip", tmp_path / "second.zip"],
                           tmp_path / "report.json")
    before = first["datasets"]["metrics_customer_success"]["metrics"]["mrr_growth_pct"]
    after = second["datasets"]["metrics_customer_success"]["metrics"]["mrr_growth_pct"]
    assert before["expression"] != new_expression
    assert after["expression"] == new_expression
    # overwritten in place: still one dataset of that name, the other metrics intact
    assert set(second["datasets"]["metrics_customer_success"]["metrics"]) == set(
        first["datasets"]["metrics_customer_success"]["metrics"])


# ---------------------------------------------------------------- row-level security


ENTITIES = [Entity("account", "1", "emea", "smb", "enterprise"),
            Entity("account", "2", "na", "enterprise", "smb"),
            Entity("account", "3", "emea", "mid_market", None),
            Entity("sales_rep", "7", "emea", None, "smb"),
            Entity("sales_rep", "8", "na", None, "enterprise")]


def test_rls_rules_follow_the_scopes_and_each_tables_row_access():
    datasets = {"metrics_customer_success": {"accounts": "account_id"},
                "metrics_sales": {"sales_reps": "rep_id"},
                "metrics_unified_domains": {"entity_kind": "entity_type",
                                            "entity_id": "entity_id",
                                            "kinds": {"account": "accounts",
                                                      "sales_rep": "sales_reps"}},
                "metrics_company_overview": "company_wide"}
    rules = rls_rules(datasets, [ScopeRow("boss", "all"), ScopeRow("emea", "region", "emea"),
                                 ScopeRow("ent", "team", "enterprise")], ENTITIES)
    base = rules[0]
    assert (base["filter_type"], base["clause"]) == ("Base", "1 = 0")
    assert base["roles"] == ["Admin", "boss", "emea", "ent"]
    assert base["tables"] == sorted(datasets)
    assert not [rule for rule in rules[1:] if "boss" in rule["roles"]], (
        "the all scope has no Regular rule")
    by_role_table = {(rule["roles"][0], table): rule["clause"] for rule in rules[1:]
                     for table in rule["tables"]}
    assert by_role_table[("emea", "metrics_customer_success")] == "(account_id IN (1, 3))"
    assert by_role_table[("emea", "metrics_sales")] == "(rep_id IN (7))"
    assert by_role_table[("emea", "metrics_unified_domains")] == (
        "(entity_type = 'account' AND entity_id IN ('1', '3')) OR "
        "(entity_type = 'sales_rep' AND entity_id IN ('7'))")
    assert by_role_table[("emea", "metrics_company_overview")] == "1 = 0"
    # team: its reps and the accounts they own
    assert by_role_table[("ent", "metrics_customer_success")] == "(account_id IN (1))"
    assert by_role_table[("ent", "metrics_sales")] == "(rep_id IN (8))"
    assert {rule["group_key"] for rule in rules[1:]} == {"saas_metrics_scope"}


def test_the_bundle_carries_rules_for_every_dataset_from_its_model(tmp_path):
    summary = build_bundle(DUCKDB_URI, tmp_path / "b.zip",
                           row_access=([ScopeRow("emea", "region", "emea")], ENTITIES))
    files = _bundle_files(tmp_path / "b.zip")
    rules = files[f"{BUNDLE_ROOT}/{RULES_FILE}"]["rules"]
    assert summary["row_level_security_rules"] == len(rules) >= 2
    datasets = {body["table_name"] for name, body in files.items() if "/datasets/" in name}
    assert set(rules[0]["tables"]) == datasets
    assert {table for rule in rules[1:] for table in rule["tables"]} == datasets
    # no rules file unless asked: the plain bundle is unchanged
    build_bundle(DUCKDB_URI, tmp_path / "plain.zip")
    assert f"{BUNDLE_ROOT}/{RULES_FILE}" not in _bundle_files(tmp_path / "plain.zip")


@pytest.mark.slow
def test_a_scoped_superset_user_sees_only_the_accounts_of_its_scope(postgres_warehouse,
                                                                   superset_home, tmp_path):
    """The EMEA scope, set as for a PostgreSQL reader (managed table), reaches Superset
    through the bundle: on the Customer success dashboard only EMEA accounts, on the
    company-wide charts no row."""
    owner = connect_postgres(postgres_warehouse.env)
    try:
        set_reader_scope(owner, "superset_emea", {"region": ["emea"]})
        scope_rows, entities = load_row_access(owner)
    finally:
        owner.close()
    bundle = tmp_path / "bundle.zip"
    build_bundle(_uri_for(postgres_warehouse, tmp_path), bundle,
                 row_access=(scope_rows, entities))
    superset_home.scoped(bundle, "superset_emea", tmp_path / "scoped.json")
    report = json.loads((tmp_path / "scoped.json").read_text())
    assert report["row_level_security_rules"] >= 2
    # independent expectation: names of EMEA accounts (staging) on the latest day
    latest = ("select distinct customer_name, account_id in (select account_id from "
              "staging.stg_billing__accounts where region = 'emea') from "
              "metrics_customer_success where metric_date = (select max(metric_date) "
              "from metrics_customer_success)")
    names = postgres_warehouse.query(latest)
    in_scope = {name for name, is_emea in names if is_emea}
    out_of_scope = {name for name, is_emea in names if not is_emea} - in_scope
    assert in_scope and out_of_scope
    dashboards = {dashboard["slug"]: dashboard for dashboard in report["dashboards"]}
    charts = {chart["name"]: chart for chart in dashboards["customer-success"]["charts"]}
    bubbles = charts["Health vs engagement"]
    assert bubbles["status"] == 200 and not bubbles["errors"]
    assert {row["customer_name"] for row in bubbles["data"]} == in_scope
    at_risk = charts["At-risk customers by MRR at risk"]
    assert {row["customer_name"] for row in at_risk["data"]} <= in_scope
    for chart in dashboards["customer-success"]["charts"]:
        assert chart["status"] == 200 and not chart["errors"], chart["name"]
        seen = {row.get("customer_name") for row in chart["data"] or []} - {None}
        assert not seen & out_of_scope, chart["name"]
    # charts on company-wide datasets (whole product, company overview) show a regional
    # scope nothing: no row, or one row of NULL aggregates
    company_wide = [chart for dashboard in dashboards.values() for chart in dashboard["charts"]
                    if any(f"FROM metrics.{table} " in (chart["query"] or "") for table in (
                        "metrics_product_analytics", "metrics_cohort_retention",
                        "metrics_company_overview"))]
    assert len(company_wide) >= 5
    for chart in company_wide:
        assert chart["status"] == 200 and not chart["errors"], chart["name"]
        assert chart["complete_rows"] == 0 and "1 = 0" in chart["query"], chart["name"]
