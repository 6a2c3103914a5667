"""The raw contract and the metric requirements are complete and agree with the docs.

No warehouse needed: these read the sources YAML, the seeds and the model YAML.
"""

from __future__ import annotations

import csv

import yaml

from saas_metrics import PROJECT_ROOT
from saas_metrics.generator.contract import (
    load_contract,
    render_markdown,
    render_metric_sources,
)

CONTRACT = load_contract()
SEEDS = PROJECT_ROOT / "seeds"


def _csv(name: str) -> list[dict[str, str]]:
    with (SEEDS / name).open() as handle:
        return list(csv.DictReader(handle))


def test_every_raw_column_says_whether_it_may_be_null_and_what_a_null_means():
    undeclared, both = [], []
    for table in CONTRACT.tables:
        for column in table.columns:
            declared = [column.required, column.null_means is not None]
            if not any(declared):
                undeclared.append(f"{table.key}.{column.name}")
            if all(declared):
                both.append(f"{table.key}.{column.name}")
    assert undeclared == [], "columns without meta.required or meta.null_means"
    assert both == [], "columns with both meta.required and meta.null_means"


def test_every_period_table_names_columns_of_its_own():
    periods = {table.key: table.period for table in CONTRACT.tables if table.period}
    assert set(periods) == {"billing.subscriptions", "activity.devices", "marketing.campaigns"}
    for key, (starts, ends) in periods.items():
        names = CONTRACT.table(key).column_names
        assert starts in names and ends in names, key


def test_every_catalog_metric_names_the_raw_tables_it_needs_and_only_contract_tables():
    catalog = {(row["domain"], row["metric_name"]) for row in _csv("metric_catalog.csv")}
    requirements = _csv("metric_raw_requirements.csv")
    needed = {(row["domain"], row["metric_name"]) for row in requirements}
    assert catalog - needed == set(), "catalog metrics without a requirement row"
    assert needed - catalog == set(), "requirement rows for metrics not in the catalog"
    tables = {table.key for table in CONTRACT.tables}
    assert {row["raw_table"] for row in requirements} <= tables


def test_every_unit_test_sets_its_own_as_of_date_so_it_passes_on_any_day():
    missing = []
    for path in (PROJECT_ROOT / "models").rglob("*.yml"):
        spec = yaml.safe_load(path.read_text()) or {}
        for unit_test in spec.get("unit_tests") or []:
            overrides = unit_test.get("overrides") or {}
            if "as_of_date" not in (overrides.get("vars") or {}):
                missing.append(unit_test["name"])
    assert missing == []


def test_contract_docs_and_metric_sources_docs_are_up_to_date():
    docs = PROJECT_ROOT / "docs"
    hint = "run `saas-metrics contract-docs`"
    assert (docs / "raw_contract.md").read_text() == render_markdown(CONTRACT), hint
    assert (docs / "metric_sources.md").read_text() == render_metric_sources(), hint
