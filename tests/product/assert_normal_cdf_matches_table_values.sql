-- The SQL normal CDF (macros/metrics/statistics.sql) against printed table values of the
-- standard normal distribution; the approximation is good to 1.5e-7. Rows are failures.
with

table_values as (
    select
        printed_table.x,
        printed_table.expected_cdf
    from (
        values
        (-3.0, 0.0013498980),
        (-1.0, 0.1586552539),
        (0.0, 0.5),
        (1.0, 0.8413447461),
        (1.644854, 0.95),
        (1.959964, 0.975),
        (2.575829, 0.995)
    ) as printed_table (x, expected_cdf)
),

compared as (
    select
        x,
        expected_cdf,
        {{ normal_cdf('x') }} as sql_cdf
    from table_values
)

select * from compared
where abs(sql_cdf - expected_cdf) > 0.0000002
