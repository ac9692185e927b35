{#-
  Each customer's first and last product use, kept incrementally (cohort_user_state), so that
  cohort_retention's incremental run looks up the customers of a load here instead of taking their
  earlier activity from the whole event history on every load. A refresh of cohort_retention
  refreshes this first; each run reads only the events loaded since the latest loaded_through.
  No index and no ANALYZE: its readers join it whole by hash (a run rewrites a fifth of it, which
  a unique index would make an index insert per row), and re-analyzing after every run cost more
  than the run's merge.
-#}
{{ config(
    materialized='incremental',
    incremental_strategy='merge',
    unique_key='user_id',
    on_schema_change='fail',
    pre_hook='set local jit = off',
    analyze=False,
) }}

{{ cohort_user_state(ref('stg_product_usage'), 'customer_id', 'used_at', '_loaded_at') }}
