-- Contract anniversaries of the rep's annual subscriptions due in the 90 days ending on
-- each UTC day, and how many of them renewed (int_subscription_renewals_dated).
with

subscription_renewals_dated as (
    select * from {{ ref('int_subscription_renewals_dated') }}
),

renewals as (
    select
        rep_id,
        renewal_date,
        1 as renewals_due,
        case when is_renewed then 1 else 0 end as renewals_renewed
    from subscription_renewals_dated
),

final as (
    {{ trailing_window_sums('renewals', ['rep_id'], [
        ('renewals_due', 90), ('renewals_renewed', 90),
    ], date_column='renewal_date') }}
)

select * from final
