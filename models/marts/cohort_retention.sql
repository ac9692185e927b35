{#-
  Weekly, monthly and quarterly retention of customers by the period of their first product use.

  Incremental by cohort (delete+insert on cohort_type + cohort_start). A run recomputes exactly the
  cohorts whose rows can have changed since the last one:
  - the cohorts of customers with events loaded since then, both their cohort now and the cohort
    their first activity fell in before (a late event earlier than a customer's first known
    activity moves them to an earlier cohort, and the old cohort loses them);
  - every cohort of a grain whose latest activity period advanced, because each cohort then gains
    a row for the new period.
  `_inputs_loaded_at` records how far the events had been loaded: the next run's watermark.
-#}
{#- The index serves the delete+insert key, a GraphQL filter on the grain, and the natural order
    of a retention grid (cohort, then period). -#}
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key=['cohort_type', 'cohort_start'],
    on_schema_change='fail',
    indexes=[{'columns': ['cohort_type', 'cohort_start', 'period_number']}],
) }}

{%- set periods = var('cohort_periods') %}
{%- set events = ref('stg_product_usage') %}

with cohorts as (
    {{ generate_cohort_analysis(events, 'customer_id', 'used_at', periods) }}
)

{%- if is_incremental() %},

watermark as (
    select coalesce(max(_inputs_loaded_at), '-infinity'::timestamptz) as loaded_at from {{ this }}
),

changed_customers as (
    select
        e.customer_id,
        min(e.used_at) as first_now,
        min(e.used_at) filter (where e._loaded_at <= (select loaded_at from watermark)) as first_before
    from {{ events }} e
    where e.customer_id in (
        select customer_id from {{ events }} where _loaded_at > (select loaded_at from watermark)
    )
    group by e.customer_id
),

affected as (
    {%- for grain in periods %}
    select '{{ grain }}' as cohort_type, cast({{ dbt.date_trunc(grain, 'first_now') }} as date) as cohort_start from changed_customers
    union
    select '{{ grain }}', cast({{ dbt.date_trunc(grain, 'first_before') }} as date) from changed_customers where first_before is not null
    union
    select '{{ grain }}', c.cohort_start
    from (select distinct cohort_start from {{ this }} where cohort_type = '{{ grain }}') c
    where (select max(cast({{ dbt.date_trunc(grain, 'used_at') }} as date)) from {{ events }})
        > (select max(period_start) from {{ this }} where cohort_type = '{{ grain }}')
    {%- if not loop.last %}
    union
    {%- endif %}
    {%- endfor %}
)
{%- endif %}

select
    cohorts.cohort_type,
    cohorts.cohort_start,
    cohorts.period_number,
    cohorts.period_start,
    cohorts.cohort_size,
    cohorts.active_users,
    cohorts.retention_rate,
    cohorts.unbounded_retention_rate,
    (select max(_loaded_at) from {{ events }}) as _inputs_loaded_at
from cohorts
{%- if is_incremental() %}
where (cohorts.cohort_type, cohorts.cohort_start) in (select cohort_type, cohort_start from affected)
{%- endif %}
