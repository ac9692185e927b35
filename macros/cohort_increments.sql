{#-
  generate_cohort_analysis_incremental(table, user_id, date_col, loaded_at, existing, watermark,
                                       periods=none, state=false)

  The rows generate_cohort_analysis(table, user_id, date_col, periods) returns, computed from the
  rows it returned before the latest load plus what the load changed, instead of from the whole
  history. Every number in the grid is a count of users (the rates are counts over the cohort
  size), and only users with events loaded since the watermark can have changed, so each count is
  its old value plus those users' contribution now minus their contribution before.

  Arguments
    table, user_id, date_col, periods   as in generate_cohort_analysis; periods must be the ones
                `existing` was built with (a grain added later has no old rows: rebuild in full)
    loaded_at   SQL expression over `table`: when the row arrived. Rows arrive in loaded_at order
                and are never deleted, nor changed in place to another user or date.
    existing    relation holding generate_cohort_analysis's rows (at least cohort_type,
                cohort_start, period_start, cohort_size, active_users, unbounded_retention_rate)
                over the rows of `table` with loaded_at <= watermark
    watermark   SQL expression: the loaded_at up to which `existing` is complete. A row whose
                loaded_at is null counts as loaded before it. A literal (toolkit_watermark_literal)
                lets an index on loaded_at serve the read of the new rows.
    state       true in a model that keeps its users' periods with cohort_state_prepare and
                cohort_state_update as hooks (macros/cohort_state.sql; `existing` is that model):
                the load's users with their new periods and their periods before the load are
                then read from the temporary table the pre-hook made, instead of from `table`.

  Returns every row of every grain (the whole grid, a few rows per cohort): a cohort whose users
  all moved to an earlier cohort (a late event before their first) has no rows any more, so a
  caller replacing rows should replace each grain as a whole (delete+insert on cohort_type). One
  extra column, loaded_through, is the latest loaded_at in `table` (the next call's watermark),
  found without another pass over it.

  Cost. The rows loaded since the watermark are read once, down to each user's first and last new
  period per grain; each of their users needs only their first and last period before the load in
  every grain (a min/max over those users' earlier rows, or the state's row), because almost every
  user's new periods are their last one or come after it: their cohort stays, and only the counts
  of their new periods and of their last period change. A user's new periods are their first and
  last new one unless those are further apart than two adjacent periods (a load longer than a
  period): only then are their new rows read again. Per grain, the users whose new events all fall
  in their last period change nothing and are left out early, and the others are counted by what
  their change depends on before the per-cohort sums. Users whose new events fall before their
  last period (a late event: it may move them to an earlier cohort, or fill a period inside their
  activity range) need their whole history: one more pass reads their rows only, and does not
  start when there are none.
  The users-active-later count is not stored: its old value is unbounded_retention_rate x
  cohort_size rounded to a whole number, exact because numeric division keeps at least 16
  significant digits.
-#}
{% macro generate_cohort_analysis_incremental(table, user_id, date_col, loaded_at, existing, watermark,
    periods=none, state=false) -%}
  {{ return(adapter.dispatch('generate_cohort_analysis_incremental', 'analytics_engineering_toolkit')(
      table, user_id, date_col, loaded_at, existing, watermark, periods, state)) }}
{%- endmacro %}

{% macro default__generate_cohort_analysis_incremental(table, user_id, date_col, loaded_at, existing,
    watermark, periods, state=false) -%}
{%- set grains = toolkit_cohort_grains(periods) -%}
with

{%- if state %}
{%- set users = toolkit_cohort_state_temp(existing) %}

{#- Made by cohort_state_prepare in this transaction: every user of the load with the first and last
    period of their new events and of their activity before the load, per grain, and whether they
    are complex (below); the load's latest loaded_at is on the row without a user. #}
increment_users as (
    select * from {{ users }} where user_id is not null and new_first_{{ grains[0] }} is not null
),

increment_through as (
    select greatest({{ watermark }}, max(loaded_through)) as loaded_through from {{ users }}
),

{#- The new rows of the users whose new periods are not one or two adjacent periods (a load longer
    than a period): their rows loaded since the watermark, up to loaded_through. #}
increment_gap_new as (
    select {{ user_id }} as user_id, {{ date_col }} as event_at
    from {{ table }}
    where {{ loaded_at }} > {{ watermark }}
      and {{ loaded_at }} <= (select loaded_through from increment_through)
      and {{ date_col }} is not null
      and {{ user_id }} in (select user_id from increment_users where has_gap)
      {#- A one-time filter: with no such users the read never starts. #}
      and exists (select 1 from increment_users where has_gap)
),
{%- else %}

{#- `loaded_at > watermark` as written, not its negation with a coalesce, so that an index can
    serve it. #}
increment_loaded as (
    select {{ user_id }} as user_id, {{ date_col }} as event_at, {{ loaded_at }} as loaded_at
    from {{ table }}
    where {{ loaded_at }} > {{ watermark }}
),

increment_new as (
    select user_id, event_at from increment_loaded where user_id is not null and event_at is not null
),

{#- Every user of the load: the first and last period of their new events and of their activity
    before the load (none for a user first seen now), per grain. #}
increment_user_periods as (
    select
        n.user_id
{%- for grain in grains %},
        cast({{ dbt.date_trunc(grain, 'n.first_new_at') }} as {{ dbt.type_date() }}) as new_first_{{ grain }},
        cast({{ dbt.date_trunc(grain, 'n.last_new_at') }} as {{ dbt.type_date() }}) as new_last_{{ grain }},
        cast({{ dbt.date_trunc(grain, 'b.first_at') }} as {{ dbt.type_date() }}) as first_{{ grain }},
        cast({{ dbt.date_trunc(grain, 'b.last_at') }} as {{ dbt.type_date() }}) as last_{{ grain }}
{%- endfor %}
    from (
        select user_id, min(event_at) as first_new_at, max(event_at) as last_new_at
        from increment_new
        group by user_id
    ) n
    left join (
        select {{ user_id }} as user_id, min({{ date_col }}) as first_at, max({{ date_col }}) as last_at
        from {{ table }}
        where {{ user_id }} is not null and {{ date_col }} is not null
          and not coalesce({{ loaded_at }} > {{ watermark }}, false)
          and {{ user_id }} in (select user_id from increment_new)
        group by {{ user_id }}
    ) b on b.user_id = n.user_id
),

increment_users as (
    select u.*, {{ toolkit_cohort_flags(grains) }}
    from increment_user_periods u
),

increment_through as (
    select greatest({{ watermark }}, max(loaded_at)) as loaded_through from increment_loaded
),

increment_gap_new as (
    select user_id, event_at from increment_new where user_id in (select user_id from increment_users where has_gap)
),
{%- endif %}

increment_complex_users as (
    select user_id from increment_users where is_complex
),

{#- Their rows loaded up to this call's loaded_through (a row loaded since, after the load was read,
    belongs to the next call), marked by whether they were loaded before the watermark. #}
increment_history as (
    select
        {{ user_id }} as user_id,
        {{ date_col }} as event_at,
        case when coalesce({{ loaded_at }} > {{ watermark }}, false) then 0 else 1 end as was_loaded
    from {{ table }}
    where {{ user_id }} is not null and {{ date_col }} is not null
      and not coalesce({{ loaded_at }} > (select loaded_through from increment_through), false)
      and {{ user_id }} in (select user_id from increment_complex_users)
      {#- A one-time filter: with no such users the scan of `table` never starts. #}
      and exists (select 1 from increment_complex_users)
),

{% for grain in grains %}
{{ toolkit_retention_increment_ctes(existing, grain) }},
{% endfor %}

increment_grains as (
{{ toolkit_union_grains('increment_retention_', grains) }}
)

select
    increment_grains.*,
    (select loaded_through from increment_through) as loaded_through
from increment_grains
{%- endmacro %}

{#- The columns is_complex and has_gap of a user with new_first_<grain>, new_last_<grain> and
    last_<grain> (internal).
    is_complex: the user needs the whole-history path, in every grain: in some grain a new event
    falls before their last period (possibly before their cohort, or in a period inside their
    activity range, where only their history tells whether they were active already).
    has_gap: their new events span more than two adjacent periods of the finest grain (and so of
    any grain), so which periods between their first and last new one are active only their new
    rows tell. -#}
{% macro toolkit_cohort_flags(grains) -%}
{%- set finest = 'week' if 'week' in grains else ('month' if 'month' in grains else 'quarter') -%}
coalesce(
{%- for grain in grains %}
        new_first_{{ grain }} < last_{{ grain }}{% if not loop.last %} or{% endif %}
{%- endfor %},
        false
    ) as is_complex,
    new_last_{{ finest }} > {{ dbt.dateadd(finest, 1, 'new_first_' ~ finest) }} as has_gap
{%- endmacro %}
