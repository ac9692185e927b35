{#-
  calculate_attribution(touchpoints, conversions, window_days=none, models=none, ...column names...)

  Multi-touch marketing attribution. Returns a SELECT with one row per
  conversion x touchpoint x attribution model.

  Arguments
    touchpoints      relation (ref/source) or subquery text with one row per marketing touch
    conversions      relation with one row per conversion (conversion ids must be unique)
    window_days      a touch counts for a conversion of the same customer when
                     converted_at - window_days days <= touched_at <= converted_at
                     (default: var attribution_window_days, 30)
    models           list (or one name) out of first_touch, last_touch, linear, time_decay, u_shaped
                     (default: all five)
    half_life_days   time-decay half life in days (default: var attribution_half_life_days, 7)
    Column names in the inputs (SQL expressions, defaults in brackets):
      touchpoints: touchpoint_id [touchpoint_id], customer_id [customer_id],
                   touched_at [touched_at], channel [channel], campaign [campaign]
      conversions: conversion_id [conversion_id], conversion_customer_id [same as customer_id],
                   converted_at [converted_at], revenue [revenue]

  Output columns
    conversion_id, customer_id, touchpoint_id, channel, campaign,
    attribution_model   one of the requested models
    weight              numeric in [0, 1]; for each (conversion_id, attribution_model) the weights sum
                        to exactly 1
    attributed_value    conversion_value * weight (exact numeric arithmetic, so it sums to the
                        conversion's value exactly)
    touched_at, converted_at
    conversion_value    the conversion's revenue (extra column)
    touch_position      1-based position of the touch in the conversion's path (extra column)
    touch_count         touches in the path (extra column)
    days_before_conversion  (converted_at - touched_at) in days, fractional (extra column)

  Touches are ordered by touched_at, then touchpoint_id (deterministic tie break).
    first_touch  1 for position 1, else 0
    last_touch   1 for the last position, else 0
    linear       1 / n
    time_decay   2^(-d_i / half_life) / sum_j 2^(-d_j / half_life), d = days_before_conversion
                 (computed as 2^(-(d_i - min d) / half_life), the same ratio without underflow)
    u_shaped     n = 1: 1; n = 2: 0.5 each; n >= 3: 0.4 first, 0.4 last, 0.2 / (n - 2) each middle touch
  Weights are computed in double precision, rounded to 12 decimal places as numeric, and the last
  touch of each path takes 1 - (sum of the other rounded weights), so they sum to 1 exactly.
  Conversions without any touch in the window produce no rows.
-#}
{% macro calculate_attribution(touchpoints, conversions, window_days=none, models=none,
    customer_id='customer_id', touched_at='touched_at', channel='channel', campaign='campaign',
    touchpoint_id='touchpoint_id', conversion_id='conversion_id', converted_at='converted_at',
    revenue='revenue', conversion_customer_id=none, half_life_days=none) -%}
  {{ return(adapter.dispatch('calculate_attribution', 'analytics_engineering_toolkit')(
      touchpoints, conversions, window_days, models, customer_id, touched_at, channel, campaign,
      touchpoint_id, conversion_id, converted_at, revenue, conversion_customer_id, half_life_days)) }}
{%- endmacro %}

{% macro default__calculate_attribution(touchpoints, conversions, window_days, models,
    customer_id, touched_at, channel, campaign, touchpoint_id, conversion_id, converted_at,
    revenue, conversion_customer_id, half_life_days) -%}
{%- set all_models = ['first_touch', 'last_touch', 'linear', 'time_decay', 'u_shaped'] -%}
{%- set chosen = toolkit_as_list(models) if models is not none else all_models -%}
{%- if chosen | length == 0 -%}
  {{ exceptions.raise_compiler_error("calculate_attribution: models is empty") }}
{%- endif -%}
{%- for m in chosen -%}
  {%- if m not in all_models -%}
    {{ exceptions.raise_compiler_error("calculate_attribution: unknown attribution model '" ~ m ~ "' (known: " ~ all_models | join(', ') ~ ")") }}
  {%- endif -%}
{%- endfor -%}
{%- set half_life = half_life_days if half_life_days is not none else toolkit_var('attribution_half_life_days') -%}
{%- if half_life | float <= 0 -%}
  {{ exceptions.raise_compiler_error("calculate_attribution: half_life_days must be positive, got " ~ half_life) }}
{%- endif -%}
{%- set float_type = dbt.type_float() -%}
with

{{ toolkit_attribution_paths_ctes(touchpoints, conversions, window_days, customer_id, touched_at,
    channel, campaign, touchpoint_id, conversion_id, converted_at, revenue, conversion_customer_id) }},

attribution_positioned as (
    select
        *,
        row_number() over (
            partition by conversion_id order by touched_at, touchpoint_id
        ) as touch_position,
        count(*) over (partition by conversion_id) as touch_count,
        min(days_before_conversion) over (partition by conversion_id) as min_days_before
    from attribution_paths
),

attribution_raw as (
    select
        *,
        cast(case when touch_position = 1 then 1 else 0 end as {{ float_type }}) as w_first_touch,
        cast(case when touch_position = touch_count then 1 else 0 end as {{ float_type }}) as w_last_touch,
        cast(1 as {{ float_type }}) / touch_count as w_linear,
        power(cast(2 as {{ float_type }}), -(days_before_conversion - min_days_before) / {{ half_life }})
            / sum(power(cast(2 as {{ float_type }}), -(days_before_conversion - min_days_before) / {{ half_life }}))
                over (partition by conversion_id) as w_time_decay,
        cast(case
            when touch_count = 1 then 1
            when touch_count = 2 then 0.5
            when touch_position = 1 or touch_position = touch_count then 0.4
            else 0.2 / (touch_count - 2)
        end as {{ float_type }}) as w_u_shaped
    from attribution_positioned
),

attribution_unpivoted as (
    {% for m in chosen %}
    select
        conversion_id, customer_id, touchpoint_id, channel, campaign, touched_at, converted_at,
        conversion_value, touch_position, touch_count, days_before_conversion,
        '{{ m }}' as attribution_model,
        round(cast(w_{{ m }} as {{ toolkit_exact_numeric() }}), 12) as rounded_weight
    from attribution_raw
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

attribution_weighted as (
    select
        *,
        case
            when touch_position = touch_count
                then 1 - (sum(rounded_weight) over (partition by conversion_id, attribution_model) - rounded_weight)
            else rounded_weight
        end as weight
    from attribution_unpivoted
)

select
    conversion_id,
    customer_id,
    touchpoint_id,
    channel,
    campaign,
    attribution_model,
    weight,
    conversion_value * weight as attributed_value,
    touched_at,
    converted_at,
    conversion_value,
    touch_position,
    touch_count,
    days_before_conversion
from attribution_weighted
{%- endmacro %}


{#-
  markov_paths(touchpoints, conversions, window_days=none, ...column names as in calculate_attribution...,
               path_separator=' > ')

  Customer journeys aggregated into channel paths, the input of a Markov-chain attribution model.
  Journeys:
    converting  one per conversion: the channels of the touches that calculate_attribution counts
                for it (same window), ordered by touched_at, touchpoint_id;
    null        the touches no conversion counts, per customer, split by the customer's conversions
                (touches after the k-th conversion and not counted by a later one form one journey).
  A channel that is null becomes '(unknown)'. Channels must not contain the separator.

  Output columns (one row per distinct path)
    path              channels joined by path_separator, e.g. 'email > paid_search > direct'
    path_length       number of touches in the path
    conversions       converting journeys with this path
    nulls             journeys with this path that did not convert
    conversion_value  total revenue of the converting journeys (0 when none)
    journeys          conversions + nulls
-#}
{% macro markov_paths(touchpoints, conversions, window_days=none,
    customer_id='customer_id', touched_at='touched_at', channel='channel', campaign='campaign',
    touchpoint_id='touchpoint_id', conversion_id='conversion_id', converted_at='converted_at',
    revenue='revenue', conversion_customer_id=none, path_separator=' > ') -%}
  {{ return(adapter.dispatch('markov_paths', 'analytics_engineering_toolkit')(
      touchpoints, conversions, window_days, customer_id, touched_at, channel, campaign,
      touchpoint_id, conversion_id, converted_at, revenue, conversion_customer_id, path_separator)) }}
{%- endmacro %}

{% macro default__markov_paths(touchpoints, conversions, window_days, customer_id, touched_at,
    channel, campaign, touchpoint_id, conversion_id, converted_at, revenue, conversion_customer_id,
    path_separator) -%}
{%- set sep = dbt.string_literal(path_separator) -%}
with

{{ toolkit_attribution_paths_ctes(touchpoints, conversions, window_days, customer_id, touched_at,
    channel, campaign, touchpoint_id, conversion_id, converted_at, revenue, conversion_customer_id) }},

converting_journeys as (
    select
        conversion_id,
        {{ dbt.listagg("coalesce(channel, '(unknown)')", sep, "order by touched_at, touchpoint_id") }} as path,
        count(*) as path_length,
        max(conversion_value) as conversion_value
    from attribution_paths
    group by conversion_id
),

{#- A touch's journey number is how many of its customer's conversions happened strictly before it.
    It is a running count over the customer's touches and conversions in time order, conversions
    after touches of the same instant: one sort, where a per-touch count of conversions would scan
    every conversion for every touch (hours at a million touchpoints). A touch without a customer
    or a time belongs to journey 0, as no conversion precedes it. -#}
uncounted_events as (
    select t.customer_id, t.touchpoint_id, t.touched_at, t.channel, t.touched_at as event_at, 0 as is_conversion
    from attribution_touchpoints t
    where not exists (
        select 1 from attribution_paths p where p.touchpoint_id = t.touchpoint_id
    )
    union all
    select c.customer_id, null, null, null, c.converted_at, 1
    from attribution_conversions c
    where c.customer_id is not null and c.converted_at is not null
),

uncounted_touches as (
    select customer_id, touchpoint_id, touched_at, channel, journey_number
    from (
        select
            customer_id,
            touchpoint_id,
            touched_at,
            channel,
            is_conversion,
            case
                when customer_id is null or event_at is null then 0
                else sum(is_conversion) over (
                    partition by customer_id
                    order by event_at, is_conversion
                    rows between unbounded preceding and current row
                )
            end as journey_number
        from uncounted_events
    ) numbered
    where is_conversion = 0
),

null_journeys as (
    select
        customer_id,
        journey_number,
        {{ dbt.listagg("coalesce(channel, '(unknown)')", sep, "order by touched_at, touchpoint_id") }} as path,
        count(*) as path_length
    from uncounted_touches
    group by customer_id, journey_number
),

journeys as (
    select path, path_length, 1 as converted, conversion_value from converting_journeys
    union all
    select path, path_length, 0 as converted, cast(0 as {{ toolkit_exact_numeric() }}) as conversion_value
    from null_journeys
)

select
    path,
    path_length,
    sum(converted) as conversions,
    sum(1 - converted) as nulls,
    sum(conversion_value) as conversion_value,
    count(*) as journeys
from journeys
group by path, path_length
{%- endmacro %}


{#- The CTEs shared by calculate_attribution and markov_paths (internal):
    attribution_touchpoints, attribution_conversions, and attribution_paths = every
    (conversion, touch) pair of one customer with the touch inside the window. -#}
{% macro toolkit_attribution_paths_ctes(touchpoints, conversions, window_days, customer_id,
    touched_at, channel, campaign, touchpoint_id, conversion_id, converted_at, revenue,
    conversion_customer_id) -%}
{%- set window = window_days if window_days is not none else toolkit_var('attribution_window_days') -%}
{%- set conv_customer = conversion_customer_id if conversion_customer_id is not none else customer_id -%}
attribution_touchpoints as (
    select
        {{ touchpoint_id }} as touchpoint_id,
        {{ customer_id }} as customer_id,
        {{ touched_at }} as touched_at,
        {{ channel }} as channel,
        {{ campaign }} as campaign
    from {{ touchpoints }}
),

attribution_conversions as (
    select
        {{ conversion_id }} as conversion_id,
        {{ conv_customer }} as customer_id,
        {{ converted_at }} as converted_at,
        cast({{ revenue }} as {{ toolkit_exact_numeric() }}) as conversion_value
    from {{ conversions }}
),

attribution_paths as (
    select
        c.conversion_id,
        c.customer_id,
        c.converted_at,
        c.conversion_value,
        t.touchpoint_id,
        t.channel,
        t.campaign,
        t.touched_at,
        cast({{ dbt.datediff('t.touched_at', 'c.converted_at', 'second') }} as {{ dbt.type_float() }})
            / 86400 as days_before_conversion
    from attribution_conversions c
    inner join attribution_touchpoints t
        on t.customer_id = c.customer_id
        and t.touched_at <= c.converted_at
        and t.touched_at >= {{ dbt.dateadd('day', -1 * (window | int), 'c.converted_at') }}
)
{%- endmacro %}

{#- The exact decimal type weights and money are computed in (unconstrained numeric on Postgres). -#}
{% macro toolkit_exact_numeric() -%}
  {{ return(adapter.dispatch('toolkit_exact_numeric', 'analytics_engineering_toolkit')()) }}
{%- endmacro %}
{% macro default__toolkit_exact_numeric() -%}numeric{%- endmacro %}
