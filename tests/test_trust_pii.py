"""No personal data past staging: no public model has a column that holds raw emails or
personal names, judged by the column's name and by a sample of its values against every
personal value in the raw tables (the contract's pii columns).
"""

from __future__ import annotations

import re

import pytest

from conftest import Warehouse
from saas_metrics.generator.contract import load_contract
from saas_metrics.quality.public_models import PublicModel, load_manifest, public_models

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")
# a column named for a person's contact or name (email_open_rate is a metric, not an email)
PERSONAL_NAME_COLUMN = re.compile(
    r"(^|_)(email|email_address|full_name|first_name|last_name|phone|phone_number|user_name)$"
)
SAMPLE_ROWS = 5000


def _distinct(warehouse: Warehouse, table, column: str) -> set[str]:
    return {row[0] for row in warehouse.query(
        f"select distinct {column} from raw_{table.source}.{table.name} "
        f"where {column} is not null")}


def _raw_personal_values(warehouse: Warehouse) -> set[str]:
    """Every raw value of a pii column, less the business names the marts may show.

    Sales reps' and companies' names are not personal data in the contract (a rep
    leaderboard names reps); a user who happens to share a rep's name is left out so
    that rep_name is not flagged for it.
    """
    personal: set[str] = set()
    business: set[str] = set()
    for table in load_contract().tables:
        for column in table.columns:
            if column.pii:
                personal |= _distinct(warehouse, table, column.name)
            elif column.name.endswith("_name") and column.base_type == "text":
                business |= _distinct(warehouse, table, column.name)
    return personal - business


def leaks(warehouse: Warehouse, models: list[PublicModel]) -> list[str]:
    personal = _raw_personal_values(warehouse)
    assert len(personal) > 100, "no raw personal values found: the scan would prove nothing"
    pii_names = {c.name for t in load_contract().tables for c in t.columns if c.pii}
    found = []
    for model in models:
        for column in model.columns:
            if column.name in pii_names or PERSONAL_NAME_COLUMN.search(column.name):
                found.append(f"{model.name}.{column.name}: a personal-data column name")
            if column.base_type not in {"text", "varchar", "character varying", ""}:
                continue
            sample = [row[0] for row in warehouse.query(
                f'select distinct cast("{column.name}" as text) from "{model.schema}".'
                f'"{model.name}" where "{column.name}" is not null limit {SAMPLE_ROWS}')]
            hits = [value for value in sample if value in personal or EMAIL.search(value)]
            if hits:
                found.append(f"{model.name}.{column.name}: holds personal values, e.g. {hits[:3]}")
    return found


def test_no_public_model_holds_raw_emails_or_personal_names(warehouse: Warehouse):
    models = public_models(load_manifest(warehouse.target_path))
    assert models
    found = leaks(warehouse, models)
    assert not found, "\n".join(found)


def test_pii_scan_finds_an_email_column_planted_in_a_public_model(
    duckdb_warehouse: Warehouse, tmp_path,
):
    """The scan can fail: a copy where a public table carries users' emails and names."""
    import shutil

    import duckdb

    path = tmp_path / "leaky.duckdb"
    shutil.copy(duckdb_warehouse.duckdb_path, path)
    con = duckdb.connect(str(path))
    con.execute("create table main.leaky_model as select cast(email as text) as contact, "
                "full_name as owner from raw_activity.users limit 50")
    con.close()
    leaky = Warehouse(name="leaky", target="duckdb", env={"METRICS_DUCKDB_PATH": str(path)},
                      target_path=duckdb_warehouse.target_path,
                      manifest=duckdb_warehouse.manifest, as_of=duckdb_warehouse.as_of)
    model = PublicModel(
        name="leaky_model", unique_id="model.x.leaky_model", schema="main", path="",
        materialized="table", contract_enforced=False, grain=(),
        columns=tuple(_text_columns("contact", "owner")),
    )
    found = leaks(leaky, [model])
    assert any("leaky_model.contact" in f for f in found)
    assert any("leaky_model.owner" in f for f in found)


def _text_columns(*names: str):
    from saas_metrics.quality.public_models import PublicColumn

    return [PublicColumn(name=name, data_type="text", not_null=False, description="")
            for name in names]


@pytest.mark.parametrize("name", ["billing_email", "full_name", "contact_email"])
def test_personal_column_names_are_recognised(name):
    pii_names = {c.name for t in load_contract().tables for c in t.columns if c.pii}
    assert name in pii_names or PERSONAL_NAME_COLUMN.search(name)
