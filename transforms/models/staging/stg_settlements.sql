-- One row per de-identified settlement (lab.settlements.v2), in the marts' vocabulary: this is
-- the one place the national interface's names are mapped to the names the marts and the
-- agreements use (docs/lab.md, "From the interface to the marts"). Times are read in Shanghai
-- local time (UTC+8, no DST).
with

source as (
    select * from {{ source('lab', 'lab_settlements_v2') }}
),

renamed as (
    select
        setl_id as settlement_id,
        person_key,
        setl_hour as event_hour,
        setl_month as event_month,
        {{ iso_week("setl_hour at time zone 'Asia/Shanghai'") }} as event_week,
        substr(setl_month, 1, 4) as event_year,
        gend,
        case gend when '1' then 'M' when '2' then 'F' else 'U' end as gender,
        age_band,
        district,
        insutype as insurance_type,
        psn_type,
        med_type as visit_type,
        fixmedins_code as institution_code,
        case when fixmedins_code like 'P%' then 'pharmacy' else 'hospital' end as institution_kind,
        length_of_stay,
        main_diag_code as diagnosis_code,
        -- no diagnosis (a pharmacy purchase): its own group, so every row has one
        coalesce(upper(substr(replace(main_diag_code, '.', ''), 1, 3)), 'NONE') as diagnosis_group,
        coalesce(upper(substr(main_diag_code, 1, 1)), '-') as diagnosis_chapter,
        cast(medfee_sumamt as decimal(14, 2)) as total_amount,
        cast(fund_pay_sumamt as decimal(14, 2)) as fund_paid,
        cast(hifp_pay as decimal(14, 2)) as hifp_pay,
        cast(hifmi_pay as decimal(14, 2)) as hifmi_pay,
        cast(hifob_pay as decimal(14, 2)) as hifob_pay,
        cast(maf_pay as decimal(14, 2)) as maf_pay,
        cast(oth_pay + oth_fund_pay as decimal(14, 2)) as other_fund_paid,
        cast(acct_pay as decimal(14, 2)) as account_paid,
        cast(psn_cash_pay as decimal(14, 2)) as cash_paid,
        -- 全自费: the out-of-catalogue part of the personal burden (v1 self_expense)
        cast(fulamt_ownpay_amt as decimal(14, 2)) as self_expense,
        -- the rest of the personal burden (先行自付, 超限价, 起付线, co-pay), paid from account or cash
        cast(psn_part_amt - fulamt_ownpay_amt as decimal(14, 2)) as self_pay,
        cast(psn_part_amt as decimal(14, 2)) as personal_part,
        cast(hosp_part_amt as decimal(14, 2)) as hospital_part,
        -- what the person paid in cash
        cast(psn_cash_pay as decimal(14, 2)) as out_of_pocket,
        loaded_at
    from source
)

select * from renamed
