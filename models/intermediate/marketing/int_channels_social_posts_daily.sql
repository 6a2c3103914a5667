-- Organic social posts belong to the organic channel: impressions and engagements of the
-- posts published in the 30 days ending on each UTC day. The source holds each post's
-- lifetime counts as loaded (no daily history), so these can move for past days when
-- the counts grow.
with

social_posts as (
    select * from {{ ref('stg_marketing__social_posts') }}
),

posts_dated as (
    select
        'organic' as channel,
        cast(posted_at as date) as posted_date,
        impressions as social_impressions,
        engagements as social_engagements
    from social_posts
),

final as (
    {{ trailing_window_sums('posts_dated', ['channel'], [
        ('social_impressions', 30), ('social_engagements', 30),
    ], date_column='posted_date') }}
)

select * from final
