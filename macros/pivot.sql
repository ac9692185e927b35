{#-
  generate_pivot_table(table, group_by, pivot_col, value_col, agg='sum', prefix='', suffix='')

  A SELECT with the group_by columns and one column per distinct non-null value of pivot_col:
    <agg>(case when cast(pivot_col as string) = '<value>' then value_col end) as "<name>"
  Arguments
    table       relation or subquery text
    group_by    a column name or list of names (SQL expressions are allowed; output as written)
    pivot_col   column whose values become columns
    value_col   SQL expression aggregated into each column
    agg         aggregate function name: sum, count, avg, min, max, ...
    prefix, suffix  added around each generated name before cleaning
  The values are read with run_query (select distinct, ordered by the column's own type, so
  numbers and dates sort naturally, nulls skipped). Column names: prefix ~ value ~ suffix,
  lowercased, every character outside [a-z0-9_] replaced by '_', '_' when empty, deduplicated by
  appending _2, _3, ... in value order, and quoted. Names longer than the warehouse allows (63
  bytes on Postgres) are not shortened.
  At parse time (execute is false) no query runs and no pivot columns are emitted.
-#}
{% macro generate_pivot_table(table, group_by, pivot_col, value_col, agg='sum', prefix='', suffix='') -%}
  {{ return(adapter.dispatch('generate_pivot_table', 'analytics_engineering_toolkit')(
      table, group_by, pivot_col, value_col, agg, prefix, suffix)) }}
{%- endmacro %}

{% macro default__generate_pivot_table(table, group_by, pivot_col, value_col, agg, prefix, suffix) -%}
{%- set groups = toolkit_as_list(group_by) -%}
{%- set values = [] -%}
{%- if execute -%}
  {%- set result = run_query(
      'select cast(pivot_value as ' ~ dbt.type_string() ~ ') as pivot_value from ('
      ~ ' select distinct ' ~ pivot_col ~ ' as pivot_value from ' ~ table
      ~ ' where ' ~ pivot_col ~ ' is not null) distinct_values order by distinct_values.pivot_value') -%}
  {%- for v in result.columns[0].values() -%}
    {%- do values.append(v) -%}
  {%- endfor -%}
{%- endif -%}
{%- set names = toolkit_safe_identifiers(values, prefix, suffix) -%}
{%- set columns = [] -%}
{%- for g in groups -%}{%- do columns.append(g) -%}{%- endfor -%}
{%- for v in values -%}
  {%- do columns.append(agg ~ '(case when cast(' ~ pivot_col ~ ' as ' ~ dbt.type_string() ~ ') = '
      ~ dbt.string_literal(v) ~ ' then ' ~ value_col ~ ' end) as ' ~ adapter.quote(names[loop.index0])) -%}
{%- endfor -%}
{%- if columns | length == 0 -%}
  {{ exceptions.raise_compiler_error("generate_pivot_table: no group_by columns and no pivot values") }}
{%- endif -%}
select
    {{ columns | join(',\n    ') }}
from {{ table }}
{% if groups | length > 0 -%}
group by {{ groups | join(', ') }}
{%- endif %}
{%- endmacro %}

{#- toolkit_safe_identifiers(values, prefix='', suffix='') -> the cleaned, deduplicated column name
    of each value, in order (see generate_pivot_table). -#}
{% macro toolkit_safe_identifiers(values, prefix='', suffix='') %}
  {%- set seen = [] -%}
  {%- set names = [] -%}
  {%- for v in values -%}
    {%- set base = modules.re.sub('[^a-z0-9_]', '_', (prefix ~ v ~ suffix) | lower) -%}
    {%- set base = base if base | length > 0 else '_' -%}
    {%- set ns = namespace(name=base, n=1) -%}
    {%- for _ in range(values | length + 1) -%}
      {%- if ns.name in seen -%}
        {%- set ns.n = ns.n + 1 -%}
        {%- set ns.name = base ~ '_' ~ ns.n -%}
      {%- endif -%}
    {%- endfor -%}
    {%- do seen.append(ns.name) -%}
    {%- do names.append(ns.name) -%}
  {%- endfor -%}
  {{ return(names) }}
{% endmacro %}
