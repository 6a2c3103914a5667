-- Every alert row really crosses its rule's threshold, and carries the rule's current
-- severity: a row here is an alert that should not have fired as recorded.
with

metrics_alerts as (
    select * from {{ ref('metrics_alerts') }}
),

alert_thresholds as (
    select * from {{ ref('alert_thresholds') }}
)

select metrics_alerts.*
from metrics_alerts
left join alert_thresholds
    on metrics_alerts.alert_name = alert_thresholds.alert_name
where
    alert_thresholds.alert_name is null
    or metrics_alerts.severity <> alert_thresholds.severity
    or metrics_alerts.threshold_value <> alert_thresholds.threshold_value
    or not (
        (alert_thresholds.comparison = 'gt' and metrics_alerts.metric_value > alert_thresholds.threshold_value)
        or (alert_thresholds.comparison = 'gte' and metrics_alerts.metric_value >= alert_thresholds.threshold_value)
        or (alert_thresholds.comparison = 'lt' and metrics_alerts.metric_value < alert_thresholds.threshold_value)
        or (alert_thresholds.comparison = 'lte' and metrics_alerts.metric_value <= alert_thresholds.threshold_value)
    )
