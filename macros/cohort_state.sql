{#-
  cohort_user_state(table, user_id, date_col, loaded_at)

  The body of an incremental model (merge on user_id) that keeps, per user, what
  generate_cohort_analysis_incremental(..., state=<this model>) would otherwise read from the
  whole history of `table` on every load: the user's first and last activity before the load.
  A full build groups every row of `table` by user; an incremental run reads only the rows loaded
  since its watermark (the latest loaded_through it holds, inlined as a literal so that an index on
  loaded_at serves the scan) and rewrites the rows of the users they belong to.

  Output columns, one row per user (rows without a user or a date are left out)
    user_id          the user
    first_at         first date_col of the user's rows up to loaded_through
    last_at          last date_col of those rows
    loaded_through   the latest loaded_at of those rows
    prev_first_at    first_at before the run that last changed this row (null: none before it)
    prev_last_at     last_at before that run
    prev_through     that run's watermark: prev_* cover the user's rows loaded up to it. A full build
                     sets prev_* to first_at and last_at, as of its own watermark (the latest
                     loaded_at in `table`), so the first incremental run after it starts in step.

  A reader whose own watermark W equals a row's prev_through can take prev_* as that user's
  activity as of W, however many rows were loaded since: that is every user of a load when the
  state and the reader are refreshed together, as a refresh does. Anything else (the state ran
  twice since the reader, or not yet) is another watermark, or no row, and the reader falls back
  to the user's rows.

  Same contract as generate_cohort_analysis_incremental: rows arrive in loaded_at order and are
  never deleted or moved to another user or date; a row without loaded_at counts as loaded before
  any watermark (it is seen by a full build only).
-#}
{% macro cohort_user_state(table, user_id, date_col, loaded_at) -%}
  {{ return(adapter.dispatch('cohort_user_state', 'analytics_engineering_toolkit')(
      table, user_id, date_col, loaded_at)) }}
{%- endmacro %}

{% macro default__cohort_user_state(table, user_id, date_col, loaded_at) -%}
{%- if is_incremental() %}
{%- set watermark = toolkit_watermark_literal(this, 'greatest(loaded_through, prev_through)') %}
with increment as (
    select
        {{ user_id }} as user_id,
        min({{ date_col }}) as first_at,
        max({{ date_col }}) as last_at,
        max({{ loaded_at }}) as loaded_through
    from {{ table }}
    where {{ loaded_at }} > {{ watermark }}
      and {{ user_id }} is not null and {{ date_col }} is not null
    group by 1
)
select
    i.user_id,
    least(s.first_at, i.first_at) as first_at,
    greatest(s.last_at, i.last_at) as last_at,
    greatest(s.loaded_through, i.loaded_through) as loaded_through,
    s.first_at as prev_first_at,
    s.last_at as prev_last_at,
    {{ watermark }} as prev_through
from increment i
left join {{ this }} s on s.user_id = i.user_id
{%- else %}
select
    {{ user_id }} as user_id,
    min({{ date_col }}) as first_at,
    max({{ date_col }}) as last_at,
    max({{ loaded_at }}) as loaded_through,
    min({{ date_col }}) as prev_first_at,
    max({{ date_col }}) as prev_last_at,
    (select max({{ loaded_at }}) from {{ table }}) as prev_through
from {{ table }}
where {{ user_id }} is not null and {{ date_col }} is not null
group by 1
{%- endif %}
{%- endmacro %}


{#- max(expression) over relation as a typed SQL literal, read when the model runs (a literal lets
    the planner see how few rows lie past it; a subquery looks like a third of the table). Minus
    infinity of its type when the relation is empty; a placeholder at parse time. -#}
{% macro toolkit_watermark_literal(relation, expression) -%}
  {%- if not execute -%}{{ return("cast(null as timestamp)") }}{%- endif -%}
  {%- set result = run_query(
      "select max(" ~ expression ~ ")::text as v, pg_typeof(max(" ~ expression ~ "))::text as t from "
      ~ relation) -%}
  {%- set row = result.rows[0] -%}
  {%- set value = row['v'] if row['v'] is not none else '-infinity' -%}
  {{ return("cast('" ~ value ~ "' as " ~ row['t'] ~ ")") }}
{%- endmacro %}
