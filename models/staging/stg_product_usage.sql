select
    event_id,
    customer_id,
    used_at,
    feature,
    _loaded_at
from {{ source('raw', 'product_usage') }}
