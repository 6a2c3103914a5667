-- Conversions credited to each channel (int_marketing_conversions_attributed, var
-- attribution_model) per UTC day of conversion and over the 30 days ending on the day:
-- the parts of attributed_revenue, overall_roi, customer_acquisition_cost and
-- avg_touchpoints_to_conversion. Credits are fractional under linear attribution.
with

marketing_conversions_attributed as (
    select * from {{ ref('int_marketing_conversions_attributed') }}
),

credited_conversions as (
    select
        channel,
        conversion_date,
        attributed_revenue_usd,
        credit as attributed_customers,
        credit * touch_count as credited_touches
    from marketing_conversions_attributed
),

final as (
    {{ trailing_window_sums('credited_conversions', ['channel'], [
        ('attributed_revenue_usd', 30), ('attributed_customers', 30), ('credited_touches', 30),
    ], date_column='conversion_date') }}
)

select * from final
