-- Claim frequency and severity per pseudonymous person-year, released only as distributions: one
-- row per year × age band × gender × claims band, never a row per person. A person is in exactly
-- one row per year (age band at their first settlement of the year). Rebuilt whole (a year is
-- the unit: a new settlement moves a person between claims bands).
with

netted as (
    select * from {{ ref('int_settlements_netted') }}
),

-- the person's band at their first settlement of the year
year_banded as (
    select
        *,
        first_value(age_band_at_settlement) over (
            partition by person_key, event_year order by event_hour, settlement_id
        ) as year_age_band
    from netted
),

person_years as (
    select
        event_year,
        person_key,
        min(year_age_band) as age_band,
        min(gender) as gender,
        sum(net_settlements) as claims,
        sum(total_amount) as annual_cost,
        sum(out_of_pocket) as annual_out_of_pocket
    from year_banded
    group by event_year, person_key
),

banded as (
    select
        *,
        case
            when claims <= 0 then '0'
            when claims = 1 then '1'
            when claims = 2 then '2'
            when claims <= 5 then '3-5'
            when claims <= 10 then '6-10'
            else '11+'
        end as claims_band
    from person_years
),

cells as (
    select
        event_year,
        age_band,
        gender,
        claims_band,
        count(*) as persons,
        sum(claims) as claims,
        sum(annual_cost) as total_amount,
        avg(annual_cost) as mean_annual_cost,
        {{ percentile('annual_cost', 0.5) }} as annual_cost_p50,
        {{ percentile('annual_cost', 0.9) }} as annual_cost_p90,
        {{ percentile('annual_out_of_pocket', 0.5) }} as annual_out_of_pocket_p50,
        {{ percentile('annual_out_of_pocket', 0.9) }} as annual_out_of_pocket_p90
    from banded
    group by event_year, age_band, gender, claims_band
),

final as (
    select
        cast(event_year || '|' || age_band || '|' || gender || '|' || claims_band as varchar) as cell_key,
        cast(event_year as varchar) as event_year,
        cast(age_band as varchar) as age_band,
        cast(gender as varchar) as gender,
        cast(claims_band as varchar) as claims_band,
        cast(persons as bigint) as persons,
        cast(claims as bigint) as claims,
        cast(total_amount as decimal(18, 2)) as total_amount,
        cast(mean_annual_cost as decimal(18, 2)) as mean_annual_cost,
        cast(annual_cost_p50 as decimal(18, 2)) as annual_cost_p50,
        cast(annual_cost_p90 as decimal(18, 2)) as annual_cost_p90,
        cast(annual_out_of_pocket_p50 as decimal(18, 2)) as annual_out_of_pocket_p50,
        cast(annual_out_of_pocket_p90 as decimal(18, 2)) as annual_out_of_pocket_p90
    from cells
)

select * from final
