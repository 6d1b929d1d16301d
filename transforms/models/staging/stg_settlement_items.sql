{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='settlement_id',
    on_schema_change='fail',
    post_hook="{{ delete_lines_not_current() }}",
) }}
-- One row per fee line (2204) of a lab settlement (the JSON array `feedetail` unnested), with the
-- marts' names beside the interface's. A table, unnested once: parsing the JSON is most of the
-- cost, and every test and model reading the lines would parse it again from a view. Incremental:
-- a run unnests only the settlements loaded since the last (an upserted settlement's lines are
-- replaced whole) and deletes the lines of settlements the lab no longer has
-- (delete_lines_not_current).
with

source as (
    select * from {{ source('lab', 'lab_settlements_v2') }}
    {% if is_incremental() %}
    where loaded_at > {{ load_watermark('loaded_at') }}
    {% endif %}
),

unnested as (
    {{ unnest_fee_lines('source') }}
),

renamed as (
    select
        setl_id || '#' || feedetl_sn as settlement_item_id,
        setl_id as settlement_id,
        item_index,
        feedetl_sn,
        med_list_codg as item_code,
        med_chrgitm_type,
        case
            when med_chrgitm_type in ('09', '10', '11') then 'drug'
            when med_chrgitm_type = '08' then 'device'
            else 'service'
        end as category,
        chrgitm_lv,
        list_sp_item_flag,
        hi_nego_drug_flag,
        -- 特药 / innovative drug: a drug line flagged 目录特项 (特殊药品) or 医保谈判药品
        (med_chrgitm_type in ('09', '10', '11') and (list_sp_item_flag = '1' or hi_nego_drug_flag = '1'))
            as special_drug,
        cnt as quantity,
        det_item_fee_sumamt as amount,
        fulamt_ownpay_amt as self_expense,
        overlmt_amt,
        preselfpay_amt,
        inscp_scp_amt,
        loaded_at
    from unnested
)

select * from renamed
