{#- The few places DuckDB and Postgres spell SQL differently, dispatched per adapter. -#}

{#- continuous percentile of expr (an aggregate) -#}
{% macro percentile(expr, p) %}{{ return(adapter.dispatch('percentile', 'medshare_lab')(expr, p)) }}{% endmacro %}
{% macro default__percentile(expr, p) %}percentile_cont({{ p }}) within group (order by {{ expr }}){% endmacro %}
{% macro duckdb__percentile(expr, p) %}quantile_cont({{ expr }}, {{ p }}){% endmacro %}

{#- ISO 8601 week 'YYYY-Www' of a local timestamp -#}
{% macro iso_week(ts) %}{{ return(adapter.dispatch('iso_week', 'medshare_lab')(ts)) }}{% endmacro %}
{% macro default__iso_week(ts) %}to_char({{ ts }}, 'IYYY-"W"IW'){% endmacro %}
{% macro duckdb__iso_week(ts) %}strftime({{ ts }}, '%G-W%V'){% endmacro %}

{#- 'YYYY-MM' of a local timestamp or date -#}
{% macro year_month(ts) %}{{ return(adapter.dispatch('year_month', 'medshare_lab')(ts)) }}{% endmacro %}
{% macro default__year_month(ts) %}to_char({{ ts }}, 'YYYY-MM'){% endmacro %}
{% macro duckdb__year_month(ts) %}strftime({{ ts }}, '%Y-%m'){% endmacro %}

{#- one row per element of the JSON array column `feedetail` of relation `rel` (lab_settlements_v2):
    (setl_id, item_index from 1, feedetl_sn, med_list_codg, med_chrgitm_type, chrgitm_lv,
     list_sp_item_flag, hi_nego_drug_flag, cnt, det_item_fee_sumamt, fulamt_ownpay_amt, overlmt_amt,
     preselfpay_amt, inscp_scp_amt, loaded_at) -#}
{% macro unnest_fee_lines(rel) %}{{ return(adapter.dispatch('unnest_fee_lines', 'medshare_lab')(rel)) }}{% endmacro %}
{% macro default__unnest_fee_lines(rel) %}
    select
        s.setl_id,
        i.idx::bigint as item_index,
        i.item ->> 'feedetl_sn' as feedetl_sn,
        i.item ->> 'med_list_codg' as med_list_codg,
        i.item ->> 'med_chrgitm_type' as med_chrgitm_type,
        i.item ->> 'chrgitm_lv' as chrgitm_lv,
        i.item ->> 'list_sp_item_flag' as list_sp_item_flag,
        i.item ->> 'hi_nego_drug_flag' as hi_nego_drug_flag,
        (i.item ->> 'cnt')::double precision as cnt,
        (i.item ->> 'det_item_fee_sumamt')::decimal(14, 2) as det_item_fee_sumamt,
        (i.item ->> 'fulamt_ownpay_amt')::decimal(14, 2) as fulamt_ownpay_amt,
        (i.item ->> 'overlmt_amt')::decimal(14, 2) as overlmt_amt,
        (i.item ->> 'preselfpay_amt')::decimal(14, 2) as preselfpay_amt,
        (i.item ->> 'inscp_scp_amt')::decimal(14, 2) as inscp_scp_amt,
        s.loaded_at
    from {{ rel }} as s
    cross join lateral jsonb_array_elements(s.feedetail::jsonb) with ordinality as i (item, idx)
{% endmacro %}
{% macro duckdb__unnest_fee_lines(rel) %}
    with parsed as (
        select
            setl_id,
            loaded_at,
            from_json(feedetail, '[{"feedetl_sn": "VARCHAR", "med_list_codg": "VARCHAR", "med_chrgitm_type": "VARCHAR",
                                    "chrgitm_lv": "VARCHAR", "list_sp_item_flag": "VARCHAR", "hi_nego_drug_flag": "VARCHAR",
                                    "cnt": "DOUBLE", "det_item_fee_sumamt": "DECIMAL(14,2)",
                                    "fulamt_ownpay_amt": "DECIMAL(14,2)", "overlmt_amt": "DECIMAL(14,2)",
                                    "preselfpay_amt": "DECIMAL(14,2)", "inscp_scp_amt": "DECIMAL(14,2)"}]') as item_list
        from {{ rel }}
    ),
    exploded as (
        select setl_id, loaded_at, generate_subscripts(item_list, 1) as item_index, unnest(item_list) as item
        from parsed
    )
    select
        setl_id,
        item_index::bigint as item_index,
        item.feedetl_sn as feedetl_sn,
        item.med_list_codg as med_list_codg,
        item.med_chrgitm_type as med_chrgitm_type,
        item.chrgitm_lv as chrgitm_lv,
        item.list_sp_item_flag as list_sp_item_flag,
        item.hi_nego_drug_flag as hi_nego_drug_flag,
        item.cnt as cnt,
        item.det_item_fee_sumamt as det_item_fee_sumamt,
        item.fulamt_ownpay_amt as fulamt_ownpay_amt,
        item.overlmt_amt as overlmt_amt,
        item.preselfpay_amt as preselfpay_amt,
        item.inscp_scp_amt as inscp_scp_amt,
        loaded_at
    from exploded
{% endmacro %}

{#- one row per element of the JSON array column `diseinfo` of relation `rel` (lab_settlements_v2):
    (setl_id, diag_type, diag_srt_no, diag_code, maindiag_flag, loaded_at) -#}
{% macro unnest_diagnoses(rel) %}{{ return(adapter.dispatch('unnest_diagnoses', 'medshare_lab')(rel)) }}{% endmacro %}
{% macro default__unnest_diagnoses(rel) %}
    select
        s.setl_id,
        d.item ->> 'diag_type' as diag_type,
        (d.item ->> 'diag_srt_no')::integer as diag_srt_no,
        d.item ->> 'diag_code' as diag_code,
        d.item ->> 'maindiag_flag' as maindiag_flag,
        s.loaded_at
    from {{ rel }} as s
    cross join lateral jsonb_array_elements(s.diseinfo::jsonb) as d (item)
{% endmacro %}
{% macro duckdb__unnest_diagnoses(rel) %}
    with parsed as (
        select
            setl_id,
            loaded_at,
            from_json(diseinfo, '[{"diag_type": "VARCHAR", "diag_srt_no": "INTEGER", "diag_code": "VARCHAR",
                                   "maindiag_flag": "VARCHAR"}]') as diag_list
        from {{ rel }}
    ),
    exploded as (
        select setl_id, loaded_at, unnest(diag_list) as d from parsed
    )
    select
        setl_id,
        d.diag_type as diag_type,
        d.diag_srt_no as diag_srt_no,
        d.diag_code as diag_code,
        d.maindiag_flag as maindiag_flag,
        loaded_at
    from exploded
{% endmacro %}
