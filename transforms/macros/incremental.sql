{#- What an incremental model of the lab rebuilds, and how rows that left the lab leave it too
    (docs/lab.md, "Incremental builds"). The lab sink upserts with loaded_at = the load time, so
    every new or changed lab row has a load time after the newest one a model already holds; the
    lab's retention deletes whole months (medshare/lab/retention.py). -#}

{#- the newest `column` (a load time) this model holds, minus var('incremental_lookback_hours'):
    rows loaded after it are new to the model (loader clocks may disagree a little) -#}
{% macro load_watermark(column) %}
    (
        select coalesce(max({{ column }}), cast('1970-01-01 00:00:00+00' as timestamp with time zone))
        from {{ this }}
    ) - interval '{{ var("incremental_lookback_hours") }} hours'
{% endmacro %}

{#- the months an incremental mart must rebuild: those with lab rows loaded after the newest it holds -#}
{% macro changed_months(netted_rel, month_column='event_month') %}
    select distinct {{ month_column }}
    from {{ netted_rel }}
    where source_loaded_at > {{ load_watermark('source_loaded_at') }}
{% endmacro %}

{#- post-hook of a table of the JSON lines of settlements (fee lines, diagnoses), incremental by
    settlement: keep exactly the lines of the lab's current version of each settlement. Deletes the
    lines of settlements the lab no longer has (retention) and those of an earlier load of an
    upserted settlement (a delete+insert by key misses a settlement whose new version has no lines). -#}
{% macro delete_lines_not_current(key='settlement_id') %}
    {%- if is_incremental() -%}
    delete from {{ this }} as target
    where not exists (
        select 1
        from {{ source('lab', 'lab_settlements_v2') }} as lab
        where lab.setl_id = target.{{ key }} and lab.loaded_at = target.loaded_at
    )
    {%- endif -%}
{% endmacro %}

{#- post-hook of a model incremental by month: delete its months that `upstream` (filtered by
    `where`) no longer has any row of — a month the retention deleted, or one whose every row the
    model's own filter now drops — which a delete+insert by month never sees (it deletes only the
    months it inserts) -#}
{% macro delete_months_gone(upstream, month_column='event_month', upstream_month_column=none, where=none) %}
    {%- if is_incremental() -%}
    delete from {{ this }}
    where {{ month_column }} not in (
        select distinct {{ upstream_month_column or month_column }}
        from {{ upstream }}
        {% if where %}where {{ where }}{% endif %}
    )
    {%- endif -%}
{% endmacro %}
