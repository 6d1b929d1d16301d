{#- Models land in schemas named exactly as configured (staging, intermediate, marts), not
    <target schema>_<custom>: the release code reads marts.<model> on every target. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}{{ target.schema }}{%- else -%}{{ custom_schema_name | trim }}{%- endif -%}
{%- endmacro %}
