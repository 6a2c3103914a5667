{{ config(enabled=loader_enabled('fivetran_stripe')) }}
-- The price and quantity history of every subscription item: one row per state, from
-- the instant it began to the instant the next one began. subscription_item holds only
-- the current state, so, like Fivetran's dbt_stripe, the history comes from the invoice
-- lines (the rule, docs/loaders/fivetran_stripe.md):
--   - a subscription line bills a price and quantity from its period_start;
--   - a proration line marks a change in the middle of a period: the line that bills
--     (amount >= 0) starts the new state at its period_start, the credit (amount < 0)
--     for "unused time" ends the old one there; when both fall on one instant for one
--     item (a quantity change), the billed line wins;
--   - a state lasts until the item's next one. The last state of an item that is still
--     on its subscription stays open (the subscription's end closes it); that of a
--     removed item (_fivetran_deleted, e.g. the old item of an upgrade) ends with the
--     period its last line billed, unless a credit ended it earlier;
--   - an item that no invoice line mentions yet bills its current price and quantity
--     from its creation.
with

lines as (
    select * from {{ ref('fivetran_stripe__invoice_line_item_rows') }}
    where row_status = 'used'
),

items as (
    select * from {{ ref('fivetran_stripe__subscription_item_rows') }}
),

items_with_lines as (
    select distinct subscription_item_id
    from lines
),

line_events as (
    select
        subscription_id,
        subscription_item_id,
        period_start as changed_at,
        case when is_proration and amount < 0 then 0 else 1 end as is_billed,
        price_id,
        quantity,
        period_end as billed_until,
        synced_at,
        invoice_line_item_id as event_key
    from lines
),

item_events as (
    select
        items.subscription_id,
        items.subscription_item_id,
        items.created_at as changed_at,
        1 as is_billed,
        items.price_id,
        items.quantity,
        cast(null as {{ dbt.type_timestamp() }}) as billed_until,
        items.synced_at,
        items.subscription_item_id as event_key
    from items
    left join items_with_lines
        on items.subscription_item_id = items_with_lines.subscription_item_id
    where
        items.row_status = 'used'
        and items_with_lines.subscription_item_id is null
),

events as (
    select * from line_events
    union all
    select * from item_events
),

events_ranked as (
    select
        events.*,
        row_number() over (
            partition by events.subscription_item_id, events.changed_at
            order by events.is_billed desc, events.synced_at desc, events.event_key desc
        ) as event_rank
    from events
),

sequenced as (
    select
        events_ranked.*,
        lead(events_ranked.changed_at) over (
            partition by events_ranked.subscription_item_id
            order by events_ranked.changed_at
        ) as next_changed_at
    from events_ranked
    where events_ranked.event_rank = 1
),

-- still on its subscription: in subscription_item and not deleted there
live_items as (
    select subscription_item_id
    from items
    where row_status <> 'set_aside'
),

final as (
    select
        sequenced.subscription_id,
        sequenced.subscription_item_id,
        sequenced.price_id,
        sequenced.quantity,
        sequenced.changed_at as state_started_at,
        case
            when sequenced.next_changed_at is not null then sequenced.next_changed_at
            when live_items.subscription_item_id is not null then null
            else sequenced.billed_until
        end as state_ended_at
    from sequenced
    left join live_items
        on sequenced.subscription_item_id = live_items.subscription_item_id
    where sequenced.is_billed = 1
)

select * from final
