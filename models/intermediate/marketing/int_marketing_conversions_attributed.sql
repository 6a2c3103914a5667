-- Attribution: the credit each channel gets for each conversion, under the attribution
-- model chosen by the var attribution_model (first_touch, last_touch or linear).
-- A conversion is a lead's account becoming a paying customer: the account's first day
-- with MRR > 0. Its revenue is the MRR of that first paid day (first-month MRR, USD),
-- known on the day itself, so a day's attributed revenue never waits on later data.
-- The journey is the lead's touchpoints up to the moment it converted into the account;
-- a conversion without any touchpoint (direct signups) gets no attribution.
-- One row per conversion and credited channel; credits of a conversion add up to 1.
{%- set attribution_model = var('attribution_model', 'linear') %}
{%- if attribution_model not in ['first_touch', 'last_touch', 'linear'] %}
    {{ exceptions.raise_compiler_error(
        "var attribution_model must be first_touch, last_touch or linear, got "
        ~ attribution_model) }}
{%- endif %}
with

leads as (
    select * from {{ ref('stg_crm__leads') }}
),

touchpoints as (
    select * from {{ ref('stg_marketing__touchpoints') }}
),

account_mrr_daily as (
    select * from {{ ref('int_account_mrr_daily') }}
),

-- one converting lead per account (the first), so an account's revenue counts once
converting_leads as (
    select
        lead_id,
        converted_account_id as account_id,
        converted_at
    from (
        select
            lead_id,
            converted_account_id,
            converted_at,
            row_number() over (
                partition by converted_account_id order by converted_at, lead_id
            ) as lead_rank
        from leads
        where converted_account_id is not null and converted_at is not null
    ) as ranked_leads
    where lead_rank = 1
),

first_paid_days as (
    select
        account_id,
        min(date_day) as first_paid_date
    from account_mrr_daily
    where mrr_usd > 0
    group by account_id
),

conversions as (
    select
        converting_leads.lead_id,
        converting_leads.account_id,
        converting_leads.converted_at,
        first_paid_days.first_paid_date as conversion_date,
        account_mrr_daily.mrr_usd as conversion_revenue_usd
    from converting_leads
    inner join first_paid_days
        on converting_leads.account_id = first_paid_days.account_id
    inner join account_mrr_daily
        on
            first_paid_days.account_id = account_mrr_daily.account_id
            and first_paid_days.first_paid_date = account_mrr_daily.date_day
),

journey_touches as (
    select
        conversions.account_id,
        conversions.lead_id,
        conversions.conversion_date,
        conversions.conversion_revenue_usd,
        touchpoints.touchpoint_id,
        touchpoints.channel,
        row_number() over (
            partition by conversions.account_id
            order by touchpoints.touched_at, touchpoints.touchpoint_id
        ) as touch_number,
        count(*) over (partition by conversions.account_id) as touch_count
    from conversions
    inner join touchpoints
        on
            conversions.lead_id = touchpoints.lead_id
            and conversions.converted_at >= touchpoints.touched_at
),

touch_credits as (
    select
        account_id,
        lead_id,
        conversion_date,
        conversion_revenue_usd,
        channel,
        touch_count,
        -- the model is a literal here, so the SQL reads the same for all three
        case '{{ attribution_model }}'
            when 'first_touch' then case when touch_number = 1 then 1.0 else 0.0 end
            when 'last_touch' then case when touch_number = touch_count then 1.0 else 0.0 end
            else {{ safe_divide('1', 'touch_count') }}
        end as credit
    from journey_touches
),

final as (
    select
        account_id,
        lead_id,
        channel,
        conversion_date,
        cast(conversion_revenue_usd as numeric(38, 6)) as conversion_revenue_usd,
        cast(touch_count as bigint) as touch_count,
        cast(sum(credit) as {{ type_double() }}) as credit,
        -- credit is a double on both engines; round it to money the same way on both
        {{ double_to_numeric('sum(conversion_revenue_usd * credit)') }} as attributed_revenue_usd,
        '{{ attribution_model }}' as attribution_model
    from touch_credits
    group by account_id, lead_id, channel, conversion_date, conversion_revenue_usd, touch_count
    having sum(credit) > 0
)

select * from final
