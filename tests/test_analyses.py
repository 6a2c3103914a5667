"""Analyst SQL in analyses/: seed 003's four queries (verbatim) and the analyst queries.

Each query is compiled by dbt and run on both engines, and must return rows; the seed
queries also return what the guide promises.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import at_as_of
from saas_metrics import PROJECT_ROOT

SEED_DIR = PROJECT_ROOT / "analyses" / "seed_003"
ANALYST_DIR = PROJECT_ROOT / "analyses" / "analyst"
SEED_QUERIES = sorted(path.name for path in SEED_DIR.glob("*.sql"))
ANALYST_QUERIES = sorted(path.name for path in ANALYST_DIR.glob("*.sql"))


_COMPILED: dict[str, dict[str, Path]] = {}


def compiled_analysis(warehouse, name: str) -> Path:
    """dbt compile of analyses/, once per engine; the compiled file of one query."""
    if warehouse.target not in _COMPILED:
        warehouse.dbt(["compile", "--select", "path:analyses"])
        root = warehouse.target_path / "compiled" / "saas_metrics" / "analyses"
        _COMPILED[warehouse.target] = {path.name: path for path in root.rglob("*.sql")}
    return _COMPILED[warehouse.target][name]


def run_sql(warehouse, sql: str) -> list[tuple]:
    return warehouse.query(at_as_of(sql.strip().rstrip(";"), warehouse.as_of))


def test_there_are_four_seed_queries_and_six_analyst_queries():
    assert len(SEED_QUERIES) == 4
    assert len(ANALYST_QUERIES) >= 6


@pytest.mark.parametrize("name", ANALYST_QUERIES)
def test_analyst_query_compiles_and_returns_rows(warehouse, name):
    sql = compiled_analysis(warehouse, name).read_text()
    assert "{{" not in sql
    assert run_sql(warehouse, sql), f"{name} returned no rows on {warehouse.target}"


@pytest.mark.parametrize("name", SEED_QUERIES)
def test_seed_query_compiles_to_itself_and_returns_rows(warehouse, name):
    """Seed 003's queries run unmodified: the compiled text is the file's text."""
    source = (SEED_DIR / name).read_text()
    compiled = compiled_analysis(warehouse, name).read_text()
    assert compiled.strip() == source.strip()
    assert run_sql(warehouse, source)


def test_seed_domain_overview_covers_all_four_domains_with_tier_1_metrics(warehouse):
    rows = run_sql(warehouse, (SEED_DIR / "2_domain_overview.sql").read_text())
    assert {row[0] for row in rows} == {"customer_success", "sales", "product", "marketing"}


def test_seed_time_series_has_31_days(warehouse):
    rows = run_sql(warehouse, (SEED_DIR / "3_time_series_analysis.sql").read_text())
    assert len(rows) == 31
    assert all(row[1] is not None and row[2] is not None for row in rows)


def test_seed_cross_domain_query_shows_all_three_health_categories(warehouse):
    rows = run_sql(warehouse, (SEED_DIR / "4_cross_domain_analysis.sql").read_text())
    assert {row[0] for row in rows} == {"Healthy", "Stable", "At Risk"}


def test_seed_basic_query_lists_ten_customers_by_health(warehouse):
    rows = run_sql(warehouse, (SEED_DIR / "1_basic_query.sql").read_text())
    assert len(rows) == 10
    scores = [row[2] for row in rows]
    assert scores == sorted(scores)
