{#
    Least privilege on PostgreSQL. metrics_reader is the role Superset and analysts read
    through: a NOLOGIN group role with USAGE on the public marts' schema and, through
    dbt `grants` (dbt_project.yml, marts only), SELECT on each public model. It gets
    nothing on raw_*, staging, intermediate or reference, and owns nothing, so it can
    neither create nor write. Login users are made members of it by a DBA (or
    saas_metrics.quality.roles.create_reader_login, which reads the password from the
    environment); no password ever appears in this project.

    on-run-start calls ensure_metrics_reader_role(); on DuckDB it renders nothing.
#}
{% macro metrics_reader_role() -%}
    {{ return(env_var('METRICS_READER_ROLE', 'metrics_reader')) }}
{%- endmacro %}


{% macro metrics_reader_grantees() -%}
    {#- the grantee list for dbt grants: the reader role on Postgres, nobody elsewhere -#}
    {{ return([metrics_reader_role()] if target.type == 'postgres' else []) }}
{%- endmacro %}


{% macro ensure_metrics_reader_role() -%}
    {%- if target.type == 'postgres' -%}
        {%- set role = metrics_reader_role() -%}
        -- roles are cluster-wide: two builds may race to create it, so tolerate that; the
        -- schema exists on run and build (dbt creates schemas before this hook), not on test
        do $$
        begin
            begin
                if not exists (select 1 from pg_roles where rolname = '{{ role }}') then
                    create role {{ role }} nologin;
                end if;
            exception when duplicate_object or unique_violation then null;
            end;
            if exists (select 1 from pg_namespace where nspname = '{{ target.schema }}') then
                grant usage on schema {{ target.schema }} to {{ role }};
            end if;
        end
        $$
    {%- else -%}
        select 1 as no_roles_on_this_engine
    {%- endif -%}
{%- endmacro %}
