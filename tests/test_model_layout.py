"""The layout rules of the house style that a reader can check without building:
marts stay thin, and the unified layer combines what the domains define (no staging)."""

from __future__ import annotations

import re

import pytest

from saas_metrics import PROJECT_ROOT

MARTS = sorted((PROJECT_ROOT / "models" / "marts").rglob("*.sql"))
UNIFIED = sorted((PROJECT_ROOT / "models" / "marts" / "unified").glob("*.sql"))


@pytest.mark.parametrize("path", MARTS, ids=lambda path: path.name)
def test_every_mart_sql_file_is_at_most_200_lines(path):
    lines = path.read_text().count("\n")
    assert lines <= 200, f"{path.relative_to(PROJECT_ROOT)} has {lines} lines: move work upstream"


@pytest.mark.parametrize("path", UNIFIED, ids=lambda path: path.name)
def test_the_unified_layer_reads_no_staging_model(path):
    refs = re.findall(r"ref\(\s*'([^']+)'", path.read_text())
    assert refs, path
    staging = [name for name in refs if name.startswith(("stg_", "base_"))]
    assert not staging, f"{path.name} reads {staging}: read the domain's intermediates or marts"


def test_the_partial_sources_rule_reads_an_intermediate_not_staging():
    """select_metrics_with_data (every mart and the overview) looks up which raw tables
    have rows; it must do so through int_raw_tables_staged."""
    macro = (PROJECT_ROOT / "macros" / "metrics" / "metrics_without_data.sql").read_text()
    assert "ref('int_raw_tables_staged')" in macro
    assert "ref('stg_" not in macro
