{#- Descriptions from YAML written to the database as comments, when the model's config says
    `persist_docs: {relation: true, columns: true}`. Columns the relation lacks are skipped. -#}

{% macro persist_docs(relation, model, for_relation=true, for_columns=true) -%}
  {{ return(adapter.dispatch('persist_docs', 'dbt')(relation, model, for_relation, for_columns)) }}
{%- endmacro %}

{% macro default__persist_docs(relation, model, for_relation, for_columns) -%}
  {%- if for_relation and config.persist_relation_docs() and model.description -%}
    {%- do run_query(alter_relation_comment(relation, model.description)) -%}
  {%- endif -%}
  {%- if for_columns and config.persist_column_docs() and model.columns -%}
    {%- set sql = alter_column_comment(relation, model.columns) | trim -%}
    {%- if sql -%}{%- do run_query(sql) -%}{%- endif -%}
  {%- endif -%}
{%- endmacro %}

{% macro alter_relation_comment(relation, description) -%}
  {{ return(adapter.dispatch('alter_relation_comment', 'dbt')(relation, description)) }}
{%- endmacro %}

{% macro default__alter_relation_comment(relation, description) -%}
  {%- set found = load_relation(relation) -%}
  {%- set kind = 'view' if found is not none and found.is_view else ('materialized view' if found is not none and found.is_materialized_view else 'table') -%}
  comment on {{ kind }} {{ relation }} is '{{ description | replace("'", "''") }}'
{%- endmacro %}

{% macro alter_column_comment(relation, column_dict) -%}
  {{ return(adapter.dispatch('alter_column_comment', 'dbt')(relation, column_dict)) }}
{%- endmacro %}

{% macro default__alter_column_comment(relation, column_dict) -%}
  {%- set existing = adapter.get_columns_in_relation(relation) | map(attribute='name') | list -%}
  {%- for name, column in column_dict.items() if name in existing and column.description -%}
    comment on column {{ relation }}.{{ adapter.quote(name) }} is '{{ column.description | replace("'", "''") }}';
  {% endfor -%}
{%- endmacro %}
