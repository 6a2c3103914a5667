SELECT 
    metric_date,
    SUM(CASE WHEN metric_name = 'daily_active_users' THEN metric_value END) as dau,
    SUM(CASE WHEN metric_name = 'monthly_active_users' THEN metric_value END) as mau,
    SUM(CASE WHEN metric_name = 'dau_mau_ratio' THEN metric_value END) as stickiness
FROM metrics_unified_domains
WHERE domain = 'product'
  AND metric_date >= CURRENT_DATE - 30
GROUP BY metric_date
ORDER BY metric_date;
