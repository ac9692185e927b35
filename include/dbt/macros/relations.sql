{#- Relations a materialization builds next to its model, and reading one back from the catalog.
    Postgres keeps identifiers to 63 bytes, so a long base name is cut to leave room for the suffix. -#}

{% macro load_relation(relation) -%}
  {{ return(adapter.get_relation(database=relation.database, schema=relation.schema, identifier=relation.identifier)) }}
{%- endmacro %}

{#- `<name><suffix>` in the model's schema: the relation a build fills before it is swapped in. -#}
{% macro make_intermediate_relation(base_relation, suffix='__dbt_tmp') -%}
  {{ return(adapter.dispatch('make_intermediate_relation', 'dbt')(base_relation, suffix)) }}
{%- endmacro %}

{% macro default__make_intermediate_relation(base_relation, suffix) -%}
  {%- set identifier = base_relation.identifier[:63 - (suffix | length)] ~ suffix -%}
  {{ return(base_relation.incorporate(path={'identifier': identifier})) }}
{%- endmacro %}

{#- Where the old relation waits during a swap; `backup_relation_type` is what it is now. -#}
{% macro make_backup_relation(base_relation, backup_relation_type, suffix='__dbt_backup') -%}
  {{ return(adapter.dispatch('make_backup_relation', 'dbt')(base_relation, backup_relation_type, suffix)) }}
{%- endmacro %}

{% macro default__make_backup_relation(base_relation, backup_relation_type, suffix) -%}
  {%- set identifier = base_relation.identifier[:63 - (suffix | length)] ~ suffix -%}
  {{ return(base_relation.incorporate(path={'identifier': identifier}, type=backup_relation_type)) }}
{%- endmacro %}

{#- A uniquely named temporary relation, for staging rows within one build. -#}
{% macro make_temp_relation(base_relation, suffix='__dbt_tmp') -%}
  {{ return(adapter.dispatch('make_temp_relation', 'dbt')(base_relation, suffix)) }}
{%- endmacro %}

{% macro default__make_temp_relation(base_relation, suffix) -%}
  {%- set identifier = base_relation.identifier[:63 - (suffix | length)] ~ suffix -%}
  {{ return(base_relation.incorporate(path={'identifier': identifier})) }}
{%- endmacro %}

{#- Postgres temporary tables live in the session's own schema, so the relation has none; the time
    in the name keeps two stagings of one model in a session apart. -#}
{% macro postgres__make_temp_relation(base_relation, suffix) -%}
  {%- set stamp = modules.datetime.datetime.now().strftime('%H%M%S%f') -%}
  {%- set tail = suffix ~ stamp -%}
  {%- set identifier = base_relation.identifier[:63 - (tail | length)] ~ tail -%}
  {{ return(base_relation.incorporate(path={'identifier': identifier, 'schema': none, 'database': none}, type='table')) }}
{%- endmacro %}
