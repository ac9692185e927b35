select
    order_id,
    customer_id,
    ordered_at,
    cast(revenue as numeric(12, 2)) as revenue,
    status,
    updated_at,
    _loaded_at
from {{ source('raw', 'orders') }}
