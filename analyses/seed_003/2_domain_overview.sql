SELECT 
    domain,
    metric_name,
    AVG(metric_value) as avg_value,
    COUNT(DISTINCT entity_id) as entity_count
FROM metrics_unified_domains
WHERE metric_date = CURRENT_DATE
  AND importance_tier = 'tier_1'
GROUP BY domain, metric_name
ORDER BY domain, avg_value DESC;
