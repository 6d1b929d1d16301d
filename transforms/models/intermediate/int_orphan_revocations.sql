-- Revocations whose settlement is not in the lab (it never reached the lab, or it was deleted by
-- the lab's retention): nothing to net out. Counted so a gap in the lab is visible.
with

revocations as (
    select * from {{ ref('stg_revocations') }}
),

settlements as (
    select settlement_id from {{ ref('stg_settlements') }}
)

select revocations.*
from revocations
left join settlements on settlements.settlement_id = revocations.settlement_id
where settlements.settlement_id is null
