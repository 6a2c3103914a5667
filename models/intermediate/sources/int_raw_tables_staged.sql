-- Rows staged per raw table (and per loader table), for the partial-sources rule: a
-- metric whose raw tables have no staged rows is NULL in its mart
-- (macros/metrics/metrics_without_data.sql, seeds/metric_raw_requirements.csv). The marts
-- and the unified layer read this, so they depend on intermediates only, never on staging.
with

row_reconciliation as (
    select * from {{ ref('stg_row_reconciliation') }}
),

final as (
    select
        source_table,
        staged_rows
    from row_reconciliation
)

select * from final
