{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='settlement_id',
    on_schema_change='fail',
    post_hook="{{ delete_lines_not_current() }}",
) }}
-- One row per diagnosis (2203 diseinfo) of a lab settlement, with its main-diagnosis flag. A table,
-- unnested once and incrementally, as stg_settlement_items.
with

source as (
    select * from {{ source('lab', 'lab_settlements_v2') }}
    {% if is_incremental() %}
    where loaded_at > {{ load_watermark('loaded_at') }}
    {% endif %}
),

unnested as (
    {{ unnest_diagnoses('source') }}
),

renamed as (
    select
        setl_id || '#' || cast(diag_srt_no as varchar) as settlement_diagnosis_id,
        setl_id as settlement_id,
        diag_type,
        diag_srt_no,
        diag_code,
        maindiag_flag = '1' as is_main,
        upper(substr(replace(diag_code, '.', ''), 1, 3)) as diagnosis_group,
        loaded_at
    from unnested
)

select * from renamed
