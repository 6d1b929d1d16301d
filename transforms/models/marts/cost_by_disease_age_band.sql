{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='event_month',
    on_schema_change='fail',
    post_hook="{{ delete_months_gone(ref('int_settlements_netted')) }}",
) }}
-- Cost and utilisation per month × ICD-10 category × age band × gender × insurance type × visit
-- type (diagnosis = the main diagnosis, maindiag_flag 1; NONE for a purchase without one): what a
-- supplemental-insurance actuary prices on, with the fund split (统筹/大病/大额/救助/其他) that says
-- what basic insurance already paid. A revoked settlement (2208) counts 0 in the month of the
-- care. Incremental: every month that received new lab rows is rebuilt whole.
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
        sum(hifp_pay) as hifp_pay,
        sum(hifmi_pay) as hifmi_pay,
        sum(hifob_pay) as hifob_pay,
        sum(maf_pay) as maf_pay,
        sum(other_fund_paid) as other_fund_paid,
        sum(account_paid) as account_paid,
        sum(cash_paid) as cash_paid,
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
        cast(hifp_pay as decimal(18, 2)) as hifp_pay,
        cast(hifmi_pay as decimal(18, 2)) as hifmi_pay,
        cast(hifob_pay as decimal(18, 2)) as hifob_pay,
        cast(maf_pay as decimal(18, 2)) as maf_pay,
        cast(other_fund_paid as decimal(18, 2)) as other_fund_paid,
        cast(account_paid as decimal(18, 2)) as account_paid,
        cast(cash_paid as decimal(18, 2)) as cash_paid,
        cast(self_pay as decimal(18, 2)) as self_pay,
        cast(self_expense as decimal(18, 2)) as self_expense,
        cast(out_of_pocket as decimal(18, 2)) as out_of_pocket,
        cast(out_of_pocket_p50 as decimal(18, 2)) as out_of_pocket_p50,
        cast(out_of_pocket_p90 as decimal(18, 2)) as out_of_pocket_p90,
        source_loaded_at
    from cells
)

select * from final
