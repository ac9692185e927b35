{#- The per-grain part of generate_cohort_analysis_incremental (macros/cohort_increments.sql). The
    expressions that define a period, its number and the rates are toolkit_retention_ctes'. -#}

{#- The CTEs of one grain, ending in increment_retention_<grain> (cohort_start, period_number,
    period_start, cohort_size, active_users, retention_rate, unbounded_retention_rate). Changes
    are signed counts per cohort: +1 for a user as they are now, -1 as they were (internal). -#}
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

{#- The other users whose rows change in this grain: first seen now, or with a new period after
    their last (their cohort stays); a user whose new events all fall in their last period
    changes nothing here. Counted by what their change depends on: their cohort, their last period
    before the load (none for a new user) and their first and last new period. -#}
{%- set moved_where = 'not is_complex and (last_' ~ g ~ ' is null or new_last_' ~ g ~ ' > last_' ~ g ~ ')' %}
increment_moved_{{ g }} as (
    select
        coalesce(first_{{ g }}, new_first_{{ g }}) as cohort_start,
        last_{{ g }} as last_before,
        new_first_{{ g }} as first_new,
        new_last_{{ g }} as last_new,
        count(*) as users
    from increment_users
    where {{ moved_where }}
    group by 1, 2, 3, 4
),

increment_sizes_{{ g }} as (
    select cohort_start, sum(change) as change
    from (
        select cohort_now as cohort_start, 1 as change from increment_history_users_{{ g }}
        union all
        select cohort_before, -1 from increment_history_users_{{ g }} where cohort_before is not null
        union all
        select cohort_start, users from increment_moved_{{ g }} where last_before is null
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
        {#- A moved user is new in every period of their new events after their last (all, for a
            new user): their last_new, and their first_new when it is another period after their
            last; those two are all when they are adjacent, as in a load shorter than a period.
            Else the periods of their new events tell (increment_gap_new holds their rows). #}
        select cohort_start, last_new, users from increment_moved_{{ g }}
        union all
        select cohort_start, first_new, users
        from increment_moved_{{ g }}
        where first_new < last_new and (last_before is null or first_new > last_before)
        union all
        select cohort_start, activity_period, 1
        from (
            select distinct
                u.user_id,
                coalesce(u.first_{{ g }}, u.new_first_{{ g }}) as cohort_start,
                cast({{ dbt.date_trunc(g, 'n.event_at') }} as {{ dbt.type_date() }}) as activity_period,
                u.new_first_{{ g }} as first_new,
                u.new_last_{{ g }} as last_new
            from increment_gap_new n
            inner join increment_users u on u.user_id = n.user_id and u.has_gap and {{ moved_where }}
        ) p
        where activity_period > first_new and activity_period < last_new
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
        select cohort_start, last_new, users from increment_moved_{{ g }}
        union all
        select cohort_start, last_before, -users from increment_moved_{{ g }} where last_before is not null
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
                ~ ' union all select max(new_last_' ~ g ~ ') from increment_users) m)')) }}
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
