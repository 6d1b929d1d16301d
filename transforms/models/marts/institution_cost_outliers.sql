{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='event_month',
    on_schema_change='fail',
    post_hook="{{ delete_months_gone(ref('int_settlements_netted'), where='net_settlements > 0') }}",
) }}
-- Cost per case of each institution against its peers (all institutions, same month and visit
-- type): z-score of the institution's cost per case among the peers' costs per case.
with

netted as (
    select * from {{ ref('int_settlements_netted') }}
    where net_settlements > 0
    {% if is_incremental() %}
    and event_month in ({{ changed_months(ref('int_settlements_netted')) }})
    {% endif %}
),

institutions as (
    select
        event_month,
        institution_code,
        visit_type,
        count(distinct person_key) as persons,
        sum(net_settlements) as cases,
        sum(total_amount) as total_amount,
        max(source_loaded_at) as source_loaded_at
    from netted
    group by event_month, institution_code, visit_type
),

with_cost as (
    select
        *,
        cast(total_amount as double precision) / cases as cost_per_case
    from institutions
),

with_peers as (
    select
        *,
        count(*) over (partition by event_month, visit_type) as peer_institutions,
        avg(cost_per_case) over (partition by event_month, visit_type) as peer_mean_cost_per_case,
        stddev_samp(cost_per_case) over (partition by event_month, visit_type) as peer_sd_cost_per_case
    from with_cost
),

final as (
    select
        cast(event_month || '|' || institution_code || '|' || visit_type as varchar) as outlier_key,
        cast(event_month as varchar) as event_month,
        cast(institution_code as varchar) as institution_code,
        cast(visit_type as varchar) as visit_type,
        cast(persons as bigint) as persons,
        cast(cases as bigint) as cases,
        cast(total_amount as decimal(18, 2)) as total_amount,
        cast(round(cast(cost_per_case as numeric), 2) as decimal(18, 2)) as cost_per_case,
        cast(peer_institutions as bigint) as peer_institutions,
        cast(round(cast(peer_mean_cost_per_case as numeric), 2) as decimal(18, 2)) as peer_mean_cost_per_case,
        cast(round(cast(peer_sd_cost_per_case as numeric), 2) as decimal(18, 2)) as peer_sd_cost_per_case,
        cast(round(cast(case when peer_sd_cost_per_case > 0
            then (cost_per_case - peer_mean_cost_per_case) / peer_sd_cost_per_case end as numeric), 3)
            as double precision) as z_score,
        source_loaded_at
    from with_peers
)

select * from final
