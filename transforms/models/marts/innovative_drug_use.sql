{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='event_month',
    on_schema_change='fail',
    post_hook="{{ delete_months_gone(ref('int_special_drug_items')) }}",
) }}
-- Special-list (特药) and innovative drug use per drug × month × age band, with the out-of-pocket
-- burden (the out-of-catalogue part, 自费, that basic insurance leaves to the person).
with

lines as (
    select * from {{ ref('int_special_drug_items') }}
    {% if is_incremental() %}
    where event_month in ({{ changed_months(ref('int_special_drug_items')) }})
    {% endif %}
),

cells as (
    select
        event_month,
        item_code,
        month_age_band as age_band,
        count(distinct case when net_settlements > 0 then person_key end) as persons,
        sum(net_settlements) as settlements,
        sum(quantity) as quantity,
        sum(amount) as amount,
        sum(self_expense) as self_expense,
        max(source_loaded_at) as source_loaded_at
    from lines
    group by event_month, item_code, month_age_band
),

final as (
    select
        cast(event_month || '|' || item_code || '|' || age_band as varchar) as cell_key,
        cast(event_month as varchar) as event_month,
        cast(item_code as varchar) as item_code,
        cast(age_band as varchar) as age_band,
        cast(persons as bigint) as persons,
        cast(settlements as bigint) as settlements,
        cast(quantity as double precision) as quantity,
        cast(amount as decimal(18, 2)) as amount,
        cast(self_expense as decimal(18, 2)) as self_expense,
        cast(case when amount > 0 then round(cast(self_expense / amount as numeric), 4) end
            as double precision) as self_expense_share,
        cast(case when persons > 0 then self_expense / persons end as decimal(18, 2)) as self_expense_per_person,
        source_loaded_at
    from cells
)

select * from final
