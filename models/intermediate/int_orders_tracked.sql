{#- Every order ever loaded, kept by the project's custom_incremental materialization
    (macros/materializations/): an order changes here only when its updated_at is newer, and an
    order that disappears from the raw data stays, marked deleted. -#}
{{ config(materialized='custom_incremental', unique_key='order_id') }}

select
    order_id,
    customer_id,
    ordered_at,
    revenue,
    status,
    updated_at as _updated_at
from {{ ref('stg_orders') }}
