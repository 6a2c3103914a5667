{{ config(enabled=loader_enabled('fivetran_stripe')) }}
-- Stripe prices and legacy plans as one list of recurring prices. Stripe gives a plan's
-- price the plan's id, so a plan whose id is also a price is the same object: the price
-- wins and the plan row is set aside. Test-mode rows are set aside; deleted or archived
-- prices stay (the subscriptions that bill them still do). A price the contract cannot
-- express (one-time, tiered without a unit amount, metered) is kept but not usable:
-- the items and lines that bill it are quarantined as unknown_price.
with

price as (
    {{ raw_table_select('fivetran_stripe', 'price', warn=true) }}
),

plan as (
    {{ raw_table_select('fivetran_stripe', 'plan', warn=true) }}
),

product_rows as (
    select * from {{ ref('fivetran_stripe__product_rows') }}
),

unioned as (
    select
        'fivetran_stripe.price' as source_table,
        1 as table_priority,
        id,
        currency,
        unit_amount,
        recurring_interval,
        recurring_interval_count,
        recurring_usage_type,
        product_id,
        {{ json_text('metadata', 'plan_tier') }} as metadata_plan_tier,
        livemode,
        _fivetran_synced
    from price
    union all
    select
        'fivetran_stripe.plan' as source_table,
        2 as table_priority,
        id,
        currency,
        amount as unit_amount,
        interval as recurring_interval,
        interval_count as recurring_interval_count,
        usage_type as recurring_usage_type,
        product_id,
        {{ json_text('metadata', 'plan_tier') }} as metadata_plan_tier,
        livemode,
        _fivetran_synced
    from plan
),

ranked as (
    select
        unioned.*,
        row_number() over (
            partition by unioned.id
            order by unioned.table_priority asc, unioned._fivetran_synced desc
        ) as id_rank
    from unioned
),

final as (
    select
        ranked.source_table,
        coalesce(ranked.id, 'null') as record_key,
        case
            when not coalesce(ranked.livemode, true) or ranked.id_rank > 1 then 'set_aside'
            else 'used'
        end as row_status,
        cast(null as {{ dbt.type_string() }}) as quarantine_reason,
        {{ fivetran_stripe_record_text(['id', 'currency', 'unit_amount', 'recurring_interval',
            'recurring_interval_count', '_fivetran_synced']) }} as record_text,
        cast(ranked._fivetran_synced as {{ dbt.type_timestamp() }}) as loaded_at,
        ranked.id as price_id,
        upper(ranked.currency) as currency,
        {{ fivetran_stripe_contract_interval('ranked.recurring_interval') }} as billing_interval,
        -- what one unit costs per billing of the price (an amount coupon is a share of it)
        {{ fivetran_stripe_major_units('ranked.unit_amount', 'ranked.currency') }}
            as unit_amount_per_billing,
        -- the contract's amount per month or year, rounded to the cent
        {{ double_to_numeric(
            fivetran_stripe_major_units('ranked.unit_amount', 'ranked.currency')
            ~ ' * ' ~ fivetran_stripe_interval_factor(
                'ranked.recurring_interval', 'ranked.recurring_interval_count'),
            18, 2
        ) }} as list_amount,
        coalesce(
            ranked.metadata_plan_tier,
            product_rows.plan_tier,
            '{{ var("fivetran_stripe_default_plan_tier", "starter") }}'
        ) as plan_tier,
        (
            ranked.unit_amount is not null
            and lower(ranked.recurring_interval) in ('day', 'week', 'month', 'year')
            and coalesce(ranked.recurring_usage_type, 'licensed') = 'licensed'
        ) as is_usable
    from ranked
    left join product_rows
        on ranked.product_id = product_rows.product_id
)

select * from final
