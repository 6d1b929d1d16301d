{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='event_month',
    on_schema_change='fail',
    post_hook="{{ delete_months_gone(ref('int_settlement_events')) }}",
) }}
-- One row per settlement with its revocation netted in: a revoked settlement has zero amounts and
-- net_settlements 0 (2208 revokes in full). A revocation whose settlement is not in the lab has no
-- row here (it carries no amounts; int_orphan_revocations counts them).
-- month_age_band: the person's band at their first settlement of the month, so each person is in
-- exactly one band per month: persons add up across bands (the year's band is
-- claim_frequency_severity's: a settlement loaded late can change it in every month of the year).
-- Incremental by month, as the marts: a run rebuilds whole every month with a settlement or
-- revocation loaded since the last, or whose number of settlements changed (one was deleted), and
-- deletes the months the lab no longer has (retention).
with

all_events as (
    select * from {{ ref('int_settlement_events') }}
),

events as (
    select * from all_events
    {% if is_incremental() %}
    where event_month in (
        select event_month from all_events
        where source_loaded_at > {{ load_watermark('source_loaded_at') }}
        union
        select lab.event_month
        from (select event_month, count(*) as settlements from all_events group by event_month) as lab
        left join (select event_month, count(*) as settlements from {{ this }} group by event_month) as held
            on held.event_month = lab.event_month
        where held.settlements is null or held.settlements <> lab.settlements
    )
    {% endif %}
),

netted as (
    select
        settlement_id,
        person_key,
        event_hour,
        event_month,
        event_week,
        {{ year_month("cast(event_hour at time zone 'Asia/Shanghai' as date)"
                      ~ " + cast(4 - extract(isodow from event_hour at time zone 'Asia/Shanghai') as integer)") }}
            as week_month,
        event_year,
        gender,
        age_band as age_band_at_settlement,
        insurance_type,
        visit_type,
        institution_code,
        length_of_stay,
        diagnosis_code,
        diagnosis_group,
        diagnosis_chapter,
        cast(case when is_revoked then 0 else 1 end as bigint) as net_settlements,
        cast(case when is_revoked then 1 else 0 end as bigint) as revocations,
        cast(case when is_revoked then 0 else total_amount end as decimal(18, 2)) as total_amount,
        cast(case when is_revoked then 0 else fund_paid end as decimal(18, 2)) as fund_paid,
        cast(case when is_revoked then 0 else hifp_pay end as decimal(18, 2)) as hifp_pay,
        cast(case when is_revoked then 0 else hifmi_pay end as decimal(18, 2)) as hifmi_pay,
        cast(case when is_revoked then 0 else hifob_pay end as decimal(18, 2)) as hifob_pay,
        cast(case when is_revoked then 0 else maf_pay end as decimal(18, 2)) as maf_pay,
        cast(case when is_revoked then 0 else other_fund_paid end as decimal(18, 2)) as other_fund_paid,
        cast(case when is_revoked then 0 else account_paid end as decimal(18, 2)) as account_paid,
        cast(case when is_revoked then 0 else cash_paid end as decimal(18, 2)) as cash_paid,
        cast(case when is_revoked then 0 else self_pay end as decimal(18, 2)) as self_pay,
        cast(case when is_revoked then 0 else self_expense end as decimal(18, 2)) as self_expense,
        cast(case when is_revoked then 0 else out_of_pocket end as decimal(18, 2)) as out_of_pocket,
        source_loaded_at
    from events
),

banded as (
    select
        *,
        first_value(age_band_at_settlement) over (
            partition by person_key, event_month order by event_hour, settlement_id
        ) as month_age_band
    from netted
)

select * from banded
