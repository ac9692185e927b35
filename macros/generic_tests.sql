{#- Custom generic tests of the toolkit. Each selects the failing rows (none = pass). Use them
    namespaced in YAML: `- analytics_engineering_toolkit.weights_sum_to_one: {group_by: [...]}`. -#}

{#-
  referential_integrity(model, column_name, to, field)
  Fails with one row per child value (non-null column_name of model) missing from field of `to`:
  columns missing_value, n_records (how many child rows carry it).
-#}
{% test referential_integrity(model, column_name, to, field) %}
  {{ return(adapter.dispatch('test_referential_integrity', 'analytics_engineering_toolkit')(model, column_name, to, field)) }}
{% endtest %}
{% macro default__test_referential_integrity(model, column_name, to, field) %}
select
    child.{{ column_name }} as missing_value,
    count(*) as n_records
from {{ model }} child
where child.{{ column_name }} is not null
    and not exists (
        select 1 from {{ to }} parent where parent.{{ field }} = child.{{ column_name }}
    )
group by child.{{ column_name }}
{% endmacro %}

{#-
  customer_lifetime_value_logic(model, segment_column='customer_segment', spend_column='total_spent',
                                non_negative_columns=[...], confidence_column='prediction_confidence')
  For a calculate_predictive_clv output. Fails on rows where
    - the segment differs from the one var customer_segments gives total_spent (see
      toolkit_customer_segment), or is null;
    - any of heuristic_clv, total_spent, avg_order_value, frequency, recency_days, tenure_days is
      null or negative (frequency must be >= 1);
    - prediction_confidence is null or outside [0, 1].
-#}
{% test customer_lifetime_value_logic(model, segment_column='customer_segment', spend_column='total_spent',
    non_negative_columns=['heuristic_clv', 'total_spent', 'avg_order_value', 'frequency', 'recency_days', 'tenure_days'],
    confidence_column='prediction_confidence') %}
  {{ return(adapter.dispatch('test_customer_lifetime_value_logic', 'analytics_engineering_toolkit')(
      model, segment_column, spend_column, non_negative_columns, confidence_column)) }}
{% endtest %}
{% macro default__test_customer_lifetime_value_logic(model, segment_column, spend_column, non_negative_columns, confidence_column) %}
select *
from {{ model }}
where {{ segment_column }} is null
    or {{ segment_column }} <> {{ toolkit_customer_segment(spend_column) }}
    {%- for c in non_negative_columns %}
    or {{ c }} is null or {{ c }} < 0
    {%- endfor %}
    {%- if 'frequency' in non_negative_columns %}
    or frequency < 1
    {%- endif %}
    or {{ confidence_column }} is null
    or {{ confidence_column }} < 0
    or {{ confidence_column }} > 1
{% endmacro %}

{#-
  weights_sum_to_one(model, group_by, weight_column='weight', tolerance=1e-9)
  Fails with one row per group (group_by: a column or a list) whose weights do not sum to 1 within
  `tolerance`, or that has a null weight: the group columns, weight_sum.
-#}
{#- Engine workaround: MartQL's Jinja lexer does not read scientific literals (1e-9 fails with
    "an undefined value was used with '-'"), so the default tolerance is written out. -#}
{% test weights_sum_to_one(model, group_by, weight_column='weight', tolerance=0.000000001) %}
  {{ return(adapter.dispatch('test_weights_sum_to_one', 'analytics_engineering_toolkit')(model, group_by, weight_column, tolerance)) }}
{% endtest %}
{% macro default__test_weights_sum_to_one(model, group_by, weight_column, tolerance) %}
{%- set groups = toolkit_as_list(group_by) %}
select
    {{ groups | join(', ') }},
    sum({{ weight_column }}) as weight_sum
from {{ model }}
group by {{ groups | join(', ') }}
having count({{ weight_column }}) < count(*)
    or abs(sum({{ weight_column }}) - 1) > {{ tolerance }}
{% endmacro %}

{#-
  retention_in_bounds(model, column_name, period_column='period_number')
  Fails on rows where the retention rate column_name is null, below 0 or above 1, or is not exactly
  1 in period 0 (rows with period_column = 0).
-#}
{% test retention_in_bounds(model, column_name, period_column='period_number') %}
  {{ return(adapter.dispatch('test_retention_in_bounds', 'analytics_engineering_toolkit')(model, column_name, period_column)) }}
{% endtest %}
{% macro default__test_retention_in_bounds(model, column_name, period_column) %}
select *
from {{ model }}
where {{ column_name }} is null
    or {{ column_name }} < 0
    or {{ column_name }} > 1
    or ({{ period_column }} = 0 and {{ column_name }} <> 1)
{% endmacro %}
