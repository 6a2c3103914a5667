{{ config(enabled=loader_enabled('fivetran_stripe')) }}
-- Every row of Stripe's subscription_history (history mode) and subscription (older
-- connectors) tables, classified. Per subscription id one version is used: the active
-- history version (_fivetran_active), or the latest one when none is active; the
-- subscription table only when the history does not hold the id. Every other version is
-- set aside (the price and quantity history comes from invoice lines, not from these
-- versions). Also set aside: rows deleted at the source, test-mode rows, and
-- subscriptions that never started (incomplete, incomplete_expired: the first payment
-- never went through). A subscription with no customer is quarantined (no_account).
--
-- The paid period: a trial earns no MRR, so it starts when the trial ends; it ends when
-- the subscription ended, or, if it is set to cancel, when the cancellation takes effect
-- (cancel_at, or the current period's end for cancel at period end), never at the moment
-- the cancellation was requested (canceled_at).
with

subscription_history as (
    {{ raw_table_select('fivetran_stripe', 'subscription_history', warn=true) }}
),

subscription as (
    {{ raw_table_select('fivetran_stripe', 'subscription', warn=true) }}
),

unioned as (
    select
        'fivetran_stripe.subscription_history' as source_table,
        1 as table_priority,
        subscription_history.*
    from subscription_history
    union all
    select
        'fivetran_stripe.subscription' as source_table,
        2 as table_priority,
        subscription.*
    from subscription
),

ranked as (
    select
        unioned.*,
        row_number() over (
            partition by unioned.id
            order by
                unioned.table_priority asc,
                case when coalesce(unioned._fivetran_active, true) then 0 else 1 end,
                unioned._fivetran_start desc nulls last,
                unioned._fivetran_synced desc
        ) as version_rank
    from unioned
),

mapped as (
    select
        ranked.*,
        coalesce(ranked.start_date, ranked.created) as subscription_started_at,
        case
            when ranked.trial_end > coalesce(ranked.start_date, ranked.created)
                then ranked.trial_end
            else coalesce(ranked.start_date, ranked.created)
        end as paid_started_at,
        coalesce(
            ranked.ended_at,
            ranked.cancel_at,
            case when ranked.cancel_at_period_end then ranked.current_period_end end,
            -- a cancelled subscription without any end time ended when it was cancelled
            case when ranked.status = 'canceled' then ranked.canceled_at end
        ) as paid_ended_at
    from ranked
),

classified as (
    select
        mapped.*,
        case
            when mapped.version_rank > 1 then 'set_aside'
            when coalesce(mapped._fivetran_deleted, false) then 'set_aside'
            when not coalesce(mapped.livemode, true) then 'set_aside'
            when mapped.status in ('incomplete', 'incomplete_expired') then 'set_aside'
            when mapped.customer_id is null then 'quarantined'
            else 'used'
        end as row_status
    from mapped
),

final as (
    select
        source_table,
        coalesce(id, 'null')
        || case
            when source_table = 'fivetran_stripe.subscription_history'
                then '|' || coalesce(cast(_fivetran_start as {{ dbt.type_string() }}), 'null')
            else ''
        end as record_key,
        row_status,
        case when row_status = 'quarantined' then 'no_account' end as quarantine_reason,
        {{ fivetran_stripe_record_text(['id', 'customer_id', 'status', 'created', 'trial_end',
            'canceled_at', 'ended_at', '_fivetran_active', '_fivetran_synced']) }} as record_text,
        cast(_fivetran_synced as {{ dbt.type_timestamp() }}) as loaded_at,
        id as subscription_id,
        customer_id,
        status,
        paid_started_at,
        paid_ended_at,
        -- a reason only for a subscription that ends because it was cancelled
        case
            when paid_ended_at is not null then cancellation_details_feedback
        end as cancel_reason,
        _fivetran_synced as synced_at
    from classified
)

select * from final
