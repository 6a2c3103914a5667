"""Cross-engine equality: the same seed built on DuckDB and on PostgreSQL gives the same
public tables, row for row (text and integers exact, decimals within 1e-9 relative).

The public models come from the dbt manifest, so a mart added later is compared too.
"""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import Warehouse
from saas_metrics.quality.compare import compare_frames
from saas_metrics.quality.public_models import PublicModel, load_manifest, public_models


def _read(warehouse: Warehouse, model: PublicModel) -> pd.DataFrame:
    return warehouse.frame(f'select * from "{model.schema}"."{model.name}"')


def _models(warehouse: Warehouse) -> dict[str, PublicModel]:
    return {m.name: m for m in public_models(load_manifest(warehouse.target_path))}


@pytest.mark.postgres
@pytest.mark.slow
def test_every_public_model_is_equal_on_duckdb_and_postgres(
    duckdb_warehouse: Warehouse, postgres_warehouse: Warehouse,
):
    duck, pg = duckdb_warehouse, postgres_warehouse
    pg_models = _models(pg)
    models = list(_models(duck).values())
    assert sorted(pg_models) == sorted(m.name for m in models)
    assert len(models) >= 7, "the manifest lists fewer public models than the spec has"
    report, total = [], 0
    for model in models:
        left, right = _read(duck, model), _read(pg, pg_models[model.name])
        if not model.quality_meta.get("may_be_empty"):
            assert len(left) > 0, f"{model.name} is empty: the comparison would prove nothing"
        difference = compare_frames(model, left, right)
        total += difference.count
        if difference.count:
            report.append(
                f"{model.name}: {difference.mismatched_rows} rows differ "
                f"{difference.columns}, {difference.only_left} only on DuckDB, "
                f"{difference.only_right} only on PostgreSQL\n{difference.sample}"
            )
    print(f"cross-engine mismatches over {len(models)} public models: {total}")
    assert total == 0, "\n\n".join(report)


def test_comparison_catches_one_changed_value_and_one_missing_row(duckdb_warehouse: Warehouse):
    """The check can fail: perturb one number by 1e-6 relative and drop one row."""
    duck = duckdb_warehouse
    model = _models(duck)["metrics_sales"]
    frame = _read(duck, model)
    numeric = next(c.name for c in model.columns
                   if c.base_type in {"numeric", "double precision"}
                   and frame[c.name].notna().any())
    changed = frame.copy()
    row = changed[numeric].first_valid_index()
    changed.loc[row, numeric] = float(changed.loc[row, numeric]) * (1 + 1e-6) + 1e-6
    changed = changed.drop(index=changed.index[-1])
    difference = compare_frames(model, frame, changed)
    assert difference.mismatched_rows == 1 and difference.columns == {numeric: 1}
    assert difference.only_left == 1 and difference.only_right == 0
    assert "first differing rows" in difference.sample
    # within tolerance is equal
    close = frame.copy()
    close[numeric] = close[numeric].astype(float) * (1 + 1e-12)
    assert compare_frames(model, frame, close).count == 0
