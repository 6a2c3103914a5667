"""Superset row-level security rules from the reader scopes (docs/row-level-access.md).

Superset 6.1's asset import (databases, datasets, charts, dashboards, saved queries) has
no place for row-level security rules, so the bundle carries them in its own file,
`row_level_security.yaml`, which the importer skips, and the import step
(superset/harness.py, used by `superset-serve` and the tests) creates them through
Superset's REST API, /api/v1/rowlevelsecurity/, right after the assets.

The rules follow the same scope rows and dimension as PostgreSQL's policies
(saas_metrics.quality.row_access) and the same per-table `meta.row_access` of the public
models' YAML:
- one Superset role per reader with a scope, named like the reader; a Superset user given
  that role sees what the PostgreSQL reader of that name sees;
- per role and dataset, a Regular rule whose clause lists the accounts and reps in scope
  (company-wide datasets: no row). All these rules share one group key, so a user with
  two scope roles sees the union, as on PostgreSQL;
- one Base rule `1 = 0` on every dataset for everyone else (Base rules apply to every role
  they do not list): no scope, no rows. Admin and the scoped roles are exempt; an `all`
  scope is a role with no Regular rule.
The entity lists are literal, so the rules are regenerated with each bundle (after a
build: new accounts join their scopes at the next import).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from saas_metrics.quality.row_access import (
    Entity,
    ScopeRow,
    scopes_by_reader,
    visible_entity_ids,
)

RULES_FILE = "row_level_security.yaml"
RULE_PREFIX = "saas-metrics scope"
GROUP_KEY = "saas_metrics_scope"
EXEMPT_ROLES = ("Admin",)
NOTHING = "1 = 0"
KIND_OF = {"accounts": "account", "sales_reps": "sales_rep"}


def _in_list(column: str, ids: set[str], numeric: bool) -> str:
    if not ids:
        return NOTHING
    ordered = sorted(ids, key=lambda value: (len(value), value))
    if numeric and all(value.isdigit() for value in ordered):
        return f"{column} IN ({', '.join(ordered)})"
    quoted = ", ".join("'" + value.replace("'", "''") + "'" for value in ordered)
    return f"{column} IN ({quoted})"


def clause(rule: Any, visible: dict[str, set[str]]) -> str:
    """The WHERE clause of a dataset (its model's meta.row_access) for a scoped reader."""
    if rule == "company_wide":
        return NOTHING
    if isinstance(rule, dict) and rule.get("entity_kind"):
        terms = [f"({rule['entity_kind']} = '{value}' AND "
                 f"{_in_list(rule['entity_id'], visible[KIND_OF[entity]], numeric=False)})"
                 for value, entity in rule["kinds"].items()]
    elif isinstance(rule, dict) and (rule.get("accounts") or rule.get("sales_reps")):
        terms = [f"({_in_list(rule[entity], visible[KIND_OF[entity]], numeric=True)})"
                 for entity in ("accounts", "sales_reps") if rule.get(entity)]
    else:
        raise ValueError(f"meta.row_access must be company_wide or a mapping, got {rule!r}")
    return " OR ".join(terms)


def rls_rules(datasets: dict[str, dict[str, Any]], scope_rows: Iterable[ScopeRow],
              entities: Iterable[Entity]) -> list[dict[str, Any]]:
    """The rules for the bundle. `datasets`: table name -> its model's meta.row_access."""
    entities = list(entities)
    readers = scopes_by_reader(scope_rows)
    tables = sorted(datasets)
    rules: list[dict[str, Any]] = [{
        "name": f"{RULE_PREFIX}: no scope, no rows",
        "description": "Every role without a reader scope sees no row of the metrics "
                       "datasets (deny by default, as on PostgreSQL).",
        "filter_type": "Base",
        "tables": tables,
        "roles": [*EXEMPT_ROLES, *sorted(readers)],
        "group_key": None,
        "clause": NOTHING,
    }]
    for reader, rows in sorted(readers.items()):
        if any(row.scope_type == "all" for row in rows):
            continue  # exempt from the Base rule and no Regular rule: every row
        visible = visible_entity_ids(entities, rows)
        by_clause: dict[str, list[str]] = {}
        for table in tables:
            by_clause.setdefault(clause(datasets[table], visible), []).append(table)
        for index, (text, clause_tables) in enumerate(sorted(by_clause.items())):
            rules.append({
                "name": f"{RULE_PREFIX}: {reader} {index + 1}",
                "description": "Scope " + "; ".join(
                    row.scope_type + (f" {row.scope_value}" if row.scope_value else "")
                    for row in rows),
                "filter_type": "Regular",
                "tables": clause_tables,
                "roles": [reader],
                "group_key": GROUP_KEY,
                "clause": text,
            })
    return rules
