-- The SQL normal CDF (macros/metrics/statistics.sql) against printed table values of the
-- standard normal distribution; the approximation is good to 1.5e-7. Rows are failures.
with

table_values as (
    select -3.0 as x, 0.0013498980 as expected_cdf
    union all select -1.0, 0.1586552539
    union all select 0.0, 0.5
    union all select 1.0, 0.8413447461
    union all select 1.644854, 0.95
    union all select 1.959964, 0.975
    union all select 2.575829, 0.995
)

select
    x,
    expected_cdf,
    {{ normal_cdf('x') }} as sql_cdf
from table_values
where abs({{ normal_cdf('x') }} - expected_cdf) > 0.0000002
