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

{#- one row per element of the JSON array column `items` of relation `rel`:
    (settlement_id, item_index starting at 1, item_code, category, catalogue_class, special_drug,
     quantity, amount, self_expense) -#}
{% macro unnest_items(rel) %}{{ return(adapter.dispatch('unnest_items', 'medshare_lab')(rel)) }}{% endmacro %}
{% macro default__unnest_items(rel) %}
    select
        s.settlement_id,
        i.idx::bigint as item_index,
        i.item ->> 'item_code' as item_code,
        i.item ->> 'category' as category,
        i.item ->> 'catalogue_class' as catalogue_class,
        (i.item ->> 'special_drug')::boolean as special_drug,
        (i.item ->> 'quantity')::double precision as quantity,
        (i.item ->> 'amount')::decimal(14, 2) as amount,
        (i.item ->> 'self_expense')::decimal(14, 2) as self_expense
    from {{ rel }} as s
    cross join lateral jsonb_array_elements(s.items::jsonb) with ordinality as i (item, idx)
{% endmacro %}
{% macro duckdb__unnest_items(rel) %}
    with parsed as (
        select
            settlement_id,
            from_json(items, '[{"item_code": "VARCHAR", "category": "VARCHAR", "catalogue_class": "VARCHAR",
                                "special_drug": "BOOLEAN", "quantity": "DOUBLE", "amount": "DECIMAL(14,2)",
                                "self_expense": "DECIMAL(14,2)"}]') as item_list
        from {{ rel }}
    ),
    exploded as (
        select settlement_id, generate_subscripts(item_list, 1) as item_index, unnest(item_list) as item
        from parsed
    )
    select
        settlement_id,
        item_index::bigint as item_index,
        item.item_code as item_code,
        item.category as category,
        item.catalogue_class as catalogue_class,
        item.special_drug as special_drug,
        item.quantity as quantity,
        item.amount as amount,
        item.self_expense as self_expense
    from exploded
{% endmacro %}

{#- the months an incremental mart must rebuild: those with lab rows loaded after the newest it holds -#}
{% macro changed_months(netted_rel, month_column='event_month') %}
    select distinct {{ month_column }}
    from {{ netted_rel }}
    where source_loaded_at > (
        select coalesce(max(source_loaded_at), cast('1970-01-01 00:00:00+00' as timestamp with time zone))
        from {{ this }}
    ) - interval '{{ var("incremental_lookback_hours") }} hours'
{% endmacro %}
