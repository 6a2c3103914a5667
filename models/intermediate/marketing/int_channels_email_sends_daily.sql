-- Marketing email sends (the email channel's own sends, not the sales reps' logged
-- emails: those are metrics_sales.emails_sent_30d) over the 30 days ending on each UTC
-- day, and how many of them had been opened or clicked by the end of the day. Every send
-- belongs to the email channel.
with

email_sends as (
    select * from {{ ref('stg_marketing__email_sends') }}
),

sends_dated as (
    select
        'email' as channel,
        cast(sent_at as date) as sent_date,
        cast(opened_at as date) as opened_date,
        cast(clicked_at as date) as clicked_date,
        1 as marketing_emails_sent
    from email_sends
),

final as (
    {{ trailing_window_sums('sends_dated', ['channel'], [
        {'column': 'marketing_emails_sent', 'days': 30, 'name': 'marketing_emails_sent_30d'},
        {'column': 'marketing_emails_sent', 'days': 30, 'name': 'marketing_emails_opened_30d',
         'reached_by': 'opened_date'},
        {'column': 'marketing_emails_sent', 'days': 30, 'name': 'marketing_emails_clicked_30d',
         'reached_by': 'clicked_date'},
    ], date_column='sent_date') }}
)

select * from final
