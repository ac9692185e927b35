{#- Monthly attributed revenue (linear model), one column per channel found in the data. -#}
{{ config(materialized='table') }}
{{ generate_pivot_table(
    '(select ' ~ dbt.date_trunc('month', 'converted_at') ~ ' as month, channel, attributed_value'
    ~ ' from ' ~ ref('fct_attribution') ~ " where attribution_model = 'linear') as linear_attribution",
    'month', 'channel', 'attributed_value', 'sum') }}
