{#-
  track_model_performance(log_schema=none, log_table='model_performance_log')

  For a model's post-hook:  +post-hook: "{{ analytics_engineering_toolkit.track_model_performance() }}"
  Creates <log_schema>.<log_table> if missing (log_schema defaults to target.schema) and appends one
  row for the model just built:
    invocation_id     the run's invocation_id
    unique_id         model.unique_id, e.g. model.my_project.orders
    relation_name     this, rendered ("schema"."name")
    row_count         count(*) of the built relation
    run_started_at    when the invocation started
    recorded_at       when the hook ran (the warehouse's current timestamp)
  Renders nothing at parse time (execute false), so it costs nothing to compile.
  Postgres serializes the CREATE TABLE IF NOT EXISTS of concurrent threads with a transaction-level
  advisory lock (two sessions creating the same table at once otherwise collide in the catalog).
-#}
{% macro track_model_performance(log_schema=none, log_table='model_performance_log') -%}
  {{ return(adapter.dispatch('track_model_performance', 'analytics_engineering_toolkit')(log_schema, log_table)) }}
{%- endmacro %}

{% macro default__track_model_performance(log_schema, log_table) -%}
{%- if execute -%}
{%- set schema = log_schema if log_schema is not none else target.schema -%}
{%- set log_relation = adapter.quote(schema) ~ '.' ~ adapter.quote(log_table) -%}
{{ toolkit_performance_log_lock(log_relation) }}
create table if not exists {{ log_relation }} (
    invocation_id {{ dbt.type_string() }},
    unique_id {{ dbt.type_string() }},
    relation_name {{ dbt.type_string() }},
    row_count {{ dbt.type_bigint() }},
    run_started_at {{ dbt.type_timestamp() }},
    recorded_at {{ dbt.type_timestamp() }}
);
insert into {{ log_relation }} (invocation_id, unique_id, relation_name, row_count, run_started_at, recorded_at)
select
    {{ dbt.string_literal(invocation_id) }},
    {{ dbt.string_literal(model.unique_id) }},
    {{ dbt.string_literal(this | string) }},
    count(*),
    cast({{ dbt.string_literal(run_started_at.strftime('%Y-%m-%d %H:%M:%S')) }} as {{ dbt.type_timestamp() }}),
    cast({{ dbt.current_timestamp() }} as {{ dbt.type_timestamp() }})
from {{ this }}
{%- endif -%}
{%- endmacro %}

{% macro toolkit_performance_log_lock(log_relation) -%}
  {{ return(adapter.dispatch('toolkit_performance_log_lock', 'analytics_engineering_toolkit')(log_relation)) }}
{%- endmacro %}
{% macro default__toolkit_performance_log_lock(log_relation) -%}{%- endmacro %}
{% macro postgres__toolkit_performance_log_lock(log_relation) -%}
select pg_advisory_xact_lock(hashtext({{ dbt.string_literal(log_relation) }}));
{%- endmacro %}
