{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='event_month',
    on_schema_change='fail',
    post_hook="{{ delete_months_gone(ref('int_settlements_netted'), upstream_month_column='week_month',
                                     where='net_settlements > 0') }}",
) }}
-- 多卡聚集 supervision signals per institution × ISO week: several distinct cards (person_keys)
-- settled at the same institution within the same hour (a "cluster hour"), repeatedly, plus the
-- institution's length of stay and cost against peers with the same diagnosis group and visit
-- type. De-identified: counts and ratios only. event_month is the month of the week's Thursday
-- (the ISO rule), so each week belongs to one month and the mart grows by month.
with

all_netted as (
    select * from {{ ref('int_settlements_netted') }}
    where net_settlements > 0
),

netted as (
    select * from all_netted
    {% if is_incremental() %}
    where week_month in ({{ changed_months(ref('int_settlements_netted'), 'week_month') }})
    {% endif %}
),

peers as (
    select
        event_month,
        diagnosis_group,
        visit_type,
        -- exact sums divided once (avg over doubles depends on the order rows arrive in, and a
        -- last-bit difference flipped a rounded ratio between two builds of the same data)
        cast(sum(length_of_stay) as double precision) / nullif(count(length_of_stay), 0) as peer_length_of_stay,
        cast(sum(total_amount) as double precision) / nullif(count(total_amount), 0) as peer_amount
    from all_netted
    group by event_month, diagnosis_group, visit_type
),

hours as (
    select
        institution_code,
        event_week,
        event_hour,
        count(distinct person_key) as cards
    from netted
    group by institution_code, event_week, event_hour
),

cluster_hours as (
    select * from hours
    where cards >= {{ var('multi_card_min_cards') }}
),

person_clusters as (
    select
        netted.institution_code,
        netted.event_week,
        netted.person_key,
        count(distinct netted.event_hour) as clustered_hours
    from netted
    inner join cluster_hours
        on cluster_hours.institution_code = netted.institution_code
        and cluster_hours.event_hour = netted.event_hour
    group by netted.institution_code, netted.event_week, netted.person_key
),

cluster_summary as (
    select
        hours.institution_code,
        hours.event_week,
        max(hours.cards) as cards_per_contact_max,
        sum(case when hours.cards >= {{ var('multi_card_min_cards') }} then 1 else 0 end) as cluster_hours
    from hours
    group by hours.institution_code, hours.event_week
),

repeats as (
    select
        institution_code,
        event_week,
        sum(case when clustered_hours >= 2 then 1 else 0 end) as repeat_persons
    from person_clusters
    group by institution_code, event_week
),

institution_weeks as (
    select
        netted.institution_code,
        netted.event_week,
        min(netted.week_month) as week_month,
        count(distinct netted.person_key) as persons,
        sum(netted.net_settlements) as settlements,
        -- sums in fixed-point decimals, which add up the same in any order
        sum(cast(netted.length_of_stay as decimal(38, 6))) as length_of_stay,
        sum(cast(peers.peer_length_of_stay as decimal(38, 6))) as expected_length_of_stay,
        sum(cast(netted.total_amount as decimal(38, 6))) as amount,
        sum(cast(peers.peer_amount as decimal(38, 6))) as expected_amount,
        max(netted.source_loaded_at) as source_loaded_at
    from netted
    inner join peers
        on peers.event_month = netted.event_month
        and peers.diagnosis_group = netted.diagnosis_group
        and peers.visit_type = netted.visit_type
    group by netted.institution_code, netted.event_week
),

signals as (
    select
        institution_weeks.institution_code,
        institution_weeks.event_week,
        institution_weeks.week_month as event_month,
        institution_weeks.persons,
        institution_weeks.settlements,
        coalesce(cluster_summary.cards_per_contact_max, 0) as cards_per_contact_max,
        coalesce(cluster_summary.cluster_hours, 0) as cluster_hours,
        coalesce(repeats.repeat_persons, 0) as repeat_persons,
        institution_weeks.settlements * 1.0 / institution_weeks.persons as settlements_per_person,
        case when institution_weeks.expected_length_of_stay > 0
            then institution_weeks.length_of_stay / institution_weeks.expected_length_of_stay end
            as length_of_stay_ratio,
        case when institution_weeks.expected_amount > 0
            then institution_weeks.amount / institution_weeks.expected_amount end as amount_ratio,
        institution_weeks.source_loaded_at
    from institution_weeks
    left join cluster_summary
        on cluster_summary.institution_code = institution_weeks.institution_code
        and cluster_summary.event_week = institution_weeks.event_week
    left join repeats
        on repeats.institution_code = institution_weeks.institution_code
        and repeats.event_week = institution_weeks.event_week
),

final as (
    select
        cast(institution_code || '|' || event_week as varchar) as signal_key,
        cast(event_week as varchar) as event_week,
        cast(event_month as varchar) as event_month,
        cast(institution_code as varchar) as institution_code,
        cast(persons as bigint) as persons,
        cast(settlements as bigint) as settlements,
        cast(cards_per_contact_max as bigint) as cards_per_contact_max,
        cast(cluster_hours as bigint) as cluster_hours,
        cast(repeat_persons as bigint) as repeat_persons,
        cast(round(cast(settlements_per_person as numeric), 3) as double precision) as settlements_per_person,
        cast(round(cast(length_of_stay_ratio as numeric), 3) as double precision) as length_of_stay_ratio,
        cast(round(cast(amount_ratio as numeric), 3) as double precision) as amount_ratio,
        cast(round(cast((
            least(repeat_persons * 1.0 / persons, 1.0)
            + least(greatest(coalesce(amount_ratio, 1.0) - 1.0, 0.0), 1.0)
            + least(greatest(coalesce(length_of_stay_ratio, 1.0) - 1.0, 0.0), 1.0)
        ) / 3.0 as numeric), 4) as double precision) as signal_score,
        source_loaded_at
    from signals
)

select * from final
