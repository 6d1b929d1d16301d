-- One row per redacted e-medical-record note.
with

source as (
    select * from {{ source('lab', 'lab_emr_notes') }}
),

renamed as (
    select
        note_id,
        settlement_id,
        person_key,
        event_month,
        institution_code,
        note_type,
        text_redacted,
        entities,
        loaded_at
    from source
)

select * from renamed
