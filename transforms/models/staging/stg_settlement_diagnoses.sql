-- One row per diagnosis (2203 diseinfo) of a lab settlement, with its main-diagnosis flag.
with

source as (
    select * from {{ source('lab', 'lab_settlements_v2') }}
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
        upper(substr(replace(diag_code, '.', ''), 1, 3)) as diagnosis_group
    from unnested
)

select * from renamed
