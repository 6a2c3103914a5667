"""Reader scopes: who may see which accounts and sales reps (docs/row-level-access.md).

A scope row maps a reader login or group to `all`, a region, a customer segment, a sales
team or an account. The rows live in two places, read together: the managed table
metrics_access.reader_scopes (PostgreSQL only; written by `saas-metrics reader add`) and
the seed reader_scopes (declared defaults, both engines). PostgreSQL's row-level security
policies (macros/postgres/row_access.sql) and the Superset bundle's row-level rules
(saas_metrics.superset.row_access) both follow these rows and the dimension
int_access_scope_entities, the same rule written once here for Python and once in SQL.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from psycopg2 import sql

# the dbt model (models/intermediate/access/): same schema on both engines
ENTITIES_RELATION = "intermediate.int_access_scope_entities"
SCOPE_TYPES = ("all", "region", "segment", "team", "account")
ENTITY_KINDS = ("account", "sales_rep")


def access_schema() -> str:
    return os.environ.get("METRICS_ACCESS_SCHEMA", "metrics_access")


@dataclass(frozen=True)
class ScopeRow:
    reader_name: str
    scope_type: str
    scope_value: str = ""


@dataclass(frozen=True)
class Entity:
    entity_type: str
    entity_id: str
    region: str | None
    segment: str | None
    team: str | None


class ScopeError(ValueError):
    """A scope names a value the built dimension data does not hold, or is malformed."""


def entity_in_scope(entity: Entity, scopes: Iterable[ScopeRow]) -> bool:
    """The one rule: an account or rep is visible when any scope row of the reader names it."""
    for scope in scopes:
        if scope.scope_type == "all":
            return True
        if scope.scope_type == "region" and scope.scope_value == entity.region:
            return True
        if scope.scope_type == "segment" and scope.scope_value == entity.segment:
            return True
        if scope.scope_type == "team" and scope.scope_value == entity.team:
            return True
        if (scope.scope_type == "account" and entity.entity_type == "account"
                and scope.scope_value == entity.entity_id):
            return True
    return False


def visible_entity_ids(entities: Iterable[Entity], scopes: Iterable[ScopeRow]
                       ) -> dict[str, set[str]]:
    """Entity ids per kind (account, sales_rep) a reader with these scope rows sees."""
    scopes = list(scopes)
    visible: dict[str, set[str]] = {kind: set() for kind in ENTITY_KINDS}
    for entity in entities:
        if entity_in_scope(entity, scopes):
            visible.setdefault(entity.entity_type, set()).add(entity.entity_id)
    return visible


def valid_values(entities: Iterable[Entity]) -> dict[str, list[str]]:
    """The values each scope type may name, from the built dimension data."""
    entities = list(entities)
    return {
        "region": sorted({e.region for e in entities if e.region}),
        "segment": sorted({e.segment for e in entities if e.segment}),
        "team": sorted({e.team for e in entities if e.team}),
        "account": sorted({e.entity_id for e in entities if e.entity_type == "account"},
                          key=lambda value: (len(value), value)),
    }


def validate_scopes(requested: Mapping[str, Iterable[str]], entities: Iterable[Entity]
                    ) -> None:
    """Raise ScopeError naming every unknown value and the valid ones."""
    valid = valid_values(entities)
    problems = []
    for scope_type, values in requested.items():
        unknown = sorted(set(values) - set(valid[scope_type]))
        if unknown:
            shown = valid[scope_type]
            listing = ", ".join(shown[:50]) + (f", ... ({len(shown)} in all)"
                                              if len(shown) > 50 else "")
            problems.append(f"unknown {scope_type} {', '.join(unknown)}: valid values are "
                            f"{listing or '(none: build the warehouse first)'}")
    if problems:
        raise ScopeError("; ".join(problems))


# ---------------------------------------------------------------- reading the warehouse


def load_entities(conn, target: str = "postgres") -> list[Entity]:
    """int_access_scope_entities, read as the builder (readers cannot select it)."""
    query = ("select entity_type, entity_id, region, segment, team from "
             f"{ENTITIES_RELATION} order by entity_type, entity_id")
    if target == "duckdb":
        rows = conn.execute(query).fetchall()
    else:
        with conn.cursor() as cur:
            cur.execute(query)
            rows = cur.fetchall()
    return [Entity(*row) for row in rows]


def load_scope_rows(conn, target: str = "postgres") -> list[ScopeRow]:
    """Every scope row: the seed's declared defaults, plus the managed table on Postgres."""
    seed = ("select reader_name, scope_type, coalesce(scope_value, '') "
            "from reference.reader_scopes")
    if target == "duckdb":
        return [ScopeRow(*row) for row in conn.execute(seed).fetchall()]
    with conn.cursor() as cur:
        cur.execute(f"{seed} union select reader_name, scope_type, scope_value "
                    f"from {access_schema()}.reader_scopes order by 1, 2, 3")
        return [ScopeRow(*row) for row in cur.fetchall()]


def load_row_access(conn, target: str = "postgres") -> tuple[list[ScopeRow], list[Entity]]:
    """(scope rows, entities): what the Superset bundle's row-level rules are made from."""
    return load_scope_rows(conn, target), load_entities(conn, target)


def scopes_by_reader(rows: Iterable[ScopeRow]) -> dict[str, list[ScopeRow]]:
    grouped: dict[str, list[ScopeRow]] = {}
    for row in rows:
        grouped.setdefault(row.reader_name, []).append(row)
    return grouped


def set_reader_scope(conn, reader: str, requested: Mapping[str, Iterable[str]]) -> None:
    """Replace the reader's rows in the managed table (one transaction, then commit)."""
    rows = [(reader, scope_type, value) for scope_type, values in requested.items()
            for value in sorted(set(values))]
    table = sql.SQL("{}.reader_scopes").format(sql.Identifier(access_schema()))
    with conn.cursor() as cur:
        cur.execute(sql.SQL("delete from {} where reader_name = %s").format(table), (reader,))
        for row in rows:
            cur.execute(sql.SQL("insert into {} (reader_name, scope_type, scope_value) "
                                "values (%s, %s, %s)").format(table), row)
    conn.commit()
