{#- Customer journeys aggregated into channel paths: the input of the Markov attribution model. -#}
{{ config(materialized='table') }}
{{ markov_paths(ref('stg_touchpoints'), ref('int_conversions'), var('attribution_window_days')) }}
