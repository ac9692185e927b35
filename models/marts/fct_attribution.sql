{#-
  One row per conversion x touchpoint x attribution model.

  Incremental by conversion: each run recomputes every conversion that is new or changed, or whose
  attribution window received a touchpoint since the last run (late-arriving touchpoints), and
  replaces all of that conversion's rows (delete+insert on conversion_id). `_inputs_loaded_at`
  records how far the inputs had been loaded when a row was computed: the watermark of the next run.
-#}
{#- Indexes: the GraphQL read BI pages use (one attribution model, latest conversions first, a
    stable tie-break) is one ordered index scan; conversion_id serves the delete+insert of each run
    and lookups of a conversion; customer_id the relationship to customers; converted_at date-range
    filters (a BRIN index was measured slower than a sequential scan here: the rows are only
    loosely in time order, correlation ~0.7). -#}
{{ config(
    materialized='incremental',
    incremental_strategy='delete+insert',
    unique_key='conversion_id',
    on_schema_change='fail',
    indexes=[
        {'columns': ['attribution_model', 'converted_at desc', 'touchpoint_id']},
        {'columns': ['conversion_id']},
        {'columns': ['customer_id']},
        {'columns': ['converted_at']},
    ],
) }}

{%- set window = var('attribution_window_days') %}

{%- if is_incremental() %}
  {%- set watermark %}(select coalesce(max(_inputs_loaded_at), '-infinity'::timestamptz) from {{ this }}){% endset %}
  {%- set conversions %}
    {#- New or updated conversions, plus conversions whose window holds a touchpoint loaded since the
        watermark. The late touchpoints are a small set, so they are joined to conversions (a hash
        join) rather than probed per conversion. -#}
    (select c.*
     from {{ ref('int_conversions') }} c
     where c._loaded_at > {{ watermark }}
     union
     select c.*
     from {{ ref('int_conversions') }} c
     join (
         select distinct customer_id, touched_at
         from {{ ref('stg_touchpoints') }}
         where _loaded_at > {{ watermark }}
     ) late on late.customer_id = c.customer_id
     where late.touched_at <= c.converted_at
       and late.touched_at >= {{ dbt.dateadd('day', -1 * window, 'c.converted_at') }}
    ) as affected_conversions
  {%- endset %}
{%- else %}
  {%- set conversions = ref('int_conversions') %}
{%- endif %}

with attributed as (
    {{ calculate_attribution(ref('stg_touchpoints'), conversions, window_days=window) }}
)

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
    (select greatest(
        (select max(_loaded_at) from {{ ref('int_conversions') }}),
        (select max(_loaded_at) from {{ ref('stg_touchpoints') }})
    )) as _inputs_loaded_at
from attributed
