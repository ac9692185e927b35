{#-
  Weekly, monthly and quarterly retention of customers by the period of their first product use.

  Incremental: a run adds what the customers with product usage loaded since the last run changed
  to the grid the table holds (generate_cohort_analysis_incremental), which gives exactly the rows
  a full build computes without grouping the whole history again. Their periods before the load
  come from the model's own per-customer state, kept by its hooks in the same transaction as the
  grid (cohort_state_prepare and cohort_state_update, macros/cohort_state.sql: a table
  cohort_retention__cohort_users beside this one), not from a pass over every event. Nearly every
  cohort changes in every run (an active customer changes their cohort's rows, a new period adds
  a row to every cohort), so each run writes the whole grid, a few thousand rows, and
  delete+insert replaces each grain whole: a cohort whose customers all moved to an earlier one (a
  late event before their first) then loses its rows too. Matching the old rows against one new
  row per cohort (period 0) rather than all of them keeps that delete's join small.
  `_inputs_loaded_at` records how far the events had been loaded: the next run's watermark.
-#}
{#- JIT compilation is off for the build: Postgres spends longer compiling these queries' hundreds
    of expressions than running them (at 1.2M events, the incremental query 6.7 s with JIT against
    0.6 s without, the full build 11.5 s against 7.8 s). The index serves a GraphQL filter on the
    grain and the natural order of a retention grid. No ANALYZE after a run: it rewrites the grid
    with rows of the same shape, and autovacuum analyzes a table rewritten whole anyway.
    Index scans are off too: the run reads a load's events by the index on _loaded_at, and an index
    scan visits them in that order, which is not the order they lie in the table (at 108,000
    customers, 26,000 rows 34-65 ms by index scan, 11 ms by bitmap scan, which reads each page once
    in table order); nothing else in an incremental run gains from an index scan. A full build
    keeps them: its max(_loaded_at) is one probe of that index. -#}
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['cohort_type'],
    incremental_predicates=['DBT_INTERNAL_SOURCE.period_number = 0'],
    on_schema_change='fail',
    pre_hook=[
        'set local jit = off',
        "{{ 'set local enable_indexscan = off' if is_incremental() }}",
        "{{ cohort_state_prepare(ref('stg_product_usage'), 'customer_id', 'used_at', '_loaded_at', '_inputs_loaded_at', var('cohort_periods')) }}",
    ],
    post_hook="{{ cohort_state_update(ref('stg_product_usage'), 'customer_id', 'used_at', '_loaded_at', '_inputs_loaded_at', var('cohort_periods')) }}",
    indexes=[{'columns': ['cohort_type', 'cohort_start', 'period_number']}],
    analyze=False,
) }}

{%- set periods = var('cohort_periods') %}
{%- set events = ref('stg_product_usage') %}

{%- if is_incremental() %}
  {#- The watermark as a literal: the planner can then read the new events by an index on the raw
      table's _loaded_at where the loader keeps one (as a subquery it expects a third of the table
      and scans it all). `martql generate` writes bare tables; bench/refresh.ts adds the index. #}
  {%- set watermark = toolkit_watermark_literal(this, '_inputs_loaded_at') %}
with cohorts as (
    {{ generate_cohort_analysis_incremental(events, 'customer_id', 'used_at', '_loaded_at', this, watermark,
        periods, state=true) }}
)
{%- else %}
with cohorts as (
    select
        grid.*,
        (select max(_loaded_at) from {{ events }}) as loaded_through
    from (
        {{ generate_cohort_analysis(events, 'customer_id', 'used_at', periods) }}
    ) grid
)
{%- endif %}

select
    cohort_type,
    cohort_start,
    period_number,
    period_start,
    cohort_size,
    active_users,
    retention_rate,
    unbounded_retention_rate,
    loaded_through as _inputs_loaded_at
from cohorts
