{#-
  calculate_predictive_clv(orders, customer_id='customer_id', order_date='order_date',
                           revenue='revenue', as_of=none)

  Heuristic customer lifetime value, one row per customer with at least one order on or before
  as_of. `as_of` is a SQL expression for the evaluation date (e.g. "'2024-06-30'" or
  "current_date"); by default the latest order date in `orders`, so a rebuild of the same data
  gives the same answer. Orders after as_of are ignored. All day counts are whole calendar days
  (dbt.datediff 'day').

  Formulas (D = days, all per customer):
    frequency          number of orders
    total_spent        sum(revenue)
    avg_order_value    total_spent / frequency
    recency_days       days from the last order to as_of
    tenure_days        days from the first order to as_of
    monthly_frequency  frequency / greatest(tenure_days / 30.4375, 1): orders per average month
                       (365.25 / 12 days), observed tenure floored at one month so a customer whose
                       first order was last week is not projected at 4+ orders a month
    churn_probability  by recency band, the chance the customer has already lapsed:
                         recency_days <= 30   0.10  bought within the last month: active
                         31 .. 90             0.30  missed a typical monthly/quarterly cycle
                         91 .. 180            0.60  over a quarter silent: lapsing
                         > 180                0.90  over half a year silent: most such customers
                                                    never come back
                       (coarse bands instead of a fitted BG/NBD model: robust with few orders,
                       explainable, monotone in recency)
    recency_multiplier 1 - churn_probability
    expected_monthly_value = monthly_frequency * avg_order_value * recency_multiplier
    heuristic_clv      = sum over t = 1..H of expected_monthly_value / (1 + r_m)^t
                       = expected_monthly_value * (1 - (1 + r_m)^-H) / r_m   (H if r_m = 0)
                       with H = var clv_horizon_months (12) and the monthly rate
                       r_m = (1 + var clv_discount_rate)^(1/12) - 1 (annual 0.1 -> 0.797% a month),
                       rounded to cents
    prediction_confidence = frequency / (frequency + 2) * (0.5 + 0.5 * least(tenure_days, 365) / 365)
                       the first factor grows with the number of orders the averages rest on (two
                       pseudo-orders of shrinkage: 1 order 0.33, 3 orders 0.6, 10 orders 0.83), the
                       second with how much of a year of history the frequency is measured over;
                       in (0, 1), rounded to 4 places
    customer_segment   from var customer_segments (default {high_value: 1000, medium_value: 500,
                       low_value: 100}), applied to total_spent: the segment with the highest
                       threshold <= total_spent (so high_value for >= 1000, medium_value for
                       [500, 1000), low_value for [100, 500)), and 'at_risk' below the lowest
                       threshold (under 100). Thresholds are inclusive lower bounds.

  Output columns: customer_id, frequency, recency_days, tenure_days, avg_order_value, total_spent,
    customer_segment, heuristic_clv, prediction_confidence, plus first_order_date, last_order_date,
    monthly_frequency, churn_probability, as_of_date.
-#}
{% macro calculate_predictive_clv(orders, customer_id='customer_id', order_date='order_date',
    revenue='revenue', as_of=none) -%}
  {{ return(adapter.dispatch('calculate_predictive_clv', 'analytics_engineering_toolkit')(
      orders, customer_id, order_date, revenue, as_of)) }}
{%- endmacro %}

{% macro default__calculate_predictive_clv(orders, customer_id, order_date, revenue, as_of) -%}
{%- set annual_rate = toolkit_var('clv_discount_rate') | float -%}
{%- set horizon = toolkit_var('clv_horizon_months') | int -%}
{%- if horizon < 0 or annual_rate <= -1 -%}
  {{ exceptions.raise_compiler_error("calculate_predictive_clv: clv_horizon_months must be >= 0 and clv_discount_rate > -1") }}
{%- endif -%}
{%- set float_type = dbt.type_float() -%}
{%- if annual_rate == 0 -%}
  {%- set annuity_factor = horizon ~ '.0' -%}
{%- else -%}
  {%- set monthly_rate = '(power(cast(' ~ (1 + annual_rate) ~ ' as ' ~ float_type ~ '), 1.0 / 12) - 1)' -%}
  {%- set annuity_factor = '((1 - power(1 + ' ~ monthly_rate ~ ', -' ~ horizon ~ ')) / ' ~ monthly_rate ~ ')' -%}
{%- endif -%}
with

clv_orders as (
    select
        {{ customer_id }} as customer_id,
        cast({{ order_date }} as {{ dbt.type_date() }}) as order_date,
        cast({{ revenue }} as {{ toolkit_exact_numeric() }}) as revenue
    from {{ orders }}
    where {{ customer_id }} is not null and {{ order_date }} is not null
),

clv_as_of as (
    select cast(
        {% if as_of is none %}(select max(order_date) from clv_orders){% else %}{{ as_of }}{% endif %}
        as {{ dbt.type_date() }}) as as_of_date
),

clv_customers as (
    select
        o.customer_id,
        a.as_of_date,
        count(*) as frequency,
        coalesce(sum(o.revenue), 0) as total_spent,
        min(o.order_date) as first_order_date,
        max(o.order_date) as last_order_date
    from clv_orders o
    cross join clv_as_of a
    where o.order_date <= a.as_of_date
    group by o.customer_id, a.as_of_date
),

clv_metrics as (
    select
        *,
        total_spent / frequency as avg_order_value,
        cast({{ dbt.datediff('last_order_date', 'as_of_date', 'day') }} as {{ dbt.type_int() }}) as recency_days,
        cast({{ dbt.datediff('first_order_date', 'as_of_date', 'day') }} as {{ dbt.type_int() }}) as tenure_days
    from clv_customers
),

clv_scored as (
    select
        *,
        cast(frequency as {{ float_type }})
            / greatest(cast(tenure_days as {{ float_type }}) / 30.4375, 1) as monthly_frequency,
        cast(case
            when recency_days <= 30 then 0.10
            when recency_days <= 90 then 0.30
            when recency_days <= 180 then 0.60
            else 0.90
        end as {{ float_type }}) as churn_probability
    from clv_metrics
)

select
    customer_id,
    frequency,
    recency_days,
    tenure_days,
    avg_order_value,
    total_spent,
    {{ toolkit_customer_segment('total_spent') }} as customer_segment,
    round(cast(
        monthly_frequency * cast(avg_order_value as {{ float_type }}) * (1 - churn_probability)
            * {{ annuity_factor }}
        as {{ toolkit_exact_numeric() }}), 2) as heuristic_clv,
    round(cast(
        cast(frequency as {{ float_type }}) / (frequency + 2)
            * (0.5 + 0.5 * least(tenure_days, 365) / 365.0)
        as {{ toolkit_exact_numeric() }}), 4) as prediction_confidence,
    first_order_date,
    last_order_date,
    monthly_frequency,
    churn_probability,
    as_of_date
from clv_scored
{%- endmacro %}


{#-
  toolkit_customer_segment(amount_sql, segments=none) -> a CASE expression naming the segment of
  `amount_sql` from var customer_segments ({name: threshold}): the name with the highest threshold
  <= amount, 'at_risk' below every threshold (and for a null amount). Used by
  calculate_predictive_clv and the customer_lifetime_value_logic test, so both read the same var.
-#}
{% macro toolkit_customer_segment(amount_sql, segments=none) -%}
  {%- set seg = segments if segments is not none else toolkit_var('customer_segments') -%}
  {%- set pairs = [] -%}
  {%- for name, threshold in seg.items() -%}
    {%- do pairs.append({'name': name, 'threshold': threshold | float}) -%}
  {%- endfor -%}
  case
  {%- for p in pairs | sort(attribute='threshold', reverse=true) %}
    when ({{ amount_sql }}) >= {{ p.threshold }} then {{ dbt.string_literal(p.name) }}
  {%- endfor %}
    else 'at_risk'
  end
{%- endmacro %}
