"""Expectation suites for every public model, generated from its contract and the rules.

Per public model, up to three checks (one GX expectation suite each):

``<model>.columns``  the table itself: columns equal the contract, grain columns and
                     contract not-null columns not null, the grain unique, value ranges
                     (rules.column_range), at least one row.
``<model>.dates``    daily models: one row per distinct metric_date, which must run with
                     no gap (days_since_previous is 1) up to the as-of day.
``<model>.density``  daily models with one row per entity and day ("days x entities"):
                     each entity has a row on every day from its first day to the as-of
                     day, so row_count equals expected_row_count.

A model's YAML can opt out where a check does not fit it, under meta.quality:
``dense_grain: false`` (rows only where something happened), ``gap_free_dates: false``
(days without a row are normal), ``may_be_empty: true`` (empty is a good outcome).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import great_expectations.expectations as gxe

from saas_metrics.quality.public_models import PublicModel
from saas_metrics.quality.rules import column_range


@dataclass
class Check:
    name: str
    model: PublicModel
    kind: str  # "table": the model's table; "query": the summary query in sql
    expectations: list[gxe.Expectation]
    sql: str | None = None
    why: dict[str, str] = field(default_factory=dict)


def relation(model: PublicModel) -> str:
    return f'"{model.schema}"."{model.name}"'


def column_checks(model: PublicModel) -> Check:
    expectations: list[gxe.Expectation] = [
        gxe.ExpectTableColumnsToMatchSet(column_set=model.column_names, exact_match=True),
    ]
    if not model.quality_meta.get("may_be_empty"):
        expectations.append(gxe.ExpectTableRowCountToBeBetween(min_value=1))
    why: dict[str, str] = {}
    not_null = list(model.grain) + [c.name for c in model.columns if c.not_null]
    for name in dict.fromkeys(not_null):
        expectations.append(gxe.ExpectColumnValuesToNotBeNull(column=name))
    if len(model.grain) > 1:
        expectations.append(gxe.ExpectCompoundColumnsToBeUnique(column_list=list(model.grain)))
    elif len(model.grain) == 1:
        expectations.append(gxe.ExpectColumnValuesToBeUnique(column=model.grain[0]))
    for column in model.columns:
        value_range = column_range(model, column)
        if value_range is None:
            continue
        expectations.append(gxe.ExpectColumnValuesToBeBetween(
            column=column.name, min_value=value_range.min_value,
            max_value=value_range.max_value,
        ))
        why[column.name] = value_range.why
    return Check(f"{model.name}.columns", model, "table", expectations, why=why)


def date_checks(model: PublicModel, as_of: dt.date) -> Check:
    sql = (
        "select metric_date, "
        "metric_date - lag(metric_date) over (order by metric_date) as days_since_previous, "
        f"cast('{as_of.isoformat()}' as date) - metric_date as days_before_as_of "
        f"from (select distinct metric_date from {relation(model)}) as model_days"
    )
    expectations: list[gxe.Expectation] = [
        gxe.ExpectTableRowCountToBeBetween(min_value=1),
        # nulls (the first day) are left out of the check
        gxe.ExpectColumnValuesToBeBetween(column="days_since_previous", min_value=1, max_value=1),
        # the last day is the as-of day: no future day, no missing recent days
        gxe.ExpectColumnMinToBeBetween(column="days_before_as_of", min_value=0, max_value=0),
    ]
    return Check(f"{model.name}.dates", model, "query", expectations, sql=sql)


def density_checks(model: PublicModel, as_of: dt.date) -> Check:
    entities = ", ".join(model.entity_columns)
    sql = (
        f"select {entities}, count(*) as row_count, "
        f"cast('{as_of.isoformat()}' as date) - min(metric_date) + 1 as expected_row_count "
        f"from {relation(model)} group by {entities}"
    )
    expectations: list[gxe.Expectation] = [
        gxe.ExpectColumnPairValuesToBeEqual(column_A="row_count", column_B="expected_row_count"),
    ]
    return Check(f"{model.name}.density", model, "query", expectations, sql=sql)


def checks_for(models: list[PublicModel], as_of: dt.date) -> list[Check]:
    checks: list[Check] = []
    for model in models:
        checks.append(column_checks(model))
        if model.is_daily and model.quality_meta.get("gap_free_dates", True):
            checks.append(date_checks(model, as_of))
        if model.is_dense_panel and model.entity_columns:
            checks.append(density_checks(model, as_of))
    return checks
