{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='event_month',
    on_schema_change='fail',
) }}
-- Cost and utilisation per month × ICD-10 category × age band × gender × insurance type × visit
-- type: what a supplemental-insurance actuary prices on. Refunds are netted into the settlement
-- they reverse. Incremental: every month that received new lab rows is rebuilt whole.
with

netted as (
    select * from {{ ref('int_settlements_netted') }}
    {% if is_incremental() %}
    where event_month in ({{ changed_months(ref('int_settlements_netted')) }})
    {% endif %}
),

cells as (
    select
        event_month,
        diagnosis_chapter,
        diagnosis_group,
        month_age_band as age_band,
        gender,
        insurance_type,
        visit_type,
        count(distinct case when net_settlements > 0 then person_key end) as persons,
        sum(net_settlements) as settlements,
        sum(total_amount) as total_amount,
        sum(fund_paid) as fund_paid,
        sum(account_paid) as account_paid,
        sum(self_pay) as self_pay,
        sum(self_expense) as self_expense,
        sum(out_of_pocket) as out_of_pocket,
        {{ percentile('case when net_settlements > 0 then out_of_pocket end', 0.5) }} as out_of_pocket_p50,
        {{ percentile('case when net_settlements > 0 then out_of_pocket end', 0.9) }} as out_of_pocket_p90,
        max(source_loaded_at) as source_loaded_at
    from netted
    group by event_month, diagnosis_chapter, diagnosis_group, month_age_band, gender, insurance_type, visit_type
),

final as (
    select
        cast(
            event_month || '|' || diagnosis_group || '|' || age_band || '|' || gender || '|'
            || insurance_type || '|' || visit_type as varchar
        ) as cell_key,
        cast(event_month as varchar) as event_month,
        cast(diagnosis_chapter as varchar) as diagnosis_chapter,
        cast(diagnosis_group as varchar) as diagnosis_group,
        cast(age_band as varchar) as age_band,
        cast(gender as varchar) as gender,
        cast(insurance_type as varchar) as insurance_type,
        cast(visit_type as varchar) as visit_type,
        cast(persons as bigint) as persons,
        cast(settlements as bigint) as settlements,
        cast(total_amount as decimal(18, 2)) as total_amount,
        cast(fund_paid as decimal(18, 2)) as fund_paid,
        cast(account_paid as decimal(18, 2)) as account_paid,
        cast(self_pay as decimal(18, 2)) as self_pay,
        cast(self_expense as decimal(18, 2)) as self_expense,
        cast(out_of_pocket as decimal(18, 2)) as out_of_pocket,
        cast(out_of_pocket_p50 as decimal(18, 2)) as out_of_pocket_p50,
        cast(out_of_pocket_p90 as decimal(18, 2)) as out_of_pocket_p90,
        source_loaded_at
    from cells
)

select * from final
