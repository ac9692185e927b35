{#- Attributed conversions and value per channel for every attribution model, side by side:
    the five rule-based models from fct_attribution and the data-driven Markov model. -#}
{{ config(materialized='table') }}

with rule_based as (
    select
        attribution_model,
        channel,
        sum(weight) as conversions,
        sum(attributed_value) as attributed_value
    from {{ ref('fct_attribution') }}
    group by attribution_model, channel
),

data_driven as (
    select
        'markov' as attribution_model,
        channel,
        conversions,
        attributed_value
    from {{ ref('attribution_markov') }}
),

all_models as (
    select attribution_model, channel, cast(conversions as double precision) as conversions, cast(attributed_value as numeric(18, 2)) as attributed_value
    from rule_based
    union all
    select attribution_model, channel, cast(conversions as double precision), cast(attributed_value as numeric(18, 2))
    from data_driven
)

select
    attribution_model,
    channel,
    conversions,
    attributed_value,
    round(attributed_value / nullif(sum(attributed_value) over (partition by attribution_model), 0), 6) as share
from all_models
order by attribution_model, attributed_value desc
