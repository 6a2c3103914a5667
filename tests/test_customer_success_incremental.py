"""metrics_customer_success built incrementally equals a full rebuild, row for row.

The raw data is generated up to day D. The first build uses as_of_date = D - 5, so the last
five days of raw rows are quarantined as future_timestamp; the second, incremental build
uses as_of_date = D, so those rows move into staging and the mart appends the new days
(recomputing the late-data lookback). A --full-refresh at D must give the same table.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from conftest import TEST_AS_OF, build_warehouse

SELECTION = ["-s", "+metrics_customer_success"]
FUTURE_SESSIONS = ("select count(*) from staging.base_activity__sessions"
                   " where quarantine_reason = 'future_timestamp'")


def _mart(warehouse) -> pd.DataFrame:
    frame = warehouse.frame("select * from metrics_customer_success")
    return frame.sort_values(["metric_date", "account_id"]).reset_index(drop=True)


def test_incremental_build_after_new_days_equals_full_refresh_row_for_row(tmp_path):
    as_of = TEST_AS_OF
    earlier = as_of - dt.timedelta(days=5)
    # generate up to D; "parse" only, the builds below choose their own as-of day
    warehouse = build_warehouse(tmp_path, "cs_incremental", "duckdb", as_of=as_of,
                                build_args=["parse"])

    warehouse.dbt(["run", *SELECTION, "--full-refresh"], dbt_vars={"as_of_date": str(earlier)})
    first = _mart(warehouse)
    assert pd.Timestamp(first.metric_date.max()).date() == earlier
    future = warehouse.query(
        FUTURE_SESSIONS)[0][0]
    assert future > 0, "rows after the first as-of day must start in quarantine"

    result = warehouse.dbt(["run", *SELECTION])
    mart_result = next(item for item in result.run_results()["results"]
                       if item["unique_id"].endswith(".metrics_customer_success"))
    # the incremental path ran: the rebuild starts from the table's own last day
    assert "select max(metric_date) from" in mart_result["compiled_code"]
    incremental = _mart(warehouse)
    assert pd.Timestamp(incremental.metric_date.max()).date() == as_of
    assert len(incremental) > len(first)
    assert warehouse.query(
        FUTURE_SESSIONS)[0][0] < future

    warehouse.dbt(["run", "-s", "metrics_customer_success", "--full-refresh"])
    full = _mart(warehouse)

    assert list(incremental.columns) == list(full.columns)
    assert len(incremental) == len(full)
    pd.testing.assert_frame_equal(incremental, full, check_exact=True)
