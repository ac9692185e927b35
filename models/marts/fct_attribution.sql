{#-
  One row per conversion x touchpoint x attribution model.

  Incremental by conversion: each run recomputes every conversion that is new or changed, or whose
  attribution window received a touchpoint since the last run (late-arriving touchpoints), and
  replaces all of that conversion's rows (delete+insert on conversion_id). `_inputs_loaded_at`
  records how far the inputs had been loaded when a row was computed: the watermark of the next run.
  A run reads the touchpoints twice (those loaded since the watermark, then the affected customers'
  histories) and the orders; of its own table, only the watermark (one index probe). The planner
  cannot know the watermark when it plans, so it expects a third of every input to be new, by far
  too much. So JIT compilation is off (at 1M touchpoints the incremental query took 1.7-2.1 s with
  it, 0.5-0.75 s without; the full build is no slower without it), and the affected customers'
  touchpoints are materialized on their own, which keeps the planner from sorting every touchpoint
  for a merge join (and skips reading them when nothing is affected).
-#}
{#- Indexes: the GraphQL read BI pages use (one attribution model, latest conversions first, a
    stable tie-break) is one ordered index scan; conversion_id serves the delete+insert of each run
    and lookups of a conversion; customer_id the relationship to customers; converted_at date-range
    filters (a BRIN index was measured slower than a sequential scan here: the rows are only
    loosely in time order, correlation ~0.7); _inputs_loaded_at makes the watermark one index
    probe instead of a scan of the whole table. -#}
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='conversion_id',
    on_schema_change='fail',
    pre_hook='set local jit = off',
    indexes=[
        {'columns': ['attribution_model', 'converted_at desc', 'touchpoint_id']},
        {'columns': ['conversion_id']},
        {'columns': ['customer_id']},
        {'columns': ['converted_at']},
        {'columns': ['_inputs_loaded_at']},
    ],
) }}

{%- set window = var('attribution_window_days') %}

{%- if is_incremental() %}
with watermark as (
    select coalesce(max(_inputs_loaded_at), '-infinity'::timestamptz) as loaded_at from {{ this }}
),

new_touchpoints as (
    select customer_id, touched_at, _loaded_at
    from {{ ref('stg_touchpoints') }}
    where _loaded_at > (select loaded_at from watermark)
),

{#- New or updated conversions, plus conversions whose window holds a touchpoint loaded since the
    watermark. The late touchpoints are a small set, so they are joined to conversions (a hash join)
    rather than probed per conversion. -#}
affected_conversions as (
    select c.*
    from {{ ref('int_conversions') }} c
    where c._loaded_at > (select loaded_at from watermark)
    union
    select c.*
    from {{ ref('int_conversions') }} c
    inner join (select distinct customer_id, touched_at from new_touchpoints) late
        on late.customer_id = c.customer_id
    where late.touched_at <= c.converted_at
      and late.touched_at >= {{ dbt.dateadd('day', -1 * window, 'c.converted_at') }}
),

{#- How far the inputs are loaded now: loads only add rows (or re-load an order with a later
    _loaded_at), so this is the latest of the watermark, the new touchpoints and the orders, without
    a third pass over the touchpoints. -#}
inputs_loaded as (
    select greatest(
        (select loaded_at from watermark),
        (select max(_loaded_at) from new_touchpoints),
        (select max(_loaded_at) from {{ ref('int_conversions') }})
    ) as loaded_at
),

{#- The affected customers' touchpoints: a hash semi-join on a small set, so the attribution join
    below works on them rather than on every touchpoint. -#}
affected_touchpoints as materialized (
    select t.*
    from {{ ref('stg_touchpoints') }} t
    where t.customer_id in (select customer_id from affected_conversions)
),

attributed as (
    {{ calculate_attribution('affected_touchpoints', 'affected_conversions', window_days=window) }}
)
{%- else %}
with inputs_loaded as (
    select greatest(
        (select max(_loaded_at) from {{ ref('int_conversions') }}),
        (select max(_loaded_at) from {{ ref('stg_touchpoints') }})
    ) as loaded_at
),

attributed as (
    {{ calculate_attribution(ref('stg_touchpoints'), ref('int_conversions'), window_days=window) }}
)
{%- endif %}

select
    conversion_id,
    customer_id,
    touchpoint_id,
    channel,
    campaign,
    attribution_model,
    weight,
    attributed_value,
    touched_at,
    converted_at,
    (select loaded_at from inputs_loaded) as _inputs_loaded_at
from attributed
