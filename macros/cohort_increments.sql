{#-
  generate_cohort_analysis_incremental(table, user_id, date_col, loaded_at, existing, watermark,
                                       periods=none, state=none)

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
    state       optional: a relation built by cohort_user_state (macros/cohort_state.sql) over the
                same table, user_id, date_col and loaded_at, refreshed before this call. It holds
                each user's first and last activity as of the watermark, so the users of the load
                are looked up there instead of in a pass over `table`. A user it does not know as
                of exactly this watermark (the state is behind, or ran twice since) takes the
                whole-history path below, so the result is the same either way.

  Returns every row of every grain (the whole grid, a few rows per cohort): a cohort whose users
  all moved to an earlier cohort (a late event before their first) has no rows any more, so a
  caller replacing rows should replace each grain as a whole (delete+insert on cohort_type). One
  extra column, loaded_through, is the latest loaded_at in `table` (the next call's watermark),
  found without another pass over it.

  Cost. The rows loaded since the watermark are read once; each of their users needs only their
  first and last activity before the load (a min/max over those users' earlier rows, or a lookup
  in `state`), because almost every user's new periods are their last one or come after it: their
  cohort stays, and only the counts of their new periods and of their last period change. Per
  grain, the users whose new events all fall in their last period change nothing and are left out
  early. Users whose new events fall before their last period (a late event: it may move them to
  an earlier cohort, or fill a period inside their activity range) need their whole history: one
  more pass reads their rows only, and does not start when there are none.
  The users-active-later count is not stored: its old value is unbounded_retention_rate x
  cohort_size rounded to a whole number, exact because numeric division keeps at least 16
  significant digits.
-#}
{% macro generate_cohort_analysis_incremental(table, user_id, date_col, loaded_at, existing, watermark,
    periods=none, state=none) -%}
  {{ return(adapter.dispatch('generate_cohort_analysis_incremental', 'analytics_engineering_toolkit')(
      table, user_id, date_col, loaded_at, existing, watermark, periods, state)) }}
{%- endmacro %}

{% macro default__generate_cohort_analysis_incremental(table, user_id, date_col, loaded_at, existing,
    watermark, periods, state=none) -%}
{%- set grains = toolkit_cohort_grains(periods) -%}
{%- set is_new = 'coalesce(' ~ loaded_at ~ ' > ' ~ watermark ~ ', false)' -%}
with

{#- `loaded_at > watermark` as written, not is_new's coalesce, so that an index can serve it. #}
increment_loaded as (
    select {{ user_id }} as user_id, {{ date_col }} as event_at, {{ loaded_at }} as loaded_at
    from {{ table }}
    where {{ loaded_at }} > {{ watermark }}
),

increment_new as (
    select user_id, event_at from increment_loaded where user_id is not null and event_at is not null
),

increment_new_users as (
    select user_id, min(event_at) as first_new_at, max(event_at) as last_new_at
    from increment_loaded
    where user_id is not null and event_at is not null
    group by user_id
),

{#- Every user of the load: their new events' first and last, and their activity before the load
    (none for a user first seen now). is_complex: they need the whole-history path, for every
    grain: the state cannot tell (is_unknown), or in some grain a new event falls before their last
    period (possibly before their cohort, or in a period inside their activity range, where only
    their history tells whether they were active already). #}
increment_users as (
    select
        u.*,
        is_unknown or coalesce(
{%- for grain in grains %}
            cast({{ dbt.date_trunc(grain, 'first_new_at') }} as {{ dbt.type_date() }})
                < cast({{ dbt.date_trunc(grain, 'last_before_at') }} as {{ dbt.type_date() }})
            {%- if not loop.last %} or{% endif %}
{%- endfor %},
            false
        ) as is_complex
    from (
{%- if state is none %}
        select n.user_id, n.first_new_at, n.last_new_at, b.first_before_at, b.last_before_at, false as is_unknown
        from increment_new_users n
        left join (
            select {{ user_id }} as user_id, min({{ date_col }}) as first_before_at, max({{ date_col }}) as last_before_at
            from {{ table }}
            where {{ user_id }} is not null and {{ date_col }} is not null and not {{ is_new }}
              and {{ user_id }} in (select user_id from increment_new_users)
            group by {{ user_id }}
        ) b on b.user_id = n.user_id
{%- else %}
        select
            n.user_id,
            n.first_new_at,
            n.last_new_at,
            s.prev_first_at as first_before_at,
            s.prev_last_at as last_before_at,
            not coalesce(s.prev_through = {{ watermark }}, false) as is_unknown
        from increment_new_users n
        left join {{ state }} s on s.user_id = n.user_id
{%- endif %}
    ) u
),

increment_complex_users as (
    select user_id from increment_users where is_complex
),

increment_history as (
    select
        {{ user_id }} as user_id,
        {{ date_col }} as event_at,
        case when {{ is_new }} then 0 else 1 end as was_loaded
    from {{ table }}
    where {{ user_id }} is not null and {{ date_col }} is not null
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
    (select greatest({{ watermark }}, max(loaded_at)) from increment_loaded) as loaded_through
from increment_grains
{%- endmacro %}
