{{
    config(
        materialized='incremental',
        unique_key=['date_day'],
        incremental_strategy='delete+insert',
        on_schema_change='fail'
    )
}}

-- Survey answers per account and day, point in time, over trailing windows ending on the
-- day: the additive parts of NPS ([d-89, d]) and CSAT ([d-29, d]) and the account's
-- scores built from them. Summed over accounts, the parts are the company's counts (every
-- answer belongs to an account), so a company NPS is sum(promoters - detractors) /
-- sum(responses) x 100: the same definition, never a second formula. The thresholds
-- below are the only place they are written (docs: _customer_success__docs.md).
{%- set nps_promoter_min_score = 9 %}
{%- set nps_detractor_max_score = 6 %}
with

-- Incremental by day (macros/metrics/incremental_days.sql): a run recomputes the
-- late-data lookback over the 89 days of account days and answers before it that the
-- 90-day window reaches back to.
account_days as (
    select * from {{ ref('int_account_days') }}
    where {{ recomputed_days_filter('date_day', 89) }}
),

survey_responses as (
    select * from {{ ref('stg_activity__survey_responses') }}
    where {{ recomputed_days_filter('cast(responded_at as date)', 89) }}
),

surveys_by_day as (
    select
        account_id,
        cast(responded_at as date) as response_date,
        sum(case when survey_type = 'nps' then 1 else 0 end) as nps_responses,
        sum(
            case
                when survey_type = 'nps' and score >= {{ nps_promoter_min_score }} then 1 else 0
            end
        ) as nps_promoters,
        sum(
            case
                when survey_type = 'nps' and score <= {{ nps_detractor_max_score }} then 1 else 0
            end
        ) as nps_detractors,
        sum(case when survey_type = 'csat' then 1 else 0 end) as csat_responses,
        sum(case when survey_type = 'csat' then score else 0 end) as csat_score_total
    from survey_responses
    group by account_id, cast(responded_at as date)
),

daily_inputs as (
    select
        account_days.account_id,
        account_days.date_day,
        {%- for column in ['nps_responses', 'nps_promoters', 'nps_detractors',
                           'csat_responses', 'csat_score_total'] %}
        coalesce(surveys_by_day.{{ column }}, 0) as {{ column }}
        {{- ',' if not loop.last }}
    {%- endfor %}
    from account_days
    left join surveys_by_day
        on
            account_days.account_id = surveys_by_day.account_id
            and account_days.date_day = surveys_by_day.response_date
),

{%- set trailing_rows = 'partition by account_id order by date_day'
                       ~ ' rows between %d preceding and current row' %}

-- the spine is dense per account, so "n - 1 preceding" is exactly an n-day window
windowed as (
    select
        account_id,
        date_day,
        {%- for column, days in [
            ('nps_responses', 90), ('nps_promoters', 90), ('nps_detractors', 90),
            ('csat_responses', 30), ('csat_score_total', 30),
        ] %}
        sum({{ column }}) over ({{ trailing_rows | format(days - 1) }}) as {{ column }}_{{ days }}d
        {{- ',' if not loop.last }}
    {%- endfor %}
    from daily_inputs
),

final as (
    select
        *,
        {{ safe_pct('nps_promoters_90d - nps_detractors_90d', 'nps_responses_90d') }}
            as nps_score,
        {{ safe_divide('csat_score_total_30d', 'csat_responses_30d') }} as csat_score
    from windowed
)

select * from final
where {{ recomputed_days_filter('date_day') }}
