{#-
  How each model performs across MartQL's run history, with a recommendation.

  A run counts as slow when it takes longer than `performance_slow_run_seconds` (default 300).
  Recommendations, first match wins: average over 600 s -> partition or go incremental; over 300 s
  -> review query complexity and indexing; more than 20% of runs slow -> investigate variability;
  else acceptable. MartQL's state schema is `martql` unless MARTQL_STATE_SCHEMA says otherwise.
-#}
{{ config(materialized='view', tags=['monitoring']) }}

{%- set slow = var('performance_slow_run_seconds', 300) %}
{%- set state_schema = env_var('MARTQL_STATE_SCHEMA', 'martql') %}

with runs as (
    select
        unique_id,
        duration_ms / 1000.0 as seconds
    from {{ adapter.quote(state_schema) }}.run_history
    where resource_type = 'model'
      and status in ('success', 'error')
),

per_model as (
    select
        unique_id,
        count(*) as total_runs,
        avg(seconds) as avg_execution_seconds,
        max(seconds) as max_execution_seconds,
        count(*) filter (where seconds > {{ slow }}) as slow_runs
    from runs
    group by unique_id
)

select
    split_part(unique_id, '.', 3) as model,
    unique_id,
    total_runs,
    round(avg_execution_seconds::numeric, 3) as avg_execution_seconds,
    round(max_execution_seconds::numeric, 3) as max_execution_seconds,
    slow_runs,
    case
        when avg_execution_seconds > 600 then 'consider partitioning or an incremental materialization'
        when avg_execution_seconds > 300 then 'review query complexity and indexing'
        when slow_runs > 0.2 * total_runs then 'investigate variability between runs'
        else 'acceptable'
    end as recommendation
from per_model
