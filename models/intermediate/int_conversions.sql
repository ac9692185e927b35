{#- Orders as conversions, in the column names the attribution macros expect. -#}
select
    order_id as conversion_id,
    customer_id,
    ordered_at as converted_at,
    revenue,
    _loaded_at
from {{ ref('stg_orders') }}
