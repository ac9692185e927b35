{#- Weekly, monthly and quarterly retention of customers by the period of their first product use. -#}
{{ config(materialized='table') }}
{{ generate_cohort_analysis(ref('stg_product_usage'), 'customer_id', 'used_at', var('cohort_periods')) }}
