-- One row per settlement with its refunds netted in (refunds reverse a settlement in full, so a
-- reversed settlement has zero amounts and net_settlements 0). A refund whose settlement is not
-- in the lab stands alone with net_settlements -1. Attributes (month, person, diagnosis, ...) are
-- those of the settlement, so a refund lands in the month of the care it reverses.
-- month_age_band / year_age_band: the person's band at their first settlement of the month / year,
-- so each person is in exactly one band per month (year): persons add up across bands.
with

events as (
    select * from {{ ref('int_settlement_events') }}
),

sums as (
    select
        base_settlement_id,
        cast(sum(case when is_refund then -1 else 1 end) as bigint) as net_settlements,
        cast(sum(case when is_refund then 1 else 0 end) as bigint) as refunds,
        cast(sum(total_amount) as decimal(18, 2)) as total_amount,
        cast(sum(fund_paid) as decimal(18, 2)) as fund_paid,
        cast(sum(account_paid) as decimal(18, 2)) as account_paid,
        cast(sum(self_pay) as decimal(18, 2)) as self_pay,
        cast(sum(self_expense) as decimal(18, 2)) as self_expense,
        cast(sum(out_of_pocket) as decimal(18, 2)) as out_of_pocket,
        max(loaded_at) as source_loaded_at
    from events
    group by base_settlement_id
),

joined as (
    select
        base.settlement_id,
        base.is_refund as is_orphan_refund,
        base.person_key,
        base.event_hour,
        base.event_month,
        base.event_week,
        {{ year_month("cast(base.event_hour at time zone 'Asia/Shanghai' as date)"
                      ~ " + cast(4 - extract(isodow from base.event_hour at time zone 'Asia/Shanghai') as integer)") }}
            as week_month,
        base.event_year,
        base.gender,
        base.age_band as age_band_at_settlement,
        base.insurance_type,
        base.visit_type,
        base.institution_code,
        base.length_of_stay,
        base.diagnosis_code,
        base.diagnosis_group,
        base.diagnosis_chapter,
        sums.net_settlements,
        sums.refunds,
        sums.total_amount,
        sums.fund_paid,
        sums.account_paid,
        sums.self_pay,
        sums.self_expense,
        sums.out_of_pocket,
        sums.source_loaded_at
    from sums
    inner join events as base on base.settlement_id = sums.base_settlement_id
),

banded as (
    select
        *,
        first_value(age_band_at_settlement) over (
            partition by person_key, event_month order by event_hour, settlement_id
        ) as month_age_band,
        first_value(age_band_at_settlement) over (
            partition by person_key, event_year order by event_hour, settlement_id
        ) as year_age_band
    from joined
)

select * from banded
