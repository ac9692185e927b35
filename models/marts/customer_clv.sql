{#- Customer lifetime value two ways: the heuristic model (macros/clv.sql) and BG/NBD with
    Gamma-Gamma (customer_clv_probabilistic), one row per customer with orders. -#}
{#- Indexes: one row per customer (unique, also the GraphQL by-key lookup), the segment filter, and
    "top customers by predicted value" (a btree is read backwards for DESC). -#}
{{ config(
    materialized='table',
    indexes=[
        {'columns': ['customer_id'], 'unique': true},
        {'columns': ['customer_segment']},
        {'columns': ['predicted_clv']},
    ],
) }}

select
    h.customer_id,
    h.frequency,
    h.recency_days,
    h.tenure_days,
    h.avg_order_value,
    h.total_spent,
    h.customer_segment,
    h.heuristic_clv,
    h.prediction_confidence,
    p.expected_purchases_horizon,
    p.probability_alive,
    p.predicted_clv
from {{ ref('customer_clv_heuristic') }} h
left join {{ ref('customer_clv_probabilistic') }} p using (customer_id)
