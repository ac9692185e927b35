{#- The DDL that turns a SELECT into a relation. Each dispatches, so a project can change it. -#}

{% macro get_create_table_as_sql(temporary, relation, sql) -%}
  {{ return(create_table_as(temporary, relation, sql)) }}
{%- endmacro %}

{% macro create_table_as(temporary, relation, compiled_code, language='sql') -%}
  {{ return(adapter.dispatch('create_table_as', 'dbt')(temporary, relation, compiled_code)) }}
{%- endmacro %}

{% macro default__create_table_as(temporary, relation, sql) -%}
  create {% if temporary %}temporary {% endif %}table {{ relation }} as (
{{ sql }}
)
{%- endmacro %}

{#- MartQL runs a materialization in one transaction, so a temporary table is dropped when it
    commits instead of outliving the build on a pooled connection. `unlogged: true` in a model's
    config skips the write-ahead log for a table that can be rebuilt. -#}
{% macro postgres__create_table_as(temporary, relation, sql) -%}
  {%- if temporary -%}
  create temporary table {{ relation.include(schema=false) }} on commit drop as (
{{ sql }}
)
  {%- else -%}
  create {% if config.get('unlogged', false) %}unlogged {% endif %}table {{ relation }} as (
{{ sql }}
)
  {%- endif -%}
{%- endmacro %}

{% macro get_create_view_as_sql(relation, sql) -%}
  {{ return(create_view_as(relation, sql)) }}
{%- endmacro %}

{% macro create_view_as(relation, sql) -%}
  {{ return(adapter.dispatch('create_view_as', 'dbt')(relation, sql)) }}
{%- endmacro %}

{% macro default__create_view_as(relation, sql) -%}
  create view {{ relation }} as (
{{ sql }}
)
{%- endmacro %}
