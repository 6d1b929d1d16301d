-- Every lab settlement with its 2208 revocation, if the lab has one: a revocation revokes its
-- settlement in full. The row's load time is the later of the two, so a late revocation re-opens
-- the month of the settlement it revokes in the incremental marts.
with

settlements as (
    select * from {{ ref('stg_settlements') }}
),

revocations as (
    select * from {{ ref('stg_revocations') }}
),

joined as (
    select
        settlements.*,
        revocations.settlement_id is not null as is_revoked,
        case
            when revocations.loaded_at > settlements.loaded_at then revocations.loaded_at
            else settlements.loaded_at
        end as source_loaded_at
    from settlements
    left join revocations on revocations.settlement_id = settlements.settlement_id
)

select * from joined
