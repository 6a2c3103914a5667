-- A/B experiments per day, experiment and variant, cumulative from the experiment's first
-- exposure to the day: exposed users, converted users, conversion rate, and the lift over
-- control with a two-proportion z-test. The last day (the as-of day) is the current
-- read-out. Small (experiments x variants x days), so it is rebuilt in full.
with

experiment_exposures as (
    select * from {{ ref('stg_marketing__experiment_exposures') }}
),

experiment_conversions as (
    select * from {{ ref('stg_marketing__experiment_conversions') }}
),

calendar_days as (
    select * from {{ ref('int_calendar_days') }}
),

-- a user is in the variant of their first exposure to the experiment
first_exposures as (
    select
        experiment_key,
        variant,
        user_id,
        exposed_at
    from (
        select
            experiment_key,
            variant,
            user_id,
            exposed_at,
            row_number() over (
                partition by experiment_key, user_id order by exposed_at, exposure_id
            ) as exposure_rank
        from experiment_exposures
        where exposed_at < {{ as_of_end() }}
    ) as ranked_exposures
    where exposure_rank = 1
),

-- a conversion counts once per user, and only at or after the user's exposure: earlier
-- conversions were not caused by what the variant showed
first_conversions as (
    select
        first_exposures.experiment_key,
        first_exposures.variant,
        first_exposures.user_id,
        min(experiment_conversions.converted_at) as converted_at,
        sum(experiment_conversions.conversion_value_usd) as conversion_value_usd
    from first_exposures
    inner join experiment_conversions
        on
            first_exposures.experiment_key = experiment_conversions.experiment_key
            and first_exposures.user_id = experiment_conversions.user_id
            and first_exposures.exposed_at <= experiment_conversions.converted_at
            and experiment_conversions.converted_at < {{ as_of_end() }}
    group by first_exposures.experiment_key, first_exposures.variant, first_exposures.user_id
),

experiment_variants as (
    select
        experiment_key,
        variant,
        min(cast(min(exposed_at) as date)) over (partition by experiment_key) as experiment_start_date
    from first_exposures
    group by experiment_key, variant
),

-- every variant gets a row from the experiment's first day, so a variant that has not
-- been shown yet reads as zero exposures (and a NULL rate), not as a missing row
variant_days as (
    select
        experiment_variants.experiment_key,
        experiment_variants.variant,
        calendar_days.date_day
    from experiment_variants
    inner join calendar_days
        on experiment_variants.experiment_start_date <= calendar_days.date_day
),

exposures_per_day as (
    select
        experiment_key,
        variant,
        cast(exposed_at as date) as date_day,
        count(*) as exposures
    from first_exposures
    group by experiment_key, variant, cast(exposed_at as date)
),

conversions_per_day as (
    select
        experiment_key,
        variant,
        cast(converted_at as date) as date_day,
        count(*) as conversions,
        sum(conversion_value_usd) as conversion_value_usd
    from first_conversions
    group by experiment_key, variant, cast(converted_at as date)
),

cumulative as (
    select
        variant_days.experiment_key,
        variant_days.variant,
        variant_days.date_day,
        sum(coalesce(exposures_per_day.exposures, 0)) over (
            partition by variant_days.experiment_key, variant_days.variant
            order by variant_days.date_day
            rows between unbounded preceding and current row
        ) as exposures,
        sum(coalesce(conversions_per_day.conversions, 0)) over (
            partition by variant_days.experiment_key, variant_days.variant
            order by variant_days.date_day
            rows between unbounded preceding and current row
        ) as conversions,
        sum(coalesce(conversions_per_day.conversion_value_usd, 0)) over (
            partition by variant_days.experiment_key, variant_days.variant
            order by variant_days.date_day
            rows between unbounded preceding and current row
        ) as conversion_value_usd
    from variant_days
    left join exposures_per_day
        on
            variant_days.experiment_key = exposures_per_day.experiment_key
            and variant_days.variant = exposures_per_day.variant
            and variant_days.date_day = exposures_per_day.date_day
    left join conversions_per_day
        on
            variant_days.experiment_key = conversions_per_day.experiment_key
            and variant_days.variant = conversions_per_day.variant
            and variant_days.date_day = conversions_per_day.date_day
),

with_control as (
    select
        cumulative.*,
        control.exposures as control_exposures,
        control.conversions as control_conversions,
        {{ safe_divide('cumulative.conversions', 'cumulative.exposures') }} as conversion_ratio,
        {{ safe_divide('control.conversions', 'control.exposures') }} as control_conversion_ratio,
        -- pooled rate under the null hypothesis that the variant converts like control
        {{ safe_divide('cumulative.conversions + control.conversions',
                       'cumulative.exposures + control.exposures') }} as pooled_ratio
    from cumulative
    left join cumulative as control
        on
            cumulative.experiment_key = control.experiment_key
            and cumulative.date_day = control.date_day
            and control.variant = '{{ var("experiment_control_variant") }}'
),

z_tests as (
    select
        *,
        case
            when
                variant != '{{ var("experiment_control_variant") }}'
                and exposures > 0 and control_exposures > 0
                and pooled_ratio > 0 and pooled_ratio < 1
                then (conversion_ratio - control_conversion_ratio) / sqrt(
                    pooled_ratio * (1 - pooled_ratio)
                    * (1.0 / exposures + 1.0 / control_exposures)
                )
        end as z_score
    from with_control
),

final as (
    select
        date_day as metric_date,
        cast(experiment_key as {{ dbt.type_string() }}) as experiment_key,
        cast(variant as {{ dbt.type_string() }}) as variant,
        cast(variant = '{{ var("experiment_control_variant") }}' as boolean) as is_control,
        cast(exposures as bigint) as exposures,
        cast(conversions as bigint) as conversions,
        cast(conversion_value_usd as numeric(38, 6)) as conversion_value_usd,
        cast(100.0 * conversion_ratio as {{ type_double() }}) as conversion_rate_pct,
        cast(100.0 * control_conversion_ratio as {{ type_double() }}) as control_conversion_rate_pct,
        cast(
            case
                when variant != '{{ var("experiment_control_variant") }}'
                    then {{ pct_change('conversion_ratio', 'control_conversion_ratio') }}
            end
            as {{ type_double() }}
        ) as lift_pct,
        cast(z_score as {{ type_double() }}) as z_score,
        cast({{ two_sided_normal_p_value('z_score') }} as {{ type_double() }}) as p_value,
        cast(
            {{ two_sided_normal_p_value('z_score') }} < {{ var('experiment_significance_level') }}
            as boolean
        ) as is_significant
    from z_tests
)

select * from final
