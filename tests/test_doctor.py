"""`saas-metrics doctor` and the build command's options, as a user runs them.

The doctor reads a team's raw schemas only (nothing is built), so these are fast: each
engine gets a database with a few billing tables, one table missing, one column missing
and one column of the wrong type.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import psycopg2
import pytest
from typer.testing import CliRunner

from conftest import load_raw_tables
from saas_metrics.cli import app
from saas_metrics.commands import build as build_command

LOADED = "2018-04-01 02:00:00+00"
ACCOUNT = {"account_id": 1, "plan_tier": "starter", "signup_channel": "direct", "region": "na",
           "segment": "smb", "created_at": "2018-01-01 00:00:00+00", "_loaded_at": LOADED}
SUBSCRIPTIONS = [
    {"subscription_id": 1, "account_id": 1, "plan_tier": "starter", "billing_interval": "month",
     "currency": "USD", "list_amount": 100, "quantity": 1, "started_at": "2018-01-01 00:00:00+00",
     "_loaded_at": LOADED},
    # a period that ends before it starts: the doctor counts it as staging would
    {"subscription_id": 2, "account_id": 1, "plan_tier": "starter", "billing_interval": "month",
     "currency": "USD", "list_amount": 100, "quantity": 1, "started_at": "2018-02-01 00:00:00+00",
     "ended_at": "2018-01-01 00:00:00+00", "_loaded_at": LOADED},
]


def _broken_raw_schemas(target: str, env: dict[str, str]) -> None:
    """billing: accounts and subscriptions fine, invoices without due_at, payment_attempts
    with a text amount; exchange_rates missing; no other schema."""
    load_raw_tables(target, env, {
        "billing.accounts": [ACCOUNT], "billing.subscriptions": SUBSCRIPTIONS,
        "billing.invoices": [], "billing.payment_attempts": [],
    })
    statements = [
        "alter table raw_billing.invoices drop column due_at",
        "alter table raw_billing.payment_attempts drop column amount",
        "alter table raw_billing.payment_attempts add column amount text",
    ]
    if target == "duckdb":
        conn = duckdb.connect(env["METRICS_DUCKDB_PATH"])
        for statement in statements:
            conn.execute(statement)
        conn.close()
    else:
        conn = psycopg2.connect(host=env["PGHOST"], port=env["PGPORT"], user=env["PGUSER"],
                                dbname=env["PGDATABASE"])
        with conn.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
        conn.commit()
        conn.close()


def _run_cli(args: list[str], env: dict[str, str], tmp_path: Path):
    full_env = {**os.environ, **env, "COLUMNS": "200", "DBT_TARGET_PATH": str(tmp_path / "target")}
    return subprocess.run([sys.executable, "-m", "saas_metrics.cli", *args], env=full_env,
                           text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


@pytest.fixture(params=["duckdb", "postgres"])
def broken_env(request, tmp_path) -> tuple[str, dict[str, str]]:
    target = request.param
    if target == "duckdb":
        env = {"METRICS_DUCKDB_PATH": str(tmp_path / "raw.duckdb")}
    else:
        cluster = request.getfixturevalue("pg_cluster")
        name = f"doctor_{abs(hash(str(tmp_path))) % 10**8}"
        cluster.create_database(name)
        env = {**cluster.env, "PGDATABASE": name}
    _broken_raw_schemas(target, env)
    return target, env


def test_doctor_names_each_missing_table_missing_column_and_wrong_type_and_exits_1(
    broken_env, tmp_path,
):
    target, env = broken_env
    result = _run_cli(["doctor", "--target", target, "--as-of", "2018-03-31"], env, tmp_path)
    out = " ".join(result.stdout.split())  # table cells wrap: compare on single spaces
    assert result.returncode == 1, result.stdout
    assert "billing.invoices.due_at" in out and "column due_at (timestamptz) is missing" in out
    assert "billing.payment_attempts.amount" in out
    assert "the contract wants numeric(18,2)" in out
    assert "no table raw_billing.exchange_rates" in out
    assert "schema raw_crm does not exist" in out
    # rows staging would quarantine, counted by reason, in the tables it can read
    assert "billing.subscriptions" in out and "period_ends_before_start 1" in out
    # which metrics each finding affects
    assert "ar_1_30" in out
    assert "2 error(s)" in out


def test_doctor_exits_0_when_only_warnings_remain(tmp_path):
    env = {"METRICS_DUCKDB_PATH": str(tmp_path / "raw.duckdb")}
    load_raw_tables("duckdb", env, {"billing.accounts": [ACCOUNT],
                                    "billing.subscriptions": SUBSCRIPTIONS})
    result = _run_cli(["doctor", "--as-of", "2018-03-31"], env, tmp_path)
    assert result.returncode == 0, result.stdout
    assert "no errors" in result.stdout


def test_doctor_on_a_missing_warehouse_file_says_what_to_do(tmp_path):
    env = {"METRICS_DUCKDB_PATH": str(tmp_path / "nowhere.duckdb")}
    result = _run_cli(["doctor"], env, tmp_path)
    assert result.returncode == 1
    assert "no warehouse file" in result.stdout and "METRICS_DUCKDB_PATH" in result.stdout


def test_build_passes_select_exclude_and_node_types_through_to_dbt(monkeypatch):
    calls = []
    monkeypatch.setattr(build_command, "run_dbt",
                        lambda args, **kwargs: calls.append((args, kwargs)))
    result = CliRunner().invoke(app, [
        "build", "--as-of", "2018-03-31", "--select", "staging", "--exclude", "tag:intraday",
        "--exclude-resource-type", "unit_test", "--resource-type", "model", "--no-summary",
    ])
    assert result.exit_code == 0, result.output
    args, kwargs = calls[0]
    assert args == ["build", "--select", "staging", "--exclude", "tag:intraday",
                    "--resource-type", "model", "--exclude-resource-type", "unit_test"]
    assert kwargs["dbt_vars"]["as_of_date"] == "2018-03-31"


def test_build_refuses_an_unknown_node_type_and_lists_the_valid_ones():
    result = CliRunner().invoke(app, ["build", "--exclude-resource-type", "unit_tests",
                                      "--no-summary"])
    assert result.exit_code == 1
    assert "unit_test" in result.output and "not a dbt node type" in result.output


# ------------------------------------------------------------------- loaders

def test_doctor_checks_a_loaders_tables_instead_of_the_contract_tables_it_maps(tmp_path):
    """With billing_loader=fivetran_stripe the doctor looks for Stripe's tables, not for
    raw_billing.accounts: a Stripe table without a column the mapping needs is an error
    naming it; a custom-field column named by a var is looked for under the var's value;
    the contract tables the mapping produces are not reported missing."""
    from loader_warehouse import load_loader_tables
    from loaders.fivetran_stripe import TABLES as STRIPE_TABLES

    env = {"METRICS_DUCKDB_PATH": str(tmp_path / "raw.duckdb")}
    customer = next(table for table in STRIPE_TABLES if table.name == "customer")
    without_created = type(customer)(customer.schema, customer.name,
                                     {name: data_type for name, data_type in customer.columns.items()
                                      if name != "created"}, [])
    others = [table for table in STRIPE_TABLES if table.name != "customer"]
    load_loader_tables("duckdb", env, [without_created, *others])
    args = ["doctor", "--target", "duckdb", "--as-of", "2024-03-31", "--no-rows",
            "--var", "billing_loader=fivetran_stripe"]
    result = _run_cli(args, env, tmp_path)
    out = " ".join(result.stdout.split())
    assert result.returncode == 1, result.stdout
    assert "fivetran_stripe.customer.created" in out
    assert "column created (timestamp) is missing" in out
    assert "docs/loaders/fivetran_stripe.md" in out
    # the mapped contract tables are produced by the mapping, so never "missing"
    assert "billing.accounts" not in out.replace("billing.accounts,", "")
    assert "no table raw_billing.subscriptions" not in out
    # exchange rates stay a contract table the team loads: reported missing (a warning)
    assert "no table raw_billing.exchange_rates" in out or "raw_billing does not exist" in out

    # an unknown loader name is an error that lists the valid ones
    result = _run_cli(["doctor", "--target", "duckdb", "--no-rows",
                       "--var", "billing_loader=stripe"], env, tmp_path)
    assert result.returncode == 1
    assert "Valid values: contract, fivetran_stripe" in " ".join(result.stdout.split())


def test_doctor_reads_a_custom_field_column_under_the_name_its_var_gives(tmp_path):
    """segment_account_trait names the users column with the billing key: the doctor looks
    for the column the var names (as dbt does), not for the var's text."""
    from loader_warehouse import load_loader_tables
    from loaders.segment import TABLES as SEGMENT_TABLES

    env = {"METRICS_DUCKDB_PATH": str(tmp_path / "raw.duckdb")}
    renamed = []
    for table in SEGMENT_TABLES:
        if table.name == "users":
            columns = {("billing_customer_id" if name == "account_id" else name): data_type
                       for name, data_type in table.columns.items()}
            table = type(table)(table.schema, table.name, columns, [])
        renamed.append(type(table)(table.schema, table.name, table.columns, []))
    load_loader_tables("duckdb", env, renamed)
    base = ["doctor", "--target", "duckdb", "--as-of", "2024-03-31", "--no-rows",
            "--var", "activity_loader=segment"]
    result = _run_cli(base, env, tmp_path)
    out = " ".join(result.stdout.split())
    assert result.returncode == 1 and "segment.users.account_id" in out, result.stdout
    result = _run_cli([*base, "--var", "segment_account_trait=billing_customer_id"], env, tmp_path)
    out = " ".join(result.stdout.split())
    assert result.returncode == 0, result.stdout  # only warnings: other sources are absent
    assert "segment.users.account_id" not in out and "billing_customer_id" not in out
    assert "{{" not in out
