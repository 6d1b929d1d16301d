-- Special-list (特药) drug lines per settlement and drug, refunds netted in, with the settlement's
-- month, person and person-month age band.
with

items as (
    select * from {{ ref('stg_settlement_items') }}
    where special_drug
),

events as (
    select settlement_id, base_settlement_id from {{ ref('int_settlement_events') }}
),

settlements as (
    select * from {{ ref('int_settlements_netted') }}
),

per_drug as (
    select
        events.base_settlement_id as settlement_id,
        items.item_code,
        sum(items.quantity) as quantity,
        cast(sum(items.amount) as decimal(18, 2)) as amount,
        cast(sum(items.self_expense) as decimal(18, 2)) as self_expense
    from items
    inner join events on events.settlement_id = items.settlement_id
    group by events.base_settlement_id, items.item_code
),

joined as (
    select
        per_drug.settlement_id || '#' || per_drug.item_code as settlement_drug_key,
        per_drug.settlement_id,
        per_drug.item_code,
        settlements.person_key,
        settlements.event_month,
        settlements.month_age_band,
        settlements.net_settlements,
        per_drug.quantity,
        per_drug.amount,
        per_drug.self_expense,
        settlements.source_loaded_at
    from per_drug
    inner join settlements on settlements.settlement_id = per_drug.settlement_id
)

select * from joined
