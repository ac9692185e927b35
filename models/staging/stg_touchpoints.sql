select
    touchpoint_id,
    customer_id,
    touched_at,
    lower(channel) as channel,
    campaign,
    _loaded_at
from {{ source('raw', 'touchpoints') }}
