{{ config(enabled=loader_enabled('fivetran_salesforce')) }}

-- Every row of Salesforce's two stage-history objects with what the mapping does with it,
-- plus the creation entries it has to add, as the stages opportunities entered:
--   opportunity_history: a row per change of stage, amount, probability or close date,
--     with the stage from then on (its first row is the creation). The source of record.
--   opportunity_field_history (field history tracking): rows with field StageName, read
--     only for opportunities that have no opportunity_history rows; their creation
--     stage is the first change's old value, entered when the opportunity was created.
-- An entry counts only when the contract stage changes: a row that keeps the stage (an
-- amount change, or two Salesforce stages mapping onto one contract stage) is set aside.
-- A row whose opportunity is missing is quarantined as missing_parent, one whose stage
-- has no mapping as unmapped_value; rows of deleted opportunities are set aside.
with

opportunity_history as (
    {{ raw_table_select('fivetran_salesforce', 'opportunity_history', warn=true) }}
),

opportunity_field_history as (
    {{ raw_table_select('fivetran_salesforce', 'opportunity_field_history', warn=true) }}
),

opportunities_classified as (
    select * from {{ ref('fivetran_salesforce__opportunities_classified') }}
),

-- one row per opportunity id: mapped or quarantined if any version is, else set aside
opportunity_parents as (
    select
        opportunity_key,
        max(case when row_disposition <> 'set_aside' then 1 else 0 end) as is_kept,
        max(case when row_disposition <> 'set_aside' then created_date end) as created_date,
        max(case when row_disposition <> 'set_aside' then synced_at end) as synced_at
    from opportunities_classified
    group by opportunity_key
),

history_rows as (
    select
        'fivetran_salesforce.opportunity_history' as source_table,
        opportunity_history.id as record_key,
        opportunity_history.opportunity_id as opportunity_key,
        'StageName' as field,
        cast(null as {{ dbt.type_string() }}) as old_stage_name,
        opportunity_history.stage_name,
        opportunity_history.created_date as entered_at,
        coalesce(opportunity_history.is_deleted, false)
        or coalesce(opportunity_history._fivetran_deleted, false) as is_deleted,
        cast(opportunity_history._fivetran_synced as {{ dbt.type_timestamp() }}) as synced_at
    from opportunity_history
),

field_history_rows as (
    select
        'fivetran_salesforce.opportunity_field_history' as source_table,
        opportunity_field_history.id as record_key,
        opportunity_field_history.opportunity_id as opportunity_key,
        opportunity_field_history.field,
        opportunity_field_history.old_value as old_stage_name,
        opportunity_field_history.new_value as stage_name,
        opportunity_field_history.created_date as entered_at,
        coalesce(opportunity_field_history.is_deleted, false)
        or coalesce(opportunity_field_history._fivetran_deleted, false) as is_deleted,
        cast(opportunity_field_history._fivetran_synced as {{ dbt.type_timestamp() }})
            as synced_at
    from opportunity_field_history
),

-- opportunities whose stages opportunity_history records
opportunities_with_history as (
    select distinct opportunity_key
    from history_rows
    where not is_deleted
),

loader_rows as (
    select * from history_rows
    union all
    select * from field_history_rows
),

loader_rows_with_reasons as (
    select
        loader_rows.*,
        stage_mappings.contract_value as stage,
        case
            when loader_rows.is_deleted then 'deleted'
            when loader_rows.field <> 'StageName' then 'not_a_stage_change'
            when opportunity_parents.opportunity_key is null then 'missing_parent'
            when opportunity_parents.is_kept = 0 then 'opportunity_set_aside'
            when
                loader_rows.source_table = 'fivetran_salesforce.opportunity_field_history'
                and opportunities_with_history.opportunity_key is not null
                then 'recorded_in_opportunity_history'
            when stage_mappings.contract_value is null then 'unmapped_value'
        end as disposition_reason
    from loader_rows
    {{ fivetran_salesforce_join_value('stage_mappings', 'stage_name',
                                      'loader_rows.stage_name') }}
    left join opportunity_parents
        on loader_rows.opportunity_key = opportunity_parents.opportunity_key
    left join opportunities_with_history
        on loader_rows.opportunity_key = opportunities_with_history.opportunity_key
),

-- field history has no row for the creation: the first stage change's old value is the
-- stage the opportunity was created in
first_field_changes as (
    select
        opportunity_key,
        old_stage_name,
        row_number() over (
            partition by opportunity_key order by entered_at, record_key
        ) as change_number
    from loader_rows_with_reasons
    where
        disposition_reason is null
        and source_table = 'fivetran_salesforce.opportunity_field_history'
),

creation_entries as (
    select
        'fivetran_salesforce.opportunity_field_history' as source_table,
        first_field_changes.opportunity_key || ':created' as record_key,
        first_field_changes.opportunity_key,
        opportunity_parents.created_date as entered_at,
        stage_mappings.contract_value as stage,
        opportunity_parents.synced_at,
        true as is_added_by_mapping
    from first_field_changes
    inner join opportunity_parents
        on first_field_changes.opportunity_key = opportunity_parents.opportunity_key
    {{ fivetran_salesforce_join_value('stage_mappings', 'stage_name',
                                      'first_field_changes.old_stage_name') }}
    where first_field_changes.change_number = 1 and stage_mappings.contract_value is not null
),

stage_candidates as (
    select
        source_table,
        record_key,
        opportunity_key,
        entered_at,
        stage,
        synced_at,
        false as is_added_by_mapping
    from loader_rows_with_reasons
    where disposition_reason is null
    union all
    select * from creation_entries
),

stage_candidates_ordered as (
    select
        *,
        lag(stage) over (
            partition by opportunity_key
            order by entered_at asc, is_added_by_mapping desc, record_key asc
        ) as previous_stage
    from stage_candidates
),

final as (
    select
        loader_rows_with_reasons.source_table,
        loader_rows_with_reasons.record_key,
        {{ fivetran_salesforce_disposition(
            "coalesce(loader_rows_with_reasons.disposition_reason,"
            ~ " case when stage_candidates_ordered.stage"
            ~ " = stage_candidates_ordered.previous_stage"
            ~ " then 'stage_unchanged' end)") }} as row_disposition,
        coalesce(
            loader_rows_with_reasons.disposition_reason,
            case
                when stage_candidates_ordered.stage = stage_candidates_ordered.previous_stage
                    then 'stage_unchanged'
            end
        ) as disposition_reason,
        false as is_added_by_mapping,
        loader_rows_with_reasons.opportunity_key,
        loader_rows_with_reasons.stage,
        loader_rows_with_reasons.entered_at,
        loader_rows_with_reasons.synced_at,
        {{ fivetran_salesforce_record_text(['loader_rows_with_reasons.record_key',
                                            'loader_rows_with_reasons.opportunity_key',
                                            'loader_rows_with_reasons.field',
                                            'loader_rows_with_reasons.stage_name',
                                            'loader_rows_with_reasons.entered_at']) }}
            as record_text
    from loader_rows_with_reasons
    left join stage_candidates_ordered
        on
            loader_rows_with_reasons.source_table = stage_candidates_ordered.source_table
            and loader_rows_with_reasons.record_key = stage_candidates_ordered.record_key
            and not stage_candidates_ordered.is_added_by_mapping
    union all
    select
        source_table,
        record_key,
        case when stage = previous_stage then 'set_aside' else 'mapped' end as row_disposition,
        case when stage = previous_stage then 'stage_unchanged' end as disposition_reason,
        true as is_added_by_mapping,
        opportunity_key,
        stage,
        entered_at,
        synced_at,
        cast(null as {{ dbt.type_string() }}) as record_text
    from stage_candidates_ordered
    where is_added_by_mapping
)

select * from final
