{#- Date arithmetic. Postgres has no DATEDIFF, so each date part is spelled out in whole units,
    counting boundaries crossed as other warehouses' DATEDIFF does. -#}

{% macro dateadd(datepart, interval, from_date_or_timestamp) %}
  {{ return(adapter.dispatch('dateadd', 'dbt')(datepart, interval, from_date_or_timestamp)) }}
{% endmacro %}

{% macro default__dateadd(datepart, interval, from_date_or_timestamp) -%}
  {%- if datepart | lower == 'quarter' -%}
    ({{ from_date_or_timestamp }} + ((interval '3 month') * ({{ interval }})))
  {%- else -%}
    ({{ from_date_or_timestamp }} + ((interval '1 {{ datepart }}') * ({{ interval }})))
  {%- endif -%}
{%- endmacro %}

{% macro datediff(first_date, second_date, datepart) %}
  {{ return(adapter.dispatch('datediff', 'dbt')(first_date, second_date, datepart)) }}
{% endmacro %}

{% macro default__datediff(first_date, second_date, datepart) -%}
  {%- set part = datepart | lower -%}
  {%- set days -%}(({{ second_date }})::date - ({{ first_date }})::date){%- endset -%}
  {%- if part == 'year' -%}
    (date_part('year', ({{ second_date }})::date) - date_part('year', ({{ first_date }})::date))
  {%- elif part == 'quarter' -%}
    ((date_part('year', ({{ second_date }})::date) - date_part('year', ({{ first_date }})::date)) * 4
      + date_part('quarter', ({{ second_date }})::date) - date_part('quarter', ({{ first_date }})::date))
  {%- elif part == 'month' -%}
    ((date_part('year', ({{ second_date }})::date) - date_part('year', ({{ first_date }})::date)) * 12
      + date_part('month', ({{ second_date }})::date) - date_part('month', ({{ first_date }})::date))
  {%- elif part == 'week' -%}
    {#- Week boundaries crossed, weeks starting on Sunday as dbt-postgres counts them (date_trunc
        weeks start on Monday, hence the one-day shift). -#}
    ((date_trunc('week', ({{ second_date }})::date + 1)::date - date_trunc('week', ({{ first_date }})::date + 1)::date) / 7)
  {%- elif part == 'day' -%}
    {{ days }}
  {%- elif part == 'hour' -%}
    ({{ days }} * 24 + date_part('hour', ({{ second_date }})::timestamp) - date_part('hour', ({{ first_date }})::timestamp))
  {%- elif part == 'minute' -%}
    (({{ days }} * 24 + date_part('hour', ({{ second_date }})::timestamp) - date_part('hour', ({{ first_date }})::timestamp)) * 60
      + date_part('minute', ({{ second_date }})::timestamp) - date_part('minute', ({{ first_date }})::timestamp))
  {%- elif part == 'second' -%}
    floor(date_part('epoch', date_trunc('second', ({{ second_date }})::timestamp))
      - date_part('epoch', date_trunc('second', ({{ first_date }})::timestamp)))
  {%- elif part == 'millisecond' -%}
    {#- round, not floor: both sides are whole milliseconds, and a difference of float epochs near
        1.7e9 s can come out as 0.9999 ms. -#}
    round((date_part('epoch', date_trunc('millisecond', ({{ second_date }})::timestamp))
      - date_part('epoch', date_trunc('millisecond', ({{ first_date }})::timestamp))) * 1000)
  {%- else -%}
    {{ exceptions.raise_compiler_error("datediff: unsupported datepart '" ~ datepart ~ "'") }}
  {%- endif -%}
{%- endmacro %}

{% macro date_trunc(datepart, date) %}{{ return(adapter.dispatch('date_trunc', 'dbt')(datepart, date)) }}{% endmacro %}
{% macro default__date_trunc(datepart, date) %}date_trunc('{{ datepart }}', {{ date }}){% endmacro %}

{% macro last_day(date, datepart) %}{{ return(adapter.dispatch('last_day', 'dbt')(date, datepart)) }}{% endmacro %}
{% macro default__last_day(date, datepart) -%}
  cast({{ dateadd('day', '-1', dateadd(datepart, '1', date_trunc(datepart, date))) }} as date)
{%- endmacro %}

{% macro current_timestamp() %}{{ return(adapter.dispatch('current_timestamp', 'dbt')()) }}{% endmacro %}
{% macro default__current_timestamp() %}now(){% endmacro %}

{% macro date(year, month, day) %}{{ return(adapter.dispatch('date', 'dbt')(year, month, day)) }}{% endmacro %}
{% macro default__date(year, month, day) -%}
  make_date({{ year }}, {{ month }}, {{ day }})
{%- endmacro %}

{#- One row per `datepart` from start_date (inclusive) to end_date (exclusive), column `date_<datepart>`. -#}
{% macro date_spine(datepart, start_date, end_date) %}
  {{ return(adapter.dispatch('date_spine', 'dbt')(datepart, start_date, end_date)) }}
{% endmacro %}
{% macro default__date_spine(datepart, start_date, end_date) -%}
  select cast(d as timestamp) as date_{{ datepart }}
  from generate_series(
    cast({{ start_date }} as timestamp),
    cast({{ end_date }} as timestamp) - interval '1 microsecond',
    {% if datepart | lower == 'quarter' %}interval '3 month'{% else %}interval '1 {{ datepart }}'{% endif %}
  ) as d
{%- endmacro %}
