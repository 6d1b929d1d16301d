-- One row per 2208 revocation in the lab: the settlement it revokes in full.
with

source as (
    select * from {{ source('lab', 'lab_revocations_v2') }}
),

renamed as (
    select
        revoked_setl_id as settlement_id,
        person_key,
        revoked_hour,
        loaded_at
    from source
)

select * from renamed
