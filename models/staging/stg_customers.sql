select
    customer_id,
    cast(signup_at as date) as signup_date,
    signup_at,
    country,
    plan,
    acquisition_channel,
    _loaded_at
from {{ source('raw', 'customers') }}
