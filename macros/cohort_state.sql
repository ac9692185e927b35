{#-
  A cohort grid's per-user state, kept by the grid's own model.

  generate_cohort_analysis_incremental needs, for each user of a load, their first and last period
  in every grain before the load. Without help it takes them from every earlier row of those users;
  a model can keep them instead, in a table of its own written in the same transaction as the grid,
  so the two can never be refreshed apart:

    {{ config(
        materialized='incremental', incremental_strategy='delete+insert', unique_key=['cohort_type'],
        pre_hook="{{ cohort_state_prepare(ref('events'), 'user_id', 'used_at', '_loaded_at', 'loaded_through') }}",
        post_hook="{{ cohort_state_update(ref('events'), 'user_id', 'used_at', '_loaded_at', 'loaded_through') }}",
    ) }}
    ... generate_cohort_analysis_incremental(ref('events'), 'user_id', 'used_at', '_loaded_at', this,
                                             watermark, state=true) ...

  Arguments of both hooks: table, user_id, date_col, loaded_at as given to the grid's macros,
  watermark_column (the grid's column holding its loaded_through), periods (the grid's).

  The state: table <model>__cohort_users beside the model, one row per user (rows without a user or
  a date are left out) with first_<grain> and last_<grain>, the first and last period of the
  user's rows in each grain. Its table comment is the grid's watermark it was last brought to.

  A full build rebuilds it from every row, in its post-hook, as of the new grid's watermark. An
  incremental run's pre-hook reads the rows loaded since the watermark once, into a temporary table
  of the load's users: per grain their first and last new period and their periods before the load
  (from the state), which the grid's query reads; its post-hook then writes the users' new periods
  into the state, only where they changed. One model, one transaction: the grid and its state are
  refreshed together or not at all. When the state's comment is not the grid's watermark (the
  table is missing, or the grid was written without these hooks), the pre-hook first rebuilds it
  as of the grid's watermark, and the run stays exact.

  Why a table comment: the watermark must travel with the table (a dropped or replaced state loses
  it), and reading it is a catalog lookup, where a max() over a column of the state costs a scan of
  every user on each run. A comment takes only a literal, so it is written by a DO block.

  Same contract as generate_cohort_analysis_incremental: rows arrive in loaded_at order and are
  never deleted or moved to another user or date; a row without loaded_at counts as loaded before
  any watermark.
-#}

{#- The state's relation beside the grid `relation`. -#}
{% macro cohort_state_relation(relation) -%}
  {{ return(api.Relation.create(database=relation.database, schema=relation.schema,
      identifier=relation.identifier ~ '__cohort_users', type='table')) }}
{%- endmacro %}

{#- The temporary table an incremental run's pre-hook makes for the grid `relation` (internal). -#}
{% macro toolkit_cohort_state_temp(relation) -%}
  {{ return('pg_temp.' ~ adapter.quote(relation.identifier ~ '__cohort_load')) }}
{%- endmacro %}

{#- Pre-hook of a grid keeping its state (see above): nothing for a full build. -#}
{% macro cohort_state_prepare(table, user_id, date_col, loaded_at, watermark_column, periods=none) -%}
  {{ return(adapter.dispatch('cohort_state_prepare', 'analytics_engineering_toolkit')(
      table, user_id, date_col, loaded_at, watermark_column, periods)) }}
{%- endmacro %}

{% macro default__cohort_state_prepare(table, user_id, date_col, loaded_at, watermark_column, periods) -%}
{%- if execute and is_incremental() -%}
{%- set grains = toolkit_cohort_grains(periods) -%}
{%- set state = cohort_state_relation(this) -%}
{%- set users = toolkit_cohort_state_temp(this) -%}
{#- The watermark as a literal lets an index on loaded_at serve the read of the load. It is read
    when the hooks are rendered, before the build takes the model's lock: if another run wrote the
    grid since, the exact bound read in the statement keeps the load to what this run adds. -#}
{%- set grid = toolkit_cohort_state_grid(state, this, watermark_column) -%}
{%- set watermark = grid.watermark -%}
{%- set exact = '(select max(' ~ watermark_column ~ ') from ' ~ this ~ ')' -%}
{%- if not grid.in_step %}
{{ toolkit_cohort_state_build(state, table, user_id, date_col, loaded_at, this, watermark_column, grains) }}
{%- endif %}
create temporary table {{ users }} on commit drop as
select
    n.*,
    s.user_id is not null as is_known
{%- for grain in grains %},
    s.first_{{ grain }},
    s.last_{{ grain }}
{%- endfor %},
    {{ toolkit_cohort_flags(grains) }}
from (
    select
        {{ user_id }} as user_id
{%- for grain in grains %},
        cast({{ dbt.date_trunc(grain, 'min(' ~ date_col ~ ')') }} as {{ dbt.type_date() }}) as new_first_{{ grain }},
        cast({{ dbt.date_trunc(grain, 'max(' ~ date_col ~ ')') }} as {{ dbt.type_date() }}) as new_last_{{ grain }}
{%- endfor %},
        max({{ loaded_at }}) as loaded_through
    from {{ table }}
    where {{ loaded_at }} > {{ watermark }}
      and ({{ loaded_at }} > {{ exact }} or {{ exact }} is null)
    group by 1
) n
left join {{ state }} s on s.user_id = n.user_id;
analyze {{ users }} (user_id);
{%- endif -%}
{%- endmacro %}

{#- Post-hook of a grid keeping its state (see above). -#}
{% macro cohort_state_update(table, user_id, date_col, loaded_at, watermark_column, periods=none) -%}
  {{ return(adapter.dispatch('cohort_state_update', 'analytics_engineering_toolkit')(
      table, user_id, date_col, loaded_at, watermark_column, periods)) }}
{%- endmacro %}

{% macro default__cohort_state_update(table, user_id, date_col, loaded_at, watermark_column, periods) -%}
{%- if execute -%}
{%- set grains = toolkit_cohort_grains(periods) -%}
{%- set state = cohort_state_relation(this) -%}
{%- if is_incremental() -%}
{%- set users = toolkit_cohort_state_temp(this) -%}
update {{ state }} s
set
{%- for grain in grains %}
    first_{{ grain }} = least(s.first_{{ grain }}, u.new_first_{{ grain }}),
    last_{{ grain }} = greatest(s.last_{{ grain }}, u.new_last_{{ grain }}){{ ',' if not loop.last }}
{%- endfor %}
from {{ users }} u
where u.user_id = s.user_id
  and u.is_known
  and (
{%- for grain in grains %}
    u.new_first_{{ grain }} < u.first_{{ grain }} or u.new_last_{{ grain }} > u.last_{{ grain }}{{ ' or' if not loop.last }}
{%- endfor %}
  );
insert into {{ state }} (user_id{% for grain in grains %}, first_{{ grain }}, last_{{ grain }}{% endfor %})
select user_id{% for grain in grains %}, new_first_{{ grain }}, new_last_{{ grain }}{% endfor %}
from {{ users }}
where not is_known and user_id is not null and new_first_{{ grains[0] }} is not null;
{{ toolkit_cohort_state_mark(state, this, watermark_column) }}
{%- else -%}
{{ toolkit_cohort_state_build(state, table, user_id, date_col, loaded_at, this, watermark_column, grains) }}
{%- endif -%}
{%- endif -%}
{%- endmacro %}

{#- Statements that rebuild the state from every row of `table` loaded up to the grid's watermark
    (read from `grid` when they run) and mark it with that watermark (internal). -#}
{% macro toolkit_cohort_state_build(state, table, user_id, date_col, loaded_at, grid, watermark_column, grains) -%}
drop table if exists {{ state }};
create table {{ state }} as
select
    {{ user_id }} as user_id
{%- for grain in grains %},
    cast({{ dbt.date_trunc(grain, 'min(' ~ date_col ~ ')') }} as {{ dbt.type_date() }}) as first_{{ grain }},
    cast({{ dbt.date_trunc(grain, 'max(' ~ date_col ~ ')') }} as {{ dbt.type_date() }}) as last_{{ grain }}
{%- endfor %}
from {{ table }}
where {{ user_id }} is not null and {{ date_col }} is not null
  and ({{ loaded_at }} <= (select max({{ watermark_column }}) from {{ grid }}) or {{ loaded_at }} is null)
group by {{ user_id }};
analyze {{ state }};
{{ toolkit_cohort_state_mark(state, grid, watermark_column) }}
{%- endmacro %}

{#- Writes the grid's watermark, as it is when the statement runs, as the state's table comment
    (a statement, because a comment takes only a literal). Internal. -#}
{% macro toolkit_cohort_state_mark(state, grid, watermark_column) -%}
do $cohort_state$ begin
    execute format('comment on table {{ state }} is %L', (select max({{ watermark_column }})::text from {{ grid }}));
end $cohort_state$;
{%- endmacro %}

{#- The grid's watermark as a literal (as toolkit_watermark_literal gives it) and whether the state
    exists and was last brought to that watermark, in one query (internal). -#}
{% macro toolkit_cohort_state_grid(state, grid, watermark_column) -%}
  {%- set result = run_query(
      "select max(" ~ watermark_column ~ ")::text as v, pg_typeof(max(" ~ watermark_column ~ "))::text as t, "
      ~ "coalesce(obj_description(to_regclass('" ~ state ~ "'), 'pg_class') = max(" ~ watermark_column
      ~ ")::text, false) as in_step from " ~ grid) -%}
  {%- set row = result.rows[0] -%}
  {%- set value = row['v'] if row['v'] is not none else '-infinity' -%}
  {{ return({'watermark': "cast('" ~ value ~ "' as " ~ row['t'] ~ ")", 'in_step': row['in_step']}) }}
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
