"""The raw-data contract, read from the dbt sources YAML files (the single source of truth).

models/staging/<source>/_<source>__sources.yml declares every raw table: its columns in
order with ``data_type``, table ``meta`` (``primary_key``, ``event_time``) and column
``meta`` (``foreign_key``, ``accepted_values``, ``non_negative``, ``pii``, and either
``required: true`` or ``null_means: "<what a null means>"``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from saas_metrics import PROJECT_ROOT

SOURCES = ("billing", "activity", "crm", "marketing")
_SCHEMA_DEFAULT = re.compile(r"var\(\s*'[^']+'\s*,\s*'([^']+)'\s*\)")


@dataclass(frozen=True)
class Column:
    name: str
    data_type: str
    description: str = ""
    meta: dict = field(default_factory=dict, hash=False, compare=False)

    @property
    def foreign_key(self) -> str | None:
        return self.meta.get("foreign_key")

    @property
    def accepted_values(self) -> list | None:
        values = self.meta.get("accepted_values")
        return [str(v) for v in values] if values is not None else None

    @property
    def non_negative(self) -> bool:
        return bool(self.meta.get("non_negative"))

    @property
    def pii(self) -> bool:
        return bool(self.meta.get("pii"))

    @property
    def required(self) -> bool:
        """A null in this column is a bad row (quarantined as ``null_required``)."""
        return bool(self.meta.get("required"))

    @property
    def null_means(self) -> str | None:
        """What a (valid) null in this column means, or None when not declared."""
        value = self.meta.get("null_means")
        return str(value) if value is not None else None

    @property
    def base_type(self) -> str:
        return self.data_type.split("(")[0].strip().lower()

    @property
    def numeric_scale(self) -> int | None:
        m = re.match(r"numeric\(\s*\d+\s*,\s*(\d+)\s*\)", self.data_type.lower())
        return int(m.group(1)) if m else None

    @property
    def is_temporal(self) -> bool:
        return self.base_type in ("timestamptz", "date")

    def duckdb_type(self) -> str:
        t = self.data_type.lower()
        if t.startswith("numeric"):
            return t.replace("numeric", "DECIMAL").upper()
        return {
            "bigint": "BIGINT",
            "integer": "INTEGER",
            "text": "VARCHAR",
            "date": "DATE",
            "timestamptz": "TIMESTAMPTZ",
            "boolean": "BOOLEAN",
        }[t]

    def postgres_type(self) -> str:
        return self.data_type.lower()


@dataclass(frozen=True)
class Table:
    source: str
    name: str
    schema: str
    description: str
    primary_key: tuple[str, ...]
    event_time: str
    columns: tuple[Column, ...]
    # (starts, ends) columns of a period table (meta.period), else None
    period: tuple[str, str] | None = None
    # where a team reads what the table must hold (a loader's own page for loader tables)
    docs: str = "docs/raw_contract.md"

    @property
    def key(self) -> str:
        """``<source>.<table>``, the name used in foreign_key meta and in the manifest."""
        return f"{self.source}.{self.name}"

    @property
    def qualified(self) -> str:
        return f"{self.schema}.{self.name}"

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.key} has no column {name}")

    def ddl(self, dialect: str) -> str:
        cols = ",\n  ".join(
            f"{c.name} {c.duckdb_type() if dialect == 'duckdb' else c.postgres_type()}"
            for c in self.columns
        )
        return f"create table {self.qualified} (\n  {cols}\n)"


@dataclass(frozen=True)
class Contract:
    tables: tuple[Table, ...]
    source_descriptions: dict = field(default_factory=dict, hash=False, compare=False)

    def table(self, key: str) -> Table:
        for t in self.tables:
            if t.key == key:
                return t
        raise KeyError(key)

    @property
    def schemas(self) -> list[str]:
        return sorted({t.schema for t in self.tables})

    def by_key(self) -> dict[str, Table]:
        return {t.key: t for t in self.tables}


def sources_path(source: str, root: Path | None = None) -> Path:
    root = root or PROJECT_ROOT
    return root / "models" / "staging" / source / f"_{source}__sources.yml"


def _schema_name(raw: str, source: str) -> str:
    m = _SCHEMA_DEFAULT.search(raw or "")
    if m:
        return m.group(1)
    if raw and "{{" not in raw:
        return raw
    return f"raw_{source}"


def load_contract(root: Path | None = None) -> Contract:
    """Parse the four sources files. Raises ValueError when a table misses a required key."""
    tables: list[Table] = []
    descriptions: dict[str, str] = {}
    for source in SOURCES:
        source_tables, source_descriptions = load_sources_file(sources_path(source, root))
        tables += source_tables
        descriptions.update(source_descriptions)
    return Contract(tuple(tables), descriptions)


_VAR_NAME = re.compile(r"^\{\{\s*var\(\s*'([^']+)'\s*,\s*'([^']+)'\s*\)\s*\}\}$")


def rendered_name(raw: str, dbt_vars: dict | None = None) -> str:
    """A column name given as "{{ var('x', 'default') }}" (a loader mapping lets teams name
    a custom field) as dbt renders it: the var's value, else the default."""
    match = _VAR_NAME.match(raw.strip())
    if not match:
        return raw
    return str((dbt_vars or {}).get(match.group(1), match.group(2)))


def load_sources_file(path: Path, *, strict: bool = True, docs: str = "docs/raw_contract.md",
                      dbt_vars: dict | None = None) -> tuple[list[Table], dict[str, str]]:
    """The tables of one dbt sources YAML in the contract's format, and each source's
    description. strict (the raw contract): every table has an event time and _loaded_at;
    a loader's tables (models/loaders/) need only a primary key. Column names written as a
    dbt var are rendered with dbt_vars."""
    tables: list[Table] = []
    descriptions: dict[str, str] = {}
    doc = yaml.safe_load(path.read_text())
    for src in doc.get("sources", []):
        name = src["name"]
        descriptions[name] = src.get("description", "")
        schema = _schema_name(str(src.get("schema", "")), name)
        for t in src.get("tables", []):
            meta = t.get("meta") or {}
            cols = tuple(
                Column(
                    rendered_name(str(c["name"]), dbt_vars),
                    str(c["data_type"]),
                    (c.get("description") or "").strip(),
                    c.get("meta") or {},
                )
                for c in t.get("columns", [])
            )
            pk = tuple(meta.get("primary_key") or ())
            if not pk:
                raise ValueError(f"{name}.{t['name']}: meta.primary_key missing in {path}")
            event_time = meta.get("event_time") or ""
            if strict and not event_time:
                raise ValueError(f"{name}.{t['name']}: meta.event_time missing in {path}")
            names = [c.name for c in cols]
            for required in (*pk, event_time, "_loaded_at") if strict else pk:
                if required not in names:
                    raise ValueError(f"{name}.{t['name']}: column {required} not declared")
            tables.append(
                Table(
                    name,
                    t["name"],
                    schema,
                    (t.get("description") or "").strip(),
                    pk,
                    event_time,
                    cols,
                    (meta["period"]["starts"], meta["period"]["ends"])
                    if meta.get("period") else None,
                    docs,
                )
            )
    return tables, descriptions


@lru_cache(maxsize=1)
def default_contract() -> Contract:
    return load_contract()


def render_markdown(contract: Contract) -> str:
    """docs/raw_contract.md, rendered from the sources YAML (do not edit the output by hand)."""
    out = [
        "# Raw data contract",
        "",
        (
            "<!-- Generated by `saas-metrics contract-docs` from "
            "models/staging/*/_*__sources.yml. Do not edit by hand. -->"
        ),
        "",
        (
            "The generator (`saas-metrics generate`) creates exactly these tables and columns, in "
            "this order. Column notes: **FK** → foreign key to the parent's primary key, "
            "**enum** → accepted values, **≥0** → non-negative, **PII** → personal data "
            "(hashed in staging), **required** → a null is a bad row (quarantined as "
            "`null_required`), **null means** → a null is valid and means this. *Event time* "
            "is the column that must not lie after the as-of day in clean data; `_loaded_at` "
            "is the loader's write time (latest wins)."
        ),
        "",
    ]
    for source in SOURCES:
        tables = [t for t in contract.tables if t.source == source]
        if not tables:
            continue
        out += [f"## {source} (`{tables[0].schema}`)", ""]
        if contract.source_descriptions.get(source):
            out += [contract.source_descriptions[source], ""]
        for t in tables:
            out += [
                f"### {t.qualified}",
                "",
                " ".join(t.description.split()),
                "",
                f"- Primary key: `{', '.join(t.primary_key)}`",
                f"- Event time: `{t.event_time}`",
                "",
                "| column | type | rules | description |",
                "|---|---|---|---|",
            ]
            for c in t.columns:
                rules = []
                if c.name in t.primary_key:
                    rules.append("PK")
                if c.foreign_key:
                    rules.append(f"FK → `{c.foreign_key}`")
                if c.accepted_values is not None:
                    rules.append("enum: " + ", ".join(f"`{v}`" for v in c.accepted_values))
                if c.non_negative:
                    rules.append("≥0")
                if c.pii:
                    rules.append("PII")
                if c.required:
                    rules.append("required")
                elif c.null_means:
                    rules.append(f"null means: {c.null_means}")
                desc = " ".join(c.description.split()).replace("|", "\\|")
                cell = "; ".join(rules).replace("|", "\\|")
                out.append(f"| `{c.name}` | {c.data_type} | {cell} | {desc} |")
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def write_docs(path: Path | None = None, contract: Contract | None = None) -> Path:
    path = path or PROJECT_ROOT / "docs" / "raw_contract.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_markdown(contract or load_contract()))
    return path


def render_metric_sources() -> str:
    """docs/metric_sources.md: which raw tables each metric needs, from the seed."""
    import csv

    seeds = PROJECT_ROOT / "seeds"
    with (seeds / "metric_catalog.csv").open() as handle:
        catalog = [(row["domain"], row["metric_name"], row["metric_label"])
                   for row in csv.DictReader(handle)]
    needs: dict[tuple[str, str], list[str]] = {}
    with (seeds / "metric_raw_requirements.csv").open() as handle:
        for row in csv.DictReader(handle):
            needs.setdefault((row["domain"], row["metric_name"]), []).append(row["raw_table"])
    lines = [
        "# Which metrics need which raw tables",
        "",
        "Rendered from `seeds/metric_raw_requirements.csv` by `saas-metrics contract-docs`; do",
        "not edit by hand. When any table a metric needs has no staged rows (the table or its",
        "schema is missing, empty, or every row was quarantined), the metric is NULL in its",
        "mart and absent from `metrics_unified_domains`. `saas-metrics doctor` names the",
        "metrics each finding affects.",
        "",
    ]
    for domain in dict.fromkeys(domain for domain, _, _ in catalog):
        lines += [f"## {domain}", "", "| metric | label | needs |", "|---|---|---|"]
        for metric_domain, metric, label in catalog:
            if metric_domain == domain:
                tables = ", ".join(f"`{t}`" for t in needs.get((domain, metric), []))
                lines.append(f"| `{metric}` | {label} | {tables} |")
        lines.append("")
    by_table: dict[str, int] = {}
    for tables in needs.values():
        for table in tables:
            by_table[table] = by_table.get(table, 0) + 1
    unused = [t.key for t in load_contract().tables if t.key not in by_table]
    lines += ["## Raw tables no metric needs on its own", "",
              "They add detail (names, channels, parents whose children carry the facts) or "
              "feed the other public tables (experiments, data quality): "
              + ", ".join(f"`{t}`" for t in unused) + ".", ""]
    return "\n".join(lines)


def write_metric_sources(path: Path | None = None) -> Path:
    path = path or PROJECT_ROOT / "docs" / "metric_sources.md"
    path.write_text(render_metric_sources())
    return path
