"""Loader mappings as the CLI sees them (`saas-metrics doctor`, the build summary).

The dbt side is macros/loaders/loaders.sql (``loader_mappings()``): which contract tables
each loader's models produce, and which dbt sources (each with a schema var) they read.
tests/test_loaders_registry.py keeps this module and the macro equal.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from saas_metrics import PROJECT_ROOT
from saas_metrics.generator.contract import Table, load_sources_file


@dataclass(frozen=True)
class LoaderMapping:
    name: str
    source: str  # raw source whose var `<source>_loader` picks this loader
    contract_tables: tuple[str, ...]  # contract tables of that source the loader produces
    loader_sources: tuple[tuple[str, str], ...]  # (dbt source, schema var) the models read

    @property
    def docs(self) -> str:
        return f"docs/loaders/{self.name}.md"

    @property
    def sources_path(self):
        return PROJECT_ROOT / "models" / "loaders" / self.name / f"_{self.name}__sources.yml"

    @property
    def contract_keys(self) -> list[str]:
        return [f"{self.source}.{table}" for table in self.contract_tables]


LOADER_MAPPINGS = (
    LoaderMapping("fivetran_stripe", "billing",
                  ("accounts", "subscriptions", "invoices", "payment_attempts"),
                  (("fivetran_stripe", "fivetran_stripe_schema"),)),
    LoaderMapping("fivetran_salesforce", "crm",
                  ("sales_reps", "rep_quotas", "leads", "opportunities",
                   "opportunity_stage_history", "sales_activities"),
                  (("fivetran_salesforce", "fivetran_salesforce_schema"),)),
    LoaderMapping("segment", "activity",
                  ("users", "sessions", "features", "feature_events"),
                  (("segment", "segment_schema"),)),
    LoaderMapping("fivetran_ads", "marketing",
                  ("campaigns", "ad_spend_daily"),
                  (("fivetran_google_ads", "google_ads_schema"),
                   ("fivetran_facebook_ads", "facebook_ads_schema"),
                   ("fivetran_linkedin_ads", "linkedin_ads_schema"))),
)
BY_NAME = {mapping.name: mapping for mapping in LOADER_MAPPINGS}


def enabled_loaders(dbt_vars: dict[str, Any] | None) -> list[LoaderMapping]:
    """The loaders the `<source>_loader` vars switch on; an unknown name is a ValueError."""
    dbt_vars = dbt_vars or {}
    enabled = []
    for source in ("billing", "activity", "crm", "marketing"):
        chosen = str(dbt_vars.get(f"{source}_loader", "contract"))
        valid = ["contract"] + [m.name for m in LOADER_MAPPINGS if m.source == source]
        if chosen not in valid:
            raise ValueError(f"var {source}_loader is '{chosen}', which is not a loader of the "
                             f"{source} source. Valid values: {', '.join(valid)} (docs/loaders/)")
        if chosen != "contract":
            enabled.append(BY_NAME[chosen])
    return enabled


def loader_tables(name: str, dbt_vars: dict[str, Any] | None = None) -> tuple[Table, ...]:
    """The loader tables a mapping reads, from its sources YAML (columns it needs; a column
    named by a var, such as a custom field, as the vars name it)."""
    mapping = BY_NAME[name]
    tables, _ = load_sources_file(mapping.sources_path, strict=False, docs=mapping.docs,
                                  dbt_vars=dbt_vars)
    return tuple(tables)


def loader_of_table(table_key: str) -> LoaderMapping | None:
    """The mapping that reads a loader table (``<dbt source>.<table>``), or None."""
    source = table_key.split(".", 1)[0]
    for mapping in LOADER_MAPPINGS:
        if source in dict(mapping.loader_sources):
            return mapping
    return None
