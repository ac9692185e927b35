{#- The heuristic CLV model (macros/clv.sql) over all orders, valued as of the latest order. -#}
{{ config(materialized='table') }}
{{ calculate_predictive_clv(ref('stg_orders'), customer_id='customer_id', order_date='ordered_at', revenue='revenue') }}
