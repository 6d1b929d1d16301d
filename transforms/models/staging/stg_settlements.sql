-- One row per lab settlement event (a settlement or a refund), renamed and typed, with the
-- derived keys the marts group by. Times are read in Shanghai local time (UTC+8, no DST).
with

source as (
    select * from {{ source('lab', 'lab_settlements') }}
),

renamed as (
    select
        settlement_id,
        event_type,
        event_type = 'refund' as is_refund,
        refund_of,
        person_key,
        event_hour,
        event_month,
        {{ iso_week("event_hour at time zone 'Asia/Shanghai'") }} as event_week,
        substr(event_month, 1, 4) as event_year,
        gender,
        age_band,
        district,
        insurance_type,
        visit_type,
        institution_code,
        admission_month,
        length_of_stay,
        diagnosis_code,
        upper(substr(replace(diagnosis_code, '.', ''), 1, 3)) as diagnosis_group,
        upper(substr(diagnosis_code, 1, 1)) as diagnosis_chapter,
        cast(total_amount as decimal(14, 2)) as total_amount,
        cast(fund_paid as decimal(14, 2)) as fund_paid,
        cast(account_paid as decimal(14, 2)) as account_paid,
        cast(self_pay as decimal(14, 2)) as self_pay,
        cast(self_expense as decimal(14, 2)) as self_expense,
        cast(self_pay + self_expense as decimal(14, 2)) as out_of_pocket,
        loaded_at
    from source
)

select * from renamed
