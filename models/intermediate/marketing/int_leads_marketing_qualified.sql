-- The one definition of an MQL event: a lead becomes marketing-qualified on the UTC day
-- of its mql_at. Sales counts these per owning rep (int_reps_leads_daily), marketing
-- per source channel (int_channels_leads_daily): two groupings of the same events.
with

leads as (
    select * from {{ ref('stg_crm__leads') }}
),

final as (
    select
        lead_id,
        owner_rep_id,
        source_channel,
        mql_at,
        cast(mql_at as date) as mql_date,
        sql_at,
        cast(sql_at as date) as sql_date,
        1 as mql_count
    from leads
    where mql_at is not null
)

select * from final
