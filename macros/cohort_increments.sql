{#-
  generate_cohort_analysis_incremental(table, user_id, date_col, loaded_at, existing, watermark,
                                       periods=none)

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
                loaded_at is null counts as loaded before it.

  Returns every row of every grain (the whole grid, a few rows per cohort): a cohort whose users
  all moved to an earlier cohort (a late event before their first) has no rows any more, so a
  caller replacing rows should replace each grain as a whole (delete+insert on cohort_type). One
  extra column, loaded_through, is the latest loaded_at in `table` (the next call's watermark),
  found without another pass over it.

  Cost. Two passes over `table`: one finds the rows loaded since the watermark, one takes the first
  and last activity before them of the users they belong to (a min/max per user, where a full build
  groups every event by user and period, three times). That is all almost every user needs: their
  new periods are their first or last one or come after it, so their cohort stays, and only the
  counts of those new periods and of their last period change. Users a late event moves to an
  earlier cohort, or gives a period inside their earlier activity range, need their whole
  history: a third pass reads their events only, and costs nothing when there are none.
  The users-active-later count is not stored: its old value is unbounded_retention_rate x
  cohort_size rounded to a whole number, exact because numeric division keeps at least 16
  significant digits.
-#}
{% macro generate_cohort_analysis_incremental(table, user_id, date_col, loaded_at, existing, watermark,
    periods=none) -%}
  {{ return(adapter.dispatch('generate_cohort_analysis_incremental', 'analytics_engineering_toolkit')(
      table, user_id, date_col, loaded_at, existing, watermark, periods)) }}
{%- endmacro %}

{% macro default__generate_cohort_analysis_incremental(table, user_id, date_col, loaded_at, existing,
    watermark, periods) -%}
{%- set grains = toolkit_cohort_grains(periods) -%}
{%- set is_new = 'coalesce(' ~ loaded_at ~ ' > ' ~ watermark ~ ', false)' -%}
with

increment_loaded as (
    select {{ user_id }} as user_id, {{ date_col }} as event_at, {{ loaded_at }} as loaded_at
    from {{ table }}
    where {{ is_new }}
),

increment_new as (
    select user_id, event_at from increment_loaded where user_id is not null and event_at is not null
),

{#- The first and last activity before the increment of every user it touches (none for a user
    first seen now): one aggregate over those users' earlier events. -#}
increment_users as (
    select {{ user_id }} as user_id, min({{ date_col }}) as first_before_at, max({{ date_col }}) as last_before_at
    from {{ table }}
    where {{ user_id }} is not null and {{ date_col }} is not null and not {{ is_new }}
      and {{ user_id }} in (select user_id from increment_new)
    group by {{ user_id }}
),

{% for grain in grains %}
{{ toolkit_increment_state_ctes(grain) }},
{% endfor %}

{#- Users the increment moves to an earlier cohort, or who gain a period inside their earlier
    activity range (a late event): whether they were active in it needs their whole history.
    Rare; every other user only gains periods after their last one. -#}
increment_complex_users as (
{%- for grain in grains %}
    select user_id from increment_state_{{ grain }} where is_complex
    {% if not loop.last %}union{% endif %}
{%- endfor %}
),

increment_history as (
    select
        {{ user_id }} as user_id,
        {{ date_col }} as event_at,
        case when {{ is_new }} then 0 else 1 end as was_loaded
    from {{ table }}
    where {{ user_id }} is not null and {{ date_col }} is not null
      and {{ user_id }} in (select user_id from increment_complex_users)
),

{% for grain in grains %}
{{ toolkit_retention_increment_ctes(existing, grain) }},
{% endfor %}

increment_grains as (
{%- for grain in grains %}
    select
        cast('{{ grain }}' as {{ dbt.type_string() }}) as cohort_type,
        cohort_start,
        period_number,
        period_start,
        cohort_size,
        active_users,
        retention_rate,
        unbounded_retention_rate
    from increment_retention_{{ grain }}
    {% if not loop.last %}union all{% endif %}
{%- endfor %}
)

select
    increment_grains.*,
    (select greatest({{ watermark }}, max(loaded_at)) from increment_loaded) as loaded_through
from increment_grains
{%- endmacro %}


{#- Per changed user and grain: their cohort and last period before the increment, the periods of
    their new events, and whether they need the whole-history path (internal). -#}
{% macro toolkit_increment_state_ctes(grain) -%}
{%- set g = grain -%}
increment_periods_{{ g }} as (
    select distinct user_id, cast({{ dbt.date_trunc(g, 'event_at') }} as {{ dbt.type_date() }}) as period_start
    from increment_new
),

increment_state_{{ g }} as (
    select
        user_id,
        cohort_before,
        last_before,
        min(period_start) as first_new,
        max(period_start) as last_new,
        max(case
            when cohort_before is null then 0
            when period_start < cohort_before then 1
            when period_start > cohort_before and period_start < last_before then 1
            else 0
        end) = 1 as is_complex
    from (
        select
            p.user_id,
            p.period_start,
            cast({{ dbt.date_trunc(g, 'u.first_before_at') }} as {{ dbt.type_date() }}) as cohort_before,
            cast({{ dbt.date_trunc(g, 'u.last_before_at') }} as {{ dbt.type_date() }}) as last_before
        from increment_periods_{{ g }} p
        left join increment_users u on u.user_id = p.user_id
    ) periods
    group by user_id, cohort_before, last_before
)
{%- endmacro %}


{#- The CTEs of one grain, ending in increment_retention_<grain> (cohort_start, period_number,
    period_start, cohort_size, active_users, retention_rate, unbounded_retention_rate). The
    expressions that define a period, its number and the rates are toolkit_retention_ctes'.
    Changes are signed counts per cohort: +1 for a user as they are now, -1 as they were. -#}
{% macro toolkit_retention_increment_ctes(existing, grain) -%}
{%- set g = grain -%}
{%- set count_type = dbt.type_bigint() -%}
{#- The whole-history path, for the complex users: every period they were and are active in. -#}
increment_history_{{ g }} as (
    select
        user_id,
        cast({{ dbt.date_trunc(g, 'event_at') }} as {{ dbt.type_date() }}) as activity_period,
        max(was_loaded) as was_active
    from increment_history
    group by 1, 2
),

increment_history_users_{{ g }} as (
    select
        user_id,
        min(activity_period) as cohort_now,
        max(activity_period) as last_now,
        min(case when was_active = 1 then activity_period end) as cohort_before,
        max(case when was_active = 1 then activity_period end) as last_before
    from increment_history_{{ g }}
    group by user_id
),

{#- The simple path: a user first seen now, or one whose new periods are their earlier first or
    last period or come after it (so their cohort stays). -#}
increment_simple_{{ g }} as (
    select s.*
    from increment_state_{{ g }} s
    where s.user_id not in (select user_id from increment_complex_users)
),

increment_sizes_{{ g }} as (
    select cohort_start, sum(change) as change
    from (
        select cohort_now as cohort_start, 1 as change from increment_history_users_{{ g }}
        union all
        select cohort_before, -1 from increment_history_users_{{ g }} where cohort_before is not null
        union all
        select first_new, 1 from increment_simple_{{ g }} where cohort_before is null
    ) c
    group by cohort_start
),

increment_active_{{ g }} as (
    select cohort_start, activity_period, sum(change) as change
    from (
        select u.cohort_now as cohort_start, a.activity_period, 1 as change
        from increment_history_{{ g }} a
        inner join increment_history_users_{{ g }} u on u.user_id = a.user_id
        union all
        select u.cohort_before, a.activity_period, -1
        from increment_history_{{ g }} a
        inner join increment_history_users_{{ g }} u on u.user_id = a.user_id
        where a.was_active = 1
        union all
        {# A simple user is new in every new period after their last (all, for a new user). #}
        select coalesce(s.cohort_before, s.first_new), p.period_start, 1
        from increment_periods_{{ g }} p
        inner join increment_simple_{{ g }} s on s.user_id = p.user_id
        where s.last_before is null or p.period_start > s.last_before
    ) c
    group by cohort_start, activity_period
),

increment_last_{{ g }} as (
    select cohort_start, last_period, sum(change) as change
    from (
        select cohort_now as cohort_start, last_now as last_period, 1 as change from increment_history_users_{{ g }}
        union all
        select cohort_before, last_before, -1 from increment_history_users_{{ g }} where cohort_before is not null
        union all
        {# A simple user's cohort is unchanged (or new); their last period may move. #}
        select coalesce(s.cohort_before, s.first_new), greatest(s.last_before, s.last_new), 1
        from increment_simple_{{ g }} s
        where s.last_before is null or s.last_new > s.last_before
        union all
        select s.cohort_before, s.last_before, -1
        from increment_simple_{{ g }} s
        where s.last_before is not null and s.last_new > s.last_before
    ) c
    group by cohort_start, last_period
),

existing_{{ g }} as (
    select
        cohort_start,
        period_start,
        cohort_size,
        active_users,
        cast(round(unbounded_retention_rate * cohort_size) as {{ count_type }}) as active_later
    from {{ existing }}
    where cohort_type = '{{ g }}'
),

increment_cohorts_{{ g }} as (
    select cohort_start, cast(sum(cohort_size) as {{ count_type }}) as cohort_size
    from (
        select cohort_start, max(cohort_size) as cohort_size from existing_{{ g }} group by cohort_start
        union all
        select cohort_start, change from increment_sizes_{{ g }}
    ) c
    group by cohort_start
    having sum(cohort_size) > 0
),

increment_spine_{{ g }} as (
    select cast(date_{{ g }} as {{ dbt.type_date() }}) as period_start
    from (
        {{ dbt.date_spine(g,
            '(select min(cohort_start) from increment_cohorts_' ~ g ~ ')',
            dbt.dateadd(g, 1, '(select max(p) from (select max(period_start) as p from existing_' ~ g
                ~ ' union all select max(period_start) from increment_periods_' ~ g ~ ') m)')) }}
    ) spine
),

increment_grid_{{ g }} as (
    select
        c.cohort_start,
        c.cohort_size,
        p.period_start,
        cast({{ dbt.datediff('c.cohort_start', 'p.period_start', g) }} as {{ dbt.type_int() }}) as period_number
    from increment_cohorts_{{ g }} c
    inner join increment_spine_{{ g }} p on p.period_start >= c.cohort_start
),

increment_later_{{ g }} as (
    select g.cohort_start, g.period_start, sum(l.change) as change
    from increment_grid_{{ g }} g
    inner join increment_last_{{ g }} l
        on l.cohort_start = g.cohort_start and l.last_period >= g.period_start
    group by g.cohort_start, g.period_start
),

increment_counts_{{ g }} as (
    select
        g.cohort_start,
        g.period_number,
        g.period_start,
        g.cohort_size,
        cast(coalesce(e.active_users, 0) + coalesce(a.change, 0) as {{ count_type }}) as active_users,
        cast(coalesce(e.active_later, 0) + coalesce(l.change, 0) as {{ count_type }}) as active_later
    from increment_grid_{{ g }} g
    left join existing_{{ g }} e
        on e.cohort_start = g.cohort_start and e.period_start = g.period_start
    left join increment_active_{{ g }} a
        on a.cohort_start = g.cohort_start and a.activity_period = g.period_start
    left join increment_later_{{ g }} l
        on l.cohort_start = g.cohort_start and l.period_start = g.period_start
),

increment_retention_{{ g }} as (
    select
        cohort_start,
        period_number,
        period_start,
        cohort_size,
        active_users,
        cast(active_users as {{ toolkit_exact_numeric() }}) / cohort_size as retention_rate,
        cast(active_later as {{ toolkit_exact_numeric() }}) / cohort_size as unbounded_retention_rate
    from increment_counts_{{ g }}
)
{%- endmacro %}
