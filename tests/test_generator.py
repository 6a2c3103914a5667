"""Tests of the synthetic raw-data generator (src/saas_metrics/generator)."""

from __future__ import annotations

import duckdb
import pytest

from saas_metrics.generator import KINDS, generate
from saas_metrics.generator.contract import load_contract

AS_OF = "2025-03-31"
CONTRACT = load_contract()


def _gen(path, seed=7, faults=0.0, accounts=60, days=120, **kw):
    return generate(
        accounts=accounts,
        days=days,
        as_of=AS_OF,
        seed=seed,
        faults=faults,
        target="duckdb",
        duckdb_path=path,
        manifest_path=None,
        **kw,
    )


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    d = tmp_path_factory.mktemp("gen")
    paths = {
        "a": d / "a.duckdb",
        "b": d / "b.duckdb",
        "other": d / "other.duckdb",
        "faulty": d / "faulty.duckdb",
    }
    manifests = {
        "a": _gen(paths["a"]),
        "b": _gen(paths["b"]),
        "other": _gen(paths["other"], seed=8),
        "faulty": _gen(paths["faulty"], faults=0.05),
    }
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    for name, p in paths.items():
        con.execute(f"attach '{p}' as {name} (read_only)")
    yield con, manifests
    con.close()


def _q(con, sql):
    return con.execute(sql).fetchone()[0]


def test_generator_is_deterministic_for_same_seed(runs):
    con, manifests = runs
    differing = 0
    for t in CONTRACT.tables:
        q = t.qualified
        assert _q(con, f"select count(*) from a.{q}") == _q(con, f"select count(*) from b.{q}")
        assert (
            _q(con, f"select count(*) from (select * from a.{q} except all select * from b.{q})")
            == 0
        )
        assert (
            _q(con, f"select count(*) from (select * from b.{q} except all select * from a.{q})")
            == 0
        )
        differing += (
            _q(
                con,
                f"select count(*) from (select * from a.{q} except all select * from other.{q})",
            )
            > 0
        )
    assert manifests["a"]["tables"] == manifests["b"]["tables"]
    assert differing >= len(CONTRACT.tables) - 3  # a different seed gives different rows


def test_faults_do_not_change_clean_rows_and_manifest_counts_match(runs):
    con, manifests = runs
    end = f"timestamptz '{AS_OF} 00:00:00+00' + interval 1 day"
    applied = {k: 0 for k in KINDS}
    for t in CONTRACT.tables:
        q = t.qualified
        info = manifests["faulty"]["tables"][t.key]
        injected = sum(info["faults"].values())
        assert info["raw_rows"] == info["clean_rows"] + injected
        assert info["clean_rows"] == manifests["a"]["tables"][t.key]["raw_rows"]
        assert _q(con, f"select count(*) from faulty.{q}") == info["raw_rows"]
        # every clean row is still there, unchanged; only the injected rows are extra
        assert (
            _q(
                con,
                f"select count(*) from (select * from a.{q} except all select * from faulty.{q})",
            )
            == 0
        )
        assert (
            _q(
                con,
                f"select count(*) from (select * from faulty.{q} except all select * from a.{q})",
            )
            == injected
        )
        every = ", ".join(t.column_names)
        dups = _q(
            con,
            f"select coalesce(sum(n - 1), 0) from (select {every}, count(*) n "
            f"from faulty.{q} group by all having count(*) > 1)",
        )
        assert dups == info["faults"]["exact_duplicate"], t.key
        pk0 = t.primary_key[0]
        assert (
            _q(con, f"select count(*) from faulty.{q} where {pk0} is null")
            == info["faults"]["null_key"]
        )
        ev = t.event_time
        cond = f"{ev} > date '{AS_OF}'" if t.column(ev).base_type == "date" else f"{ev} >= {end}"
        assert (
            _q(con, f"select count(*) from faulty.{q} where {cond}")
            == info["faults"]["future_timestamp"]
        ), t.key
        # changed duplicates: same key as a clean row, different values, earlier _loaded_at
        keys = ", ".join(t.primary_key)
        on = " and ".join(f"f.{k} = c.{k}" for k in t.primary_key)
        changed = _q(
            con,
            f"""
            select count(*) from (select * from faulty.{q} except all select * from a.{q}) f
            join a.{q} c on {on} where f._loaded_at < c._loaded_at""",
        )
        # conflicting versions are pairs of such rows (loaded at the same instant)
        assert changed == (
            info["faults"]["changed_duplicate"] + info["faults"]["conflicting_versions"]
        ), t.key
        for k, v in info["faults"].items():
            applied[k] += v
        if info["clean_rows"] >= 20:
            assert (
                info["faults"]["exact_duplicate"] >= 1 and info["faults"]["future_timestamp"] >= 1
            )
        assert keys
    assert all(applied[k] > 0 for k in KINDS), applied


def test_clean_data_follows_the_contract(runs):
    """Clean rows: unique non-null keys, valid FKs, enums, non-negative amounts, times <= as-of."""
    con, _ = runs
    end = f"timestamptz '{AS_OF} 00:00:00+00' + interval 1 day"
    tables = CONTRACT.by_key()
    for t in CONTRACT.tables:
        q = f"a.{t.qualified}"
        cols = ", ".join(t.primary_key)
        assert _q(con, f"select count(*) from {q}") > 0, t.key
        assert _q(con, f"select count(*) - count(distinct ({cols})) from {q}") == 0, t.key
        assert (
            _q(
                con,
                f"select count(*) from {q} where "
                + " or ".join(f"{k} is null" for k in t.primary_key),
            )
            == 0
        )
        described = {
            r[0]: r[1]
            for r in con.execute(
                "select column_name, data_type from information_schema.columns "
                f"where table_catalog = 'a' and table_schema = '{t.schema}' and table_name = '{t.name}' "
                "order by ordinal_position"
            ).fetchall()
        }
        assert list(described) == t.column_names
        assert described["_loaded_at"] == "TIMESTAMP WITH TIME ZONE"
        assert _q(con, f"select count(*) from {q} where _loaded_at > {end} + interval 1 day") == 0
        for c in t.columns:
            if c.foreign_key:
                parent = tables[c.foreign_key]
                pk = parent.primary_key[0]
                orphans = _q(
                    con,
                    f"select count(*) from {q} x where {c.name} is not null and not exists "
                    f"(select 1 from a.{parent.qualified} p where p.{pk} = x.{c.name})",
                )
                assert orphans == 0, (t.key, c.name)
            if c.accepted_values:
                vals = ", ".join("'" + v + "'" for v in c.accepted_values)
                assert _q(con, f"select count(*) from {q} where {c.name} not in ({vals})") == 0, (
                    t.key,
                    c.name,
                )
            if c.non_negative:
                assert _q(con, f"select count(*) from {q} where {c.name} < 0") == 0, (t.key, c.name)
            if c.base_type == "timestamptz" and c.name not in ("due_at", "_loaded_at"):
                assert _q(con, f"select count(*) from {q} where {c.name} >= {end}") == 0, (
                    t.key,
                    c.name,
                )
            if c.base_type == "date" and c.name != "expected_close_date":
                assert _q(con, f"select count(*) from {q} where {c.name} > date '{AS_OF}'") == 0, (
                    t.key,
                    c.name,
                )
    # a few behavioural checks
    # one rate per currency and day, from the first day of billing history (the installed
    # base's, before the window) to the as-of day, so every amount converts on its own day
    first_rate_day, last_rate_day, rate_days = con.execute(
        "select min(rate_date), max(rate_date), count(distinct rate_date) "
        "from a.raw_billing.exchange_rates"
    ).fetchone()
    assert str(last_rate_day) == AS_OF
    assert _q(con, "select count(*) from a.raw_billing.exchange_rates") == 4 * rate_days
    assert (last_rate_day - first_rate_day).days + 1 == rate_days > 120
    assert _q(
        con,
        "select count(*) from a.raw_billing.invoices "
        f"where cast(issued_at as date) < date '{first_rate_day}'",
    ) == 0
    stage_ok = _q(
        con,
        """
        select count(*) from a.raw_crm.opportunities o
        where current_stage <> (select arg_max(stage, entered_at) from a.raw_crm.opportunity_stage_history h
                                where h.opportunity_id = o.opportunity_id)""",
    )
    assert stage_ok == 0
    assert _q(con, "select count(*) from a.raw_billing.subscriptions where ended_at is null") > 0
    assert (
        _q(con, "select count(*) from a.raw_billing.payment_attempts where status = 'failed'") > 0
    )


@pytest.mark.postgres
def test_postgres_load_matches_duckdb(tmp_path):
    from saas_metrics.pg_cluster import PostgresUnavailable, ThrowawayCluster
    from saas_metrics.warehouse import connect_postgres

    try:
        cluster = ThrowawayCluster().start()
    except PostgresUnavailable as exc:  # pragma: no cover - depends on the machine
        pytest.skip(str(exc))
    try:
        args = {
            "accounts": 25,
            "days": 60,
            "as_of": AS_OF,
            "seed": 3,
            "faults": 0.05,
            "manifest_path": None,
        }
        m_pg = generate(target="postgres", pg_env=cluster.env, **args)
        m_dd = generate(target="duckdb", duckdb_path=tmp_path / "pg_twin.duckdb", **args)
        assert m_pg["tables"] == m_dd["tables"]
        dd = duckdb.connect(str(tmp_path / "pg_twin.duckdb"))
        dd.execute("SET TimeZone = 'UTC'")
        pg = connect_postgres(cluster.env)
        with pg.cursor() as cur:
            for t in CONTRACT.tables:
                cur.execute(f"select count(*) from {t.qualified}")
                assert (
                    cur.fetchone()[0]
                    == dd.execute(f"select count(*) from {t.qualified}").fetchone()[0]
                )
                cur.execute(
                    "select data_type from information_schema.columns where table_schema = %s "
                    "and table_name = %s and column_name = '_loaded_at'",
                    (t.schema, t.name),
                )
                assert cur.fetchone()[0] == "timestamp with time zone"
            sample = (
                "select invoice_id, amount_due::text, extract(epoch from issued_at)::bigint, "
                "extract(epoch from paid_at)::bigint, status from raw_billing.invoices "
                "where invoice_id is not null order by invoice_id, _loaded_at limit 50"
            )
            cur.execute(sample)
            assert cur.fetchall() == dd.execute(sample.replace("::text", "::varchar")).fetchall()
            sample = (
                "select device_id, stat_date::text, health_score::text, volume_processed_gb::text "
                "from raw_activity.device_daily_stats order by 1, 2, 3, 4 limit 50"
            )
            cur.execute(sample)
            assert cur.fetchall() == dd.execute(sample.replace("::text", "::varchar")).fetchall()
            sample = (
                "select currency, rate_date::text, usd_per_unit::text from raw_billing.exchange_rates "
                "where currency = 'EUR' order by 2 limit 20"
            )
            cur.execute(sample)
            assert cur.fetchall() == dd.execute(sample.replace("::text", "::varchar")).fetchall()
        pg.close()
        dd.close()
    finally:
        cluster.stop()


def test_installed_base_has_billing_and_product_history_before_the_window(runs):
    con, manifests = runs
    window_start = f"date '{AS_OF}' - interval {manifests['a']['days'] - 1} day"
    before_window = _q(
        con,
        f"select count(*) from a.raw_billing.accounts where created_at < {window_start}",
    )
    assert before_window == round(0.2 * manifests["a"]["accounts"])
    paying_at_window_start = _q(
        con,
        "select count(distinct account_id) from a.raw_billing.subscriptions "
        f"where started_at < {window_start} and coalesce(ended_at, {window_start}) >= "
        f"{window_start}",
    )
    assert paying_at_window_start >= 0.15 * manifests["a"]["accounts"]
    assert _q(
        con, f"select count(*) from a.raw_billing.invoices where issued_at < {window_start}"
    ) > 0
    # the installed base used the product before the window too, and nobody uses it
    # before signing up
    assert _q(
        con, f"select count(*) from a.raw_activity.sessions where started_at < {window_start}"
    ) > 0
    assert _q(
        con,
        "select count(*) from a.raw_activity.sessions as sessions "
        "inner join a.raw_activity.users as users on sessions.user_id = users.user_id "
        "where sessions.started_at < users.signed_up_at",
    ) == 0


def test_seats_change_over_time_and_conversion_paths_vary(runs):
    con, _ = runs
    quantities, accounts_with_seat_changes = con.execute(
        """
        select count(distinct quantity),
               count(distinct account_id) filter (where seat_changes > 0)
        from (
            select account_id, quantity,
                   count(*) over (partition by account_id)
                   - count(*) over (partition by account_id, quantity) as seat_changes
            from a.raw_billing.subscriptions
        )
        """
    ).fetchone()
    assert quantities >= 10 and accounts_with_seat_changes >= 3
    # trials of different lengths, or none: days from signup to the first subscription
    assert _q(
        con,
        """
        select count(distinct date_diff('day', cast(accounts.created_at as date),
                                        cast(first_start as date)))
        from a.raw_billing.accounts as accounts
        inner join (select account_id, min(started_at) as first_start
                    from a.raw_billing.subscriptions group by account_id) as firsts
            on accounts.account_id = firsts.account_id
        """,
    ) >= 5


def test_touchpoints_link_only_to_campaigns_running_at_the_touch(runs):
    con, _ = runs
    outside = _q(
        con,
        """
        select count(*) from a.raw_marketing.touchpoints as touchpoints
        inner join a.raw_marketing.campaigns as campaigns
            on touchpoints.campaign_id = campaigns.campaign_id
        where touchpoints.touched_at < campaigns.started_at
           or touchpoints.touched_at >= campaigns.ended_at
        """,
    )
    assert outside == 0


def test_unpaid_net_terms_invoices_are_written_off_not_open_forever(runs):
    con, _ = runs
    stale_open = _q(
        con,
        f"""
        select count(*) from a.raw_billing.invoices
        where status = 'open' and due_at < timestamptz '{AS_OF} 00:00:00+00' - interval 100 day
        """,
    )
    assert stale_open == 0
