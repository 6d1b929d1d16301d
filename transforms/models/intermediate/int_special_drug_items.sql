-- Special (目录特项 特殊药品) and negotiated (医保谈判) drug lines per settlement and drug, with the
-- settlement's month, person and person-month age band; a revoked settlement's lines count 0.
with

items as (
    select * from {{ ref('stg_settlement_items') }}
    where special_drug
),

settlements as (
    select * from {{ ref('int_settlements_netted') }}
),

per_drug as (
    select
        settlement_id,
        item_code,
        max(list_sp_item_flag) as list_sp_item_flag,
        max(hi_nego_drug_flag) as hi_nego_drug_flag,
        sum(quantity) as quantity,
        cast(sum(amount) as decimal(18, 2)) as amount,
        cast(sum(self_expense) as decimal(18, 2)) as self_expense
    from items
    group by settlement_id, item_code
),

joined as (
    select
        per_drug.settlement_id || '#' || per_drug.item_code as settlement_drug_key,
        per_drug.settlement_id,
        per_drug.item_code,
        per_drug.list_sp_item_flag,
        per_drug.hi_nego_drug_flag,
        settlements.person_key,
        settlements.event_month,
        settlements.month_age_band,
        settlements.net_settlements,
        per_drug.quantity * settlements.net_settlements as quantity,
        cast(per_drug.amount * settlements.net_settlements as decimal(18, 2)) as amount,
        cast(per_drug.self_expense * settlements.net_settlements as decimal(18, 2)) as self_expense,
        settlements.source_loaded_at
    from per_drug
    inner join settlements on settlements.settlement_id = per_drug.settlement_id
)

select * from joined
