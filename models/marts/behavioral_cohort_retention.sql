{#- Weekly retention of customers grouped by whether they used a feature (var
    behavioral_cohort_feature, default 'export') within their first week. -#}
{{ config(
    materialized='table',
    indexes=[{'columns': ['cohort_name', 'cohort_start', 'period_number']}],
) }}
{%- set feature = var('behavioral_cohort_feature', 'export') %}
{{ generate_behavioral_cohorts(
    ref('stg_product_usage'),
    "feature = " ~ dbt.string_literal(feature),
    periods='week',
    user_id='customer_id',
    date_col='used_at',
    cohort_name_sql="case when performed_behavior then 'used_" ~ feature ~ "_in_week_1' else 'did_not_use_" ~ feature ~ "' end",
) }}
