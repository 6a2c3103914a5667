"""Readers during rebuilds on PostgreSQL: 8 threads run seed 003's four queries (unmodified)
in a loop, as a metrics_reader login with search_path = metrics, for the whole of a full
rebuild of the public models (`dbt run --full-refresh -s tag:public`). Every result must
equal the one before the build (same inputs): no error,
no empty result, no partial one.

dbt-postgres already gives this: a table (and an incremental full refresh) is built under
a temporary name and swapped in by two renames in one transaction (grants and comments
in the same transaction, the old table dropped after commit), and an incremental
delete+insert runs in one transaction; a reader sees the old table or the new one.
Row-level security is on (macros/postgres/row_access.sql) and its post-hook runs inside
that transaction too. Half the readers have the `all` scope, half a region (LOGINS): a
table visible before its policy would show the regional readers rows outside their
scope, and one with RLS on but no policy yet, no row.
The negative control rebuilds the long table the naive way (truncate, then insert,
autocommit) under the same readers and shows the harness counts what they see.
"""

from __future__ import annotations

import math
import secrets
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg2
import pytest

from conftest import TEST_AS_OF, Warehouse, at_as_of
from saas_metrics import PROJECT_ROOT
from saas_metrics.quality.roles import create_reader_login
from saas_metrics.quality.row_access import set_reader_scope
from saas_metrics.warehouse import connect_postgres

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

READERS = 8
QUERIES = {path.name: path.read_text() for path in
           sorted((PROJECT_ROOT / "analyses" / "seed_003").glob("*.sql"))}


@dataclass
class Tally:
    queries: int = 0
    errors: int = 0
    empty: int = 0
    partial: int = 0
    examples: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, example: str) -> None:
        with self.lock:
            setattr(self, kind, getattr(self, kind) + 1)
            if len(self.examples) < 5:
                self.examples.append(f"{kind}: {example}")


def _same(rows_a, rows_b) -> bool:
    if len(rows_a) != len(rows_b):
        return False
    for row_a, row_b in zip(rows_a, rows_b):
        for a, b in zip(row_a, row_b):
            if isinstance(a, float | int) and isinstance(b, float | int) and a is not b:
                if not math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9):
                    return False
            elif hasattr(a, "as_tuple") or hasattr(b, "as_tuple"):  # Decimal
                if not math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9):
                    return False
            elif a != b:
                return False
    return True


# Row-level security is on: one login reads with the `all` scope, one with a region, so a
# table swapped in before its policy (every row) or without it (no row) would show to the
# regional one as a result unlike its baseline
LOGINS = {"metrics_reader_loop": {"all": [""]}, "metrics_reader_loop_emea": {"region": ["emea"]}}


def _reader_connection(warehouse: Warehouse, password: str, login: str = "metrics_reader_loop"):
    conn = psycopg2.connect(host=warehouse.env["PGHOST"], port=warehouse.env["PGPORT"],
                            dbname=warehouse.env["PGDATABASE"], user=login,
                            password=password)
    conn.autocommit = True
    return conn


def _run(conn, sql: str) -> list[tuple]:
    with conn.cursor() as cur:
        cur.execute(sql)
        rows = cur.fetchall()
    if "limit" in sql.lower():
        # ORDER BY ... LIMIT may break ties on other rows each time: compare the values
        # it orders by and counts, not the names it happened to pick
        rows = [tuple(value for value in row if not isinstance(value, str)) for row in rows]
    return sorted(rows, key=repr)


def read_while(warehouse: Warehouse, rebuild) -> Tally:
    """Run the readers until rebuild() returns; count every outcome against a baseline."""
    password = secrets.token_hex(16)
    owner = connect_postgres(warehouse.env)
    for login, scope in LOGINS.items():
        create_reader_login(login, env=warehouse.env, password=password)
        set_reader_scope(owner, login, scope)
    owner.close()
    # seed 003's CURRENT_DATE is the as-of day (the same text when the suite runs today)
    queries = {name: at_as_of(sql, TEST_AS_OF) for name, sql in QUERIES.items()}
    baselines = {}
    for login in LOGINS:
        baseline_conn = _reader_connection(warehouse, password, login)
        baselines[login] = {name: _run(baseline_conn, sql) for name, sql in queries.items()}
        baseline_conn.close()
    assert all(baselines["metrics_reader_loop"].values()), (
        "a seed query returns nothing before the build")
    regional = baselines["metrics_reader_loop_emea"]
    assert any(regional.values()) and regional != baselines["metrics_reader_loop"], (
        "the regional reader must see some rows, and fewer than the `all` reader")
    tally, stop = Tally(), threading.Event()

    def reader(index: int) -> None:
        login = list(LOGINS)[index % len(LOGINS)]
        baseline = baselines[login]
        conn = _reader_connection(warehouse, password, login)
        names = list(queries)
        turn = index
        try:
            while not stop.is_set():
                name = names[turn % len(names)]
                turn += 1
                with tally.lock:
                    tally.queries += 1
                try:
                    rows = _run(conn, queries[name])
                except psycopg2.Error as error:
                    tally.add("errors", f"{name}: {str(error).strip()[:200]}")
                    if conn.closed:
                        conn = _reader_connection(warehouse, password, login)
                    continue
                if not rows and baseline[name]:
                    tally.add("empty", f"{login} {name}")
                elif not _same(rows, baseline[name]):
                    tally.add("partial", f"{login} {name}: {len(rows)} rows vs "
                                         f"{len(baseline[name])}")
                # a short pause leaves the build some CPU on a small machine; still
                # thousands of queries over a build
                time.sleep(0.2)
        finally:
            conn.close()

    threads = [threading.Thread(target=reader, args=(i,), daemon=True) for i in range(READERS)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(1)  # readers are in their loop before the build starts
        rebuild()
        time.sleep(1)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
    return tally


def test_readers_never_see_an_error_or_a_half_built_table_during_a_full_build(
    postgres_warehouse: Warehouse,
):
    started = {}

    def rebuild():
        started["at"] = time.perf_counter()
        # every public model (the marts the readers query) rebuilt from scratch; staging
        # and intermediate models are not read by anyone during the build
        postgres_warehouse.dbt(["run", "--full-refresh", "-s", "tag:public"])
        started["seconds"] = time.perf_counter() - started["at"]

    tally = read_while(postgres_warehouse, rebuild)
    print(f"readers during a {started['seconds']:.0f}s full dbt build: {tally.queries} queries, "
          f"{tally.errors} errors, {tally.empty} empty, {tally.partial} partial results")
    assert tally.queries > 100, "the readers hardly ran during the build"
    assert (tally.errors, tally.empty, tally.partial) == (0, 0, 0), tally.examples


def test_reader_harness_catches_a_non_atomic_rebuild(postgres_warehouse: Warehouse):
    """Negative control: truncate + insert in autocommit; readers must see empty results."""
    conn = psycopg2.connect(host=postgres_warehouse.env["PGHOST"],
                            port=postgres_warehouse.env["PGPORT"],
                            dbname=postgres_warehouse.env["PGDATABASE"],
                            user=postgres_warehouse.env["PGUSER"])
    conn.autocommit = True

    def naive_rebuild():
        with conn.cursor() as cur:
            cur.execute("create temporary table unified_copy as "
                        "select * from metrics.metrics_unified_domains")
            for _ in range(5):
                cur.execute("truncate metrics.metrics_unified_domains")
                time.sleep(0.3)
                cur.execute("insert into metrics.metrics_unified_domains "
                            "select * from unified_copy")
                time.sleep(0.3)

    try:
        tally = read_while(postgres_warehouse, naive_rebuild)
    finally:
        conn.close()
    print(f"naive rebuild: {tally.queries} queries, {tally.errors} errors, {tally.empty} empty, "
          f"{tally.partial} partial")
    assert tally.empty + tally.partial + tally.errors > 0


def test_seed_queries_are_read_unmodified_from_the_analyses_folder():
    assert len(QUERIES) == 4
    for name, sql in QUERIES.items():
        assert sql == Path(PROJECT_ROOT / "analyses" / "seed_003" / name).read_text()
