{#-
  generate_cohort_analysis(table, user_id, date_col, periods=none)

  Classic date cohorts with retention. For each period grain in `periods` (week, month or quarter;
  default var cohort_periods = [week, month, quarter]; a single name is accepted):
    activity period  = date_trunc(grain, date_col), as a date
    cohort_start     = a user's first activity period
    period_number    = whole grains between cohort_start and the activity period (dbt.datediff on
                       the truncated dates, so 0 is the cohort's own period)
  Every cohort gets a row for every period from its start to the last period with any activity in
  the table, so periods in which nobody of the cohort was active appear with 0 active users.
  Rows with a null user_id or date_col are ignored.

  Arguments: table (relation or subquery), user_id and date_col (column names / SQL expressions).

  Output columns
    cohort_type               the grain: 'week', 'month' or 'quarter'
    cohort_start              date, first day of the cohort's period (weeks start on Monday)
    period_number             integer >= 0
    period_start              date, first day of the period the row describes (extra column)
    cohort_size               users whose first activity is in cohort_start's period
    active_users              cohort users active in that period
    retention_rate            active_users / cohort_size (1.0 for period 0)
    unbounded_retention_rate  users of the cohort active in that period or any later one / cohort_size
-#}
{% macro generate_cohort_analysis(table, user_id, date_col, periods=none) -%}
  {{ return(adapter.dispatch('generate_cohort_analysis', 'analytics_engineering_toolkit')(
      table, user_id, date_col, periods)) }}
{%- endmacro %}

{% macro default__generate_cohort_analysis(table, user_id, date_col, periods) -%}
{%- set grains = toolkit_cohort_grains(periods) -%}
with

cohort_events as (
    select
        {{ user_id }} as user_id,
        cast('all' as {{ dbt.type_string() }}) as cohort_name,
        {{ date_col }} as event_at
    from {{ table }}
    where {{ user_id }} is not null and {{ date_col }} is not null
),

{% for grain in grains %}
{{ toolkit_retention_ctes('cohort_events', grain) }}{{ ',' if not loop.last }}
{% endfor %}

{{ toolkit_union_grains('retention_', grains) }}
{%- endmacro %}


{#-
  generate_behavioral_cohorts(events, cohort_definition_sql, periods='week', user_id='user_id',
                              date_col='event_date', cohort_name_sql=none, definition_window_days=7)

  Cohorts defined by what users did, not only by when they started. A user qualifies when at least
  one of their events within `definition_window_days` days of their first event (event_at <
  first_event_at + definition_window_days days; 7 = "in the first week") satisfies
  `cohort_definition_sql`, a SQL boolean over one row of `events` (e.g. "feature = 'export'").
  `cohort_name_sql` names each user's cohort; it is a SQL expression over the per-user columns
  performed_behavior (boolean), first_event_at and user_id; by default
  case when performed_behavior then 'performed' else 'not_performed' end. Users are grouped by
  cohort_name and the period (date_trunc(grain)) of their first event, and retention is computed as
  in generate_cohort_analysis.

  Output columns
    cohort_name, cohort_type (the grain), cohort_start, period_number, period_start, cohort_size,
    active_users, retention_rate (active_users / cohort_size), unbounded_retention_rate
-#}
{% macro generate_behavioral_cohorts(events, cohort_definition_sql, periods='week', user_id='user_id',
    date_col='event_date', cohort_name_sql=none, definition_window_days=7) -%}
  {{ return(adapter.dispatch('generate_behavioral_cohorts', 'analytics_engineering_toolkit')(
      events, cohort_definition_sql, periods, user_id, date_col, cohort_name_sql, definition_window_days)) }}
{%- endmacro %}

{% macro default__generate_behavioral_cohorts(events, cohort_definition_sql, periods, user_id,
    date_col, cohort_name_sql, definition_window_days) -%}
{%- set grains = toolkit_cohort_grains(periods) -%}
{%- set name_sql = cohort_name_sql if cohort_name_sql
      else "case when performed_behavior then 'performed' else 'not_performed' end" -%}
with

behavior_events as (
    select
        {{ user_id }} as user_id,
        {{ date_col }} as event_at,
        case when ({{ cohort_definition_sql }}) then 1 else 0 end as matches_definition
    from {{ events }}
    where {{ user_id }} is not null and {{ date_col }} is not null
),

behavior_firsts as (
    select user_id, min(event_at) as first_event_at
    from behavior_events
    group by user_id
),

behavior_users as (
    select
        f.user_id,
        f.first_event_at,
        max(case
            when e.event_at < {{ dbt.dateadd('day', definition_window_days | int, 'f.first_event_at') }}
                then e.matches_definition
            else 0
        end) = 1 as performed_behavior
    from behavior_firsts f
    inner join behavior_events e on e.user_id = f.user_id
    group by f.user_id, f.first_event_at
),

behavior_named as (
    select
        user_id,
        cast(({{ name_sql }}) as {{ dbt.type_string() }}) as cohort_name
    from behavior_users
),

cohort_events as (
    select e.user_id, n.cohort_name, e.event_at
    from behavior_events e
    inner join behavior_named n on n.user_id = e.user_id
),

{% for grain in grains %}
{{ toolkit_retention_ctes('cohort_events', grain) }}{{ ',' if not loop.last }}
{% endfor %}

{{ toolkit_union_grains('retention_', grains, 'cohort_name,') }}
{%- endmacro %}


{#- The grains a cohort macro builds: validated, lowercased, from a list or one name (internal). -#}
{% macro toolkit_cohort_grains(periods) %}
  {%- set chosen = toolkit_as_list(periods if periods is not none else toolkit_var('cohort_periods')) -%}
  {%- set grains = [] -%}
  {%- for p in chosen -%}
    {%- set g = p | string | lower | trim -%}
    {%- if g not in ['week', 'month', 'quarter'] -%}
      {{ exceptions.raise_compiler_error("cohort period must be week, month or quarter, got '" ~ p ~ "'") }}
    {%- endif -%}
    {%- if g not in grains -%}{%- do grains.append(g) -%}{%- endif -%}
  {%- endfor -%}
  {%- if grains | length == 0 -%}
    {{ exceptions.raise_compiler_error("cohort macros need at least one period") }}
  {%- endif -%}
  {{ return(grains) }}
{% endmacro %}

{#- One result over the grains: each grain's `<prefix><grain>` CTE with its name as cohort_type, after
    `leading` (columns the rows keep before it, e.g. 'cohort_name,'). -#}
{% macro toolkit_union_grains(prefix, grains, leading='') -%}
{%- for grain in grains %}
select
    {{ leading }}
    cast('{{ grain }}' as {{ dbt.type_string() }}) as cohort_type,
    cohort_start,
    period_number,
    period_start,
    cohort_size,
    active_users,
    retention_rate,
    unbounded_retention_rate
from {{ prefix }}{{ grain }}
{% if not loop.last %}union all{% endif %}
{%- endfor %}
{%- endmacro %}

{#- Retention CTEs for one grain over `source_cte` (user_id, cohort_name, event_at), ending in
    retention_<grain> (cohort_name, cohort_start, period_number, period_start, cohort_size,
    active_users, retention_rate, unbounded_retention_rate). Internal. -#}
{% macro toolkit_retention_ctes(source_cte, grain) -%}
{%- set g = grain -%}
activity_{{ g }} as (
    select distinct
        user_id,
        cohort_name,
        cast({{ dbt.date_trunc(g, 'event_at') }} as {{ dbt.type_date() }}) as activity_period
    from {{ source_cte }}
),

users_{{ g }} as (
    select
        user_id,
        cohort_name,
        min(activity_period) as cohort_start,
        max(activity_period) as last_active_period
    from activity_{{ g }}
    group by user_id, cohort_name
),

sizes_{{ g }} as (
    select cohort_name, cohort_start, count(*) as cohort_size
    from users_{{ g }}
    group by cohort_name, cohort_start
),

spine_{{ g }} as (
    select cast(date_{{ g }} as {{ dbt.type_date() }}) as period_start
    from (
        {{ dbt.date_spine(g,
            '(select min(activity_period) from activity_' ~ g ~ ')',
            dbt.dateadd(g, 1, '(select max(activity_period) from activity_' ~ g ~ ')')) }}
    ) spine
),

grid_{{ g }} as (
    select
        s.cohort_name,
        s.cohort_start,
        s.cohort_size,
        p.period_start,
        cast({{ dbt.datediff('s.cohort_start', 'p.period_start', g) }} as {{ dbt.type_int() }}) as period_number
    from sizes_{{ g }} s
    inner join spine_{{ g }} p on p.period_start >= s.cohort_start
),

active_{{ g }} as (
    select u.cohort_name, u.cohort_start, a.activity_period, count(*) as active_users
    from activity_{{ g }} a
    inner join users_{{ g }} u on u.user_id = a.user_id and u.cohort_name = a.cohort_name
    group by u.cohort_name, u.cohort_start, a.activity_period
),

still_{{ g }} as (
    select g.cohort_name, g.cohort_start, g.period_start, count(u.user_id) as users_active_later
    from grid_{{ g }} g
    left join users_{{ g }} u
        on u.cohort_name = g.cohort_name
        and u.cohort_start = g.cohort_start
        and u.last_active_period >= g.period_start
    group by g.cohort_name, g.cohort_start, g.period_start
),

retention_{{ g }} as (
    select
        g.cohort_name,
        g.cohort_start,
        g.period_number,
        g.period_start,
        g.cohort_size,
        coalesce(a.active_users, 0) as active_users,
        cast(coalesce(a.active_users, 0) as {{ toolkit_exact_numeric() }}) / g.cohort_size as retention_rate,
        cast(l.users_active_later as {{ toolkit_exact_numeric() }}) / g.cohort_size as unbounded_retention_rate
    from grid_{{ g }} g
    left join active_{{ g }} a
        on a.cohort_name = g.cohort_name
        and a.cohort_start = g.cohort_start
        and a.activity_period = g.period_start
    inner join still_{{ g }} l
        on l.cohort_name = g.cohort_name
        and l.cohort_start = g.cohort_start
        and l.period_start = g.period_start
)
{%- endmacro %}
