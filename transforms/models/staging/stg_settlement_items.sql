-- One row per line item of a lab settlement event (the JSON array `items` unnested).
with

source as (
    select * from {{ source('lab', 'lab_settlements') }}
),

unnested as (
    {{ unnest_items('source') }}
),

renamed as (
    select
        settlement_id || '#' || cast(item_index as varchar) as settlement_item_id,
        settlement_id,
        item_index,
        item_code,
        category,
        catalogue_class,
        coalesce(special_drug, false) as special_drug,
        quantity,
        amount,
        self_expense
    from unnested
)

select * from renamed
