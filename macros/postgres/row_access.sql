{#
    Row-level access on PostgreSQL (docs/row-level-access.md).

    Who sees what is data, never SQL: a reader login or group maps to scope rows
    (all | region | segment | team | account) in two places, read together:
      - metrics_access.reader_scopes: the managed table `saas-metrics reader add` writes
        (created here, outside every dbt-built schema, so no build ever drops or reloads it);
      - the seed reader_scopes (reference schema): declared defaults kept in the repo.
    int_access_scope_entities gives every account and sales rep the region, segment and
    sales team a scope can name.

    Every public model gets, in a post-hook, row-level security and one policy built from
    its `meta.row_access` (see row_access_using below). dbt-postgres runs inside-transaction
    post-hooks (and grants) before it commits the swap of a rebuilt table, so a new table
    is never visible without its policy. The owner (the builder) bypasses RLS, as do
    superusers; every other role sees only the rows its scope allows, and none without a
    scope row (deny by default).

    The policies call three SECURITY DEFINER functions, so a reader never needs (and never
    gets) select on the scopes or the dimension data. They take the reader's name
    (current_user in the policy) and answer only when the session user is, or is a member
    of, that role: a reader cannot ask what someone else may see. A policy calls each of
    them once per query (an uncorrelated sub-select), not once per row.

    On DuckDB (embedded, single user) all of this renders nothing.
#}
{% macro row_access_schema() -%}
    {{ return(env_var('METRICS_ACCESS_SCHEMA', 'metrics_access')) }}
{%- endmacro %}


{% macro _row_access_relation(model_name) -%}
    {#- the relation dbt builds for a model or seed, from the graph (hooks cannot ref) -#}
    {%- for node in graph.nodes.values() -%}
        {%- if node.name == model_name and node.resource_type in ('model', 'seed') -%}
            {{ return(node.relation_name) }}
        {%- endif -%}
    {%- endfor -%}
    {{ exceptions.raise_compiler_error("row access: no model or seed named " ~ model_name) }}
{%- endmacro %}


{% macro ensure_row_access_functions() -%}
    {%- if target.type == 'postgres' and execute -%}
        {%- set schema = row_access_schema() -%}
        {%- set reader = metrics_reader_role() -%}
        {%- set seed = _row_access_relation('reader_scopes') -%}
        {%- set entities = _row_access_relation('int_access_scope_entities') -%}
        do $do$
        begin
            -- several builds may run this at once (the tests do): one at a time, or two
            -- `create or replace function` collide on the same catalog row
            perform pg_advisory_xact_lock(hashtext('saas_metrics.row_access'));
            -- the function bodies name tables the first build has not created yet
            perform set_config('check_function_bodies', 'off', true);
            create schema if not exists {{ schema }};
            create table if not exists {{ schema }}.reader_scopes (
                reader_name text not null,
                scope_type text not null
                    check (scope_type in ('all', 'region', 'segment', 'team', 'account')),
                scope_value text not null default '',
                updated_at timestamptz not null default now(),
                primary key (reader_name, scope_type, scope_value)
            );
            comment on table {{ schema }}.reader_scopes is
                'Reader login or group -> scope rows (saas-metrics reader add). Read by the '
                'row-level security policies of the public marts, with the seed reader_scopes.';

            create or replace function {{ schema }}.reader_scope_rows(reader name)
            returns table (scope_type text, scope_value text)
            language sql stable security definer
            set search_path = pg_catalog, pg_temp
            as $fn$
                select scopes.scope_type, scopes.scope_value
                from (
                    select reader_name, scope_type, scope_value
                    from {{ schema }}.reader_scopes
                    union all
                    select reader_name, scope_type, coalesce(scope_value, '')
                    from {{ seed }}
                ) as scopes
                inner join pg_catalog.pg_roles as roles
                    on roles.rolname = scopes.reader_name
                -- a session may ask only for itself (or a role it is a member of); a scope
                -- row names the login itself or a group the login belongs to
                where pg_catalog.pg_has_role(session_user, reader, 'MEMBER')
                    and pg_catalog.pg_has_role(reader, roles.oid, 'MEMBER')
            $fn$;

            create or replace function {{ schema }}.reader_sees_everything(reader name)
            returns boolean
            language sql stable security definer
            set search_path = pg_catalog, pg_temp
            as $fn$
                select exists (
                    select 1 from {{ schema }}.reader_scope_rows(reader) as scopes
                    where scopes.scope_type = 'all'
                )
            $fn$;

            create or replace function {{ schema }}.visible_entity_ids(entity_kind text, reader name)
            returns setof text
            language sql stable security definer
            set search_path = pg_catalog, pg_temp
            as $fn$
                with scopes as materialized (
                    select * from {{ schema }}.reader_scope_rows(reader)
                )
                select entities.entity_id
                from {{ entities }} as entities
                where entities.entity_type = entity_kind
                    and exists (
                        select 1 from scopes
                        where scopes.scope_type = 'all'
                            or (scopes.scope_type = 'region'
                                and scopes.scope_value = entities.region)
                            or (scopes.scope_type = 'segment'
                                and scopes.scope_value = entities.segment)
                            or (scopes.scope_type = 'team'
                                and scopes.scope_value = entities.team)
                            or (scopes.scope_type = 'account'
                                and entities.entity_type = 'account'
                                and scopes.scope_value = entities.entity_id)
                    )
            $fn$;

            -- readers may call the functions (a policy runs as the reader) and nothing else
            -- here: no select on the scopes table
            revoke all on schema {{ schema }} from public;
            revoke all on all functions in schema {{ schema }} from public;
            grant usage on schema {{ schema }} to {{ reader }};
            grant execute on all functions in schema {{ schema }} to {{ reader }};
        end
        $do$
    {%- else -%}
        select 1 as no_row_access_on_this_engine
    {%- endif -%}
{%- endmacro %}


{% macro row_access_using(rule) -%}
    {#-
        The policy's USING expression for a public model's meta.row_access:
          company_wide                           only the `all` scope
          {accounts: col}                        rows whose account (col) is in scope
          {sales_reps: col}                      rows whose sales rep (col) is in scope
          {accounts: a, sales_reps: r}           either
          {entity_kind: k, entity_id: i,         long tables: each row by its entity; k's
           kinds: {value: accounts|sales_reps}}  other values (channels, product, company)
                                                 only for `all`
    -#}
    {%- set schema = row_access_schema() -%}
    {%- set kind_of = {'accounts': 'account', 'sales_reps': 'sales_rep'} -%}
    {%- set terms = ['(select ' ~ schema ~ '.reader_sees_everything(current_user))'] -%}
    {%- if rule == 'company_wide' -%}
        {#- nothing more: the all scope only -#}
    {%- elif rule is mapping and rule.get('entity_kind') -%}
        {%- for value, entity in rule['kinds'].items() -%}
            {%- do terms.append(
                '(' ~ rule['entity_kind'] ~ " = '" ~ value ~ "' and " ~ rule['entity_id']
                ~ ' in (select ' ~ schema ~ ".visible_entity_ids('" ~ kind_of[entity]
                ~ "', current_user)))") -%}
        {%- endfor -%}
    {%- elif rule is mapping and (rule.get('accounts') or rule.get('sales_reps')) -%}
        {%- for entity in ('accounts', 'sales_reps') if rule.get(entity) -%}
            {%- do terms.append(
                'cast(' ~ rule[entity] ~ ' as text) in (select ' ~ schema
                ~ ".visible_entity_ids('" ~ kind_of[entity] ~ "', current_user))") -%}
        {%- endfor -%}
    {%- else -%}
        {{ exceptions.raise_compiler_error(
            "public model " ~ this.identifier ~ ": meta.row_access must be company_wide, "
            ~ "{accounts: <column>}, {sales_reps: <column>} or {entity_kind: ..., entity_id: "
            ~ "..., kinds: {...}} (docs/row-level-access.md); got " ~ rule) }}
    {%- endif -%}
    {{ return(terms | join('\n        or ')) }}
{%- endmacro %}


{% macro row_access_policy() -%}
    {#- post-hook of every public model (dbt_project.yml): RLS + its one policy -#}
    {%- if target.type == 'postgres' and execute -%}
        {%- set rule = (model.config.get('meta') or {}).get('row_access')
                       or (model.get('meta') or {}).get('row_access') -%}
        {%- if not rule -%}
            {{ exceptions.raise_compiler_error(
                "public model " ~ this.identifier ~ " has no meta.row_access: every public "
                ~ "table must say which rows each reader scope sees (docs/row-level-access.md)") }}
        {%- endif -%}
        alter table {{ this }} enable row level security;
        drop policy if exists metrics_reader_scope on {{ this }};
        create policy metrics_reader_scope on {{ this }} for select using (
        {{ row_access_using(rule) }}
        )
    {%- endif -%}
{%- endmacro %}
