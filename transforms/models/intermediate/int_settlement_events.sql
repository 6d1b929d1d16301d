-- Every lab settlement event with the settlement it counts against: a refund counts against the
-- settlement it reverses when that settlement is in the lab, otherwise against itself.
with

events as (
    select * from {{ ref('stg_settlements') }}
),

originals as (
    select settlement_id from events where not is_refund
),

based as (
    select
        events.*,
        case
            when events.is_refund and originals.settlement_id is not null then events.refund_of
            else events.settlement_id
        end as base_settlement_id
    from events
    left join originals
        on events.is_refund and originals.settlement_id = events.refund_of
)

select * from based
