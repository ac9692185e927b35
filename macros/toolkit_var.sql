{#-
  toolkit_var(name) -> the value of a project var the toolkit reads, falling back to the toolkit's
  default when the calling project does not define it.

  Why: dbt resolves var() for the node being rendered. When a project that installed this package
  calls one of its macros from its own model, the vars in the package's dbt_project.yml are not
  visible (they are scoped to the package's own nodes), so every toolkit macro reads its settings
  through here. Defaults (the same as the package's dbt_project.yml):
    attribution_window_days     30       days before a conversion a touchpoint still counts
    attribution_half_life_days  7        time-decay half life, in days
    cohort_periods              [week, month, quarter]
    customer_segments           {high_value: 1000, medium_value: 500, low_value: 100}
    clv_discount_rate           0.1      annual discount rate for heuristic CLV
    clv_horizon_months          12       months of future value in heuristic CLV
  Override any of them as a global var in the calling project's dbt_project.yml or with --vars.
-#}
{% macro toolkit_var(name) %}
  {%- set defaults = {
      'attribution_window_days': 30,
      'attribution_half_life_days': 7,
      'cohort_periods': ['week', 'month', 'quarter'],
      'customer_segments': {'high_value': 1000, 'medium_value': 500, 'low_value': 100},
      'clv_discount_rate': 0.1,
      'clv_horizon_months': 12,
  } -%}
  {%- if name not in defaults -%}
    {{ exceptions.raise_compiler_error("toolkit_var: unknown toolkit var '" ~ name ~ "'") }}
  {%- endif -%}
  {{ return(var(name, defaults[name])) }}
{% endmacro %}

{#- as_list(value): a list as is, a single string (or other scalar) as a one-element list. -#}
{% macro toolkit_as_list(value) %}
  {%- if value is none -%}
    {{ return([]) }}
  {%- elif value is string -%}
    {{ return([value]) }}
  {%- else -%}
    {{ return(value | list) }}
  {%- endif -%}
{% endmacro %}
