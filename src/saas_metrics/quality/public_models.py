"""The public models, read from the dbt manifest so every check covers new marts too.

A model is public when it is tagged ``public`` or lives under models/marts/. Its grain is
the project's ``unique_combination_of_columns`` test (or a ``unique`` column test, or the
incremental ``unique_key``); its columns and types are the YAML contract.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from saas_metrics import PROJECT_ROOT
from saas_metrics.dbt_runner import run_dbt


@dataclass(frozen=True)
class PublicColumn:
    name: str
    data_type: str
    not_null: bool
    description: str
    meta: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def base_type(self) -> str:
        """The type without its precision, lowercased: numeric(38,6) -> numeric."""
        return self.data_type.split("(")[0].strip().lower()


@dataclass(frozen=True)
class PublicModel:
    name: str
    unique_id: str
    schema: str
    path: str
    materialized: str
    contract_enforced: bool
    grain: tuple[str, ...]
    columns: tuple[PublicColumn, ...]
    meta: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]

    @property
    def is_daily(self) -> bool:
        return "metric_date" in self.column_names

    @property
    def quality_meta(self) -> dict[str, Any]:
        """meta.quality of the model: opt-outs such as dense_grain: false."""
        return dict(self.meta.get("quality") or {})

    @property
    def entity_columns(self) -> tuple[str, ...]:
        """Grain columns besides metric_date: what a daily model has one row per."""
        return tuple(column for column in self.grain if column != "metric_date")

    @property
    def is_dense_panel(self) -> bool:
        """A daily model with one row per entity per day from the entity's first day on.

        Long tables (metric_name in the grain) leave out NULL metrics, so they are sparse
        by definition; any other model can say so with meta.quality.dense_grain: false.
        """
        if not self.is_daily or "metric_name" in self.grain or not self.grain:
            return False
        return bool(self.quality_meta.get("dense_grain", True))


def load_manifest(target_path: Path | str | None = None) -> dict[str, Any]:
    path = Path(target_path or PROJECT_ROOT / "target") / "manifest.json"
    return json.loads(path.read_text())


def parse_manifest(target: str, target_path: Path, env: dict[str, str] | None = None,
                   dbt_vars: dict[str, Any] | None = None) -> dict[str, Any]:
    """`dbt parse` into target_path and return the manifest (when none was built)."""
    run_dbt(["parse"], target=target, env=env, target_path=target_path, dbt_vars=dbt_vars)
    return load_manifest(target_path)


def is_public(node: dict[str, Any]) -> bool:
    if node.get("resource_type") != "model":
        return False
    path = node.get("original_file_path", "")
    return "public" in node.get("tags", []) or path.startswith("models/marts/")


def _grain(manifest: dict[str, Any], node: dict[str, Any]) -> tuple[str, ...]:
    unique_columns: list[str] = []
    for test in manifest["nodes"].values():
        if test.get("resource_type") != "test" or test.get("attached_node") != node["unique_id"]:
            continue
        metadata = test.get("test_metadata") or {}
        kwargs = metadata.get("kwargs") or {}
        if metadata.get("name") == "unique_combination_of_columns":
            return tuple(kwargs["combination_of_columns"])
        if metadata.get("name") == "unique" and kwargs.get("column_name"):
            unique_columns.append(kwargs["column_name"])
    if unique_columns:
        return (sorted(unique_columns)[0],)
    unique_key = node.get("config", {}).get("unique_key")
    if isinstance(unique_key, str):
        return (unique_key,)
    return tuple(unique_key or ())


def public_models(manifest: dict[str, Any]) -> list[PublicModel]:
    """Every public model of the project, sorted by name."""
    models = []
    for node in manifest["nodes"].values():
        if not is_public(node):
            continue
        columns = []
        for column in node.get("columns", {}).values():
            constraints = column.get("constraints") or []
            columns.append(PublicColumn(
                name=column["name"],
                data_type=(column.get("data_type") or "").lower(),
                not_null=any(c.get("type") == "not_null" for c in constraints),
                description=column.get("description") or "",
                meta=column.get("meta") or {},
            ))
        config = node.get("config", {})
        models.append(PublicModel(
            name=node.get("alias") or node["name"],
            unique_id=node["unique_id"],
            schema=node["schema"],
            path=node.get("original_file_path", ""),
            materialized=config.get("materialized", ""),
            contract_enforced=bool((config.get("contract") or {}).get("enforced")),
            grain=_grain(manifest, node),
            columns=tuple(columns),
            meta={**(config.get("meta") or {}), **(node.get("meta") or {})},
        ))
    return sorted(models, key=lambda model: model.name)
