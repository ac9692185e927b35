{#-
  custom_incremental: keeps a table in step with its model by unique_key without losing the rows the
  model stops returning: they stay, marked deleted.

  Config: unique_key (a column or a list of columns), on_schema_change (ignore, the default; fail;
  append_new_columns; sync_all_columns). The model returns an `_updated_at` column; the table adds
  `_is_deleted` and `_deleted_at`.

  A run stages the model's rows in a temporary table and checks them (keys present, unique and not
  null; `_updated_at` present; no column named like the two the table adds). Then, in the run's
  one transaction:
  - a row whose staged version is newer (`_updated_at`) takes the staged values; so does a deleted
    row whose key is back, which is undeleted;
  - keys the table does not have are inserted;
  - rows whose key the model no longer returns are marked deleted (`_deleted_at` is the time the
    run's transaction started).
  Plain UPDATE ... FROM and INSERT ... WHERE NOT EXISTS: Postgres 15 has MERGE but not WHEN NOT
  MATCHED BY SOURCE, which a MERGE would need for the deletions.

  The first run, --full-refresh (or full_refresh: true) and a view in the model's place build the
  table from the model's rows, none deleted, with a unique index on the key, and swap it in. As in
  dbt, the swap drops views that read the old table (drop ... cascade).
-#}
{% materialization custom_incremental, default %}
  {%- set unique_key = config.require('unique_key') -%}
  {%- set keys = [unique_key] if unique_key is string else unique_key -%}
  {%- set on_schema_change = incremental_validate_on_schema_change(config.get('on_schema_change'), default='ignore') -%}
  {%- set target = this.incorporate(type='table') -%}
  {%- set existing = load_relation(this) -%}
  {%- set staged = make_temp_relation(target) -%}

  {{ run_hooks(pre_hooks, inside_transaction=False) }}
  {{ run_hooks(pre_hooks, inside_transaction=True) }}

  {% call statement('stage') -%}
    {{ create_table_as(True, staged, sql) }}
  {%- endcall %}
  {% do custom_incremental_check_staged(staged, keys) %}

  {%- if existing is none or not existing.is_table or should_full_refresh() %}
    {%- set intermediate = make_intermediate_relation(target) %}
    {% do adapter.drop_relation(intermediate) %}
    {% call statement('main') -%}
      create table {{ intermediate }} as
      select *, false as _is_deleted, cast(null as timestamp with time zone) as _deleted_at
      from {{ staged }}
    {%- endcall %}
    {% call statement('key_index') -%}
      create unique index on {{ intermediate }} ({{ custom_incremental_column_list(keys) }})
    {%- endcall %}
    {%- if existing is not none %}
      {%- set backup = make_backup_relation(target, existing.type) %}
      {% do adapter.drop_relation(backup) %}
      {% do adapter.rename_relation(existing, backup) %}
      {% do adapter.rename_relation(intermediate, target) %}
      {% do adapter.drop_relation(backup) %}
    {%- else %}
      {% do adapter.rename_relation(intermediate, target) %}
    {%- endif %}
  {%- else %}
    {% do adapter.expand_target_column_types(from_relation=staged, to_relation=target) %}
    {%- set columns = custom_incremental_sync_columns(staged, target, on_schema_change) %}
    {% do custom_incremental_merge(staged, target, keys, columns) %}
  {%- endif %}

  {{ run_hooks(post_hooks, inside_transaction=True) }}
  {% do persist_docs(target, model) %}
  {{ adapter.commit() }}
  {{ run_hooks(post_hooks, inside_transaction=False) }}
  {{ return({'relations': [target]}) }}
{% endmaterialization %}

{#- "a", "b": quoted column names. -#}
{% macro custom_incremental_column_list(names, prefix='') -%}
  {%- for name in names -%}{{ prefix }}{{ adapter.quote(name) }}{{ ', ' if not loop.last else '' }}{%- endfor -%}
{%- endmacro %}

{#- t."a" = s."a" and ...: a staged row and a table row with the same key. -#}
{% macro custom_incremental_key_match(keys) -%}
  {%- for key in keys -%}t.{{ adapter.quote(key) }} = s.{{ adapter.quote(key) }}{{ ' and ' if not loop.last else '' }}{%- endfor -%}
{%- endmacro %}

{#- Stops the run before anything changes when the staged rows break what the merge relies on. -#}
{% macro custom_incremental_check_staged(staged, keys) -%}
  {%- set names = adapter.get_columns_in_relation(staged) | map(attribute='name') | list -%}
  {%- for required in keys + ['_updated_at'] if required not in names -%}
    {%- do exceptions.raise_compiler_error(this ~ ": custom_incremental needs a column " ~ required ~ " in the model's rows, which have " ~ names | join(', ')) -%}
  {%- endfor -%}
  {%- for reserved in ['_is_deleted', '_deleted_at'] if reserved in names -%}
    {%- do exceptions.raise_compiler_error(this ~ ": the model returns a column " ~ reserved ~ ", which custom_incremental adds itself") -%}
  {%- endfor -%}
  {%- set key_list = custom_incremental_column_list(keys) -%}
  {%- set null_keys = [] -%}
  {%- for key in keys -%}{%- do null_keys.append(adapter.quote(key) ~ ' is null') -%}{%- endfor -%}
  {%- set bad = run_query(
      "select " ~ key_list ~ ", count(*) as n from " ~ staged ~ " group by " ~ key_list
      ~ " having count(*) > 1 or " ~ null_keys | join(' or ') ~ " limit 1") -%}
  {%- if bad | length > 0 -%}
    {%- set row = bad.rows[0] -%}
    {%- set shown = [] -%}
    {%- for key in keys -%}{%- do shown.append(key ~ ' = ' ~ (row[loop.index0] if row[loop.index0] is not none else 'null')) -%}{%- endfor -%}
    {%- do exceptions.raise_compiler_error(this ~ ": unique_key must be unique and not null in the model's rows, but " ~ shown | join(', ') ~ " appears " ~ row['n'] ~ " time(s)") -%}
  {%- endif -%}
{%- endmacro %}

{#- Applies on_schema_change to the table; returns the columns the merge writes. -#}
{% macro custom_incremental_sync_columns(staged, target, on_schema_change) -%}
  {%- set source = adapter.get_columns_in_relation(staged) -%}
  {%- set source_names = source | map(attribute='name') | list -%}
  {%- set existing = [] -%}
  {%- for column in adapter.get_columns_in_relation(target) if column.name not in ['_is_deleted', '_deleted_at'] -%}
    {%- do existing.append(column) -%}
  {%- endfor -%}
  {%- set existing_types = {} -%}
  {%- for column in existing -%}{%- do existing_types.update({column.name: column.data_type}) -%}{%- endfor -%}
  {%- set added = [] -%}{%- set removed = [] -%}{%- set retyped = [] -%}
  {%- for column in source -%}
    {%- if column.name not in existing_types -%}{%- do added.append(column) -%}
    {%- elif existing_types[column.name] != column.data_type -%}{%- do retyped.append(column) -%}
    {%- endif -%}
  {%- endfor -%}
  {%- for column in existing if column.name not in source_names -%}{%- do removed.append(column) -%}{%- endfor -%}

  {%- if on_schema_change == 'fail' and (added or removed or retyped) -%}
    {%- do exceptions.raise_compiler_error(this ~ ": the model's columns no longer match the table (on_schema_change: fail): added ["
        ~ added | map(attribute='name') | join(', ') ~ "], removed [" ~ removed | map(attribute='name') | join(', ')
        ~ "], retyped [" ~ retyped | map(attribute='name') | join(', ') ~ "]") -%}
  {%- endif -%}
  {%- if on_schema_change in ['append_new_columns', 'sync_all_columns'] -%}
    {%- for column in added -%}
      {%- do run_query('alter table ' ~ target ~ ' add column ' ~ adapter.quote(column.name) ~ ' ' ~ column.data_type) -%}
    {%- endfor -%}
  {%- endif -%}
  {%- if on_schema_change == 'sync_all_columns' -%}
    {%- for column in removed -%}
      {%- do run_query('alter table ' ~ target ~ ' drop column ' ~ adapter.quote(column.name)) -%}
    {%- endfor -%}
    {%- for column in retyped -%}
      {%- do run_query('alter table ' ~ target ~ ' alter column ' ~ adapter.quote(column.name) ~ ' type ' ~ column.data_type
          ~ ' using ' ~ adapter.quote(column.name) ~ '::' ~ column.data_type) -%}
    {%- endfor -%}
  {%- endif -%}

  {%- if on_schema_change in ['append_new_columns', 'sync_all_columns'] -%}
    {{ return(source_names) }}
  {%- else -%}
    {%- set common = [] -%}
    {%- for name in source_names if name in existing_types -%}{%- do common.append(name) -%}{%- endfor -%}
    {{ return(common) }}
  {%- endif -%}
{%- endmacro %}

{#- The three statements of an incremental run; their rows together are the run's 'main' result. -#}
{% macro custom_incremental_merge(staged, target, keys, columns) -%}
  {%- set match = custom_incremental_key_match(keys) -%}
  {%- set values = [] -%}
  {%- for column in columns if column not in keys -%}
    {%- do values.append(adapter.quote(column) ~ ' = s.' ~ adapter.quote(column)) -%}
  {%- endfor -%}

  {% call statement('update_changed') -%}
    update {{ target }} as t
    set {{ (values + ['_is_deleted = false', '_deleted_at = null']) | join(', ') }}
    from {{ staged }} as s
    where {{ match }}
      and (t._is_deleted or s._updated_at > t._updated_at)
  {%- endcall %}

  {% call statement('insert_new') -%}
    insert into {{ target }} ({{ custom_incremental_column_list(columns) }}, _is_deleted, _deleted_at)
    select {{ custom_incremental_column_list(columns, prefix='s.') }}, false, null
    from {{ staged }} as s
    where not exists (select 1 from {{ target }} as t where {{ match }})
  {%- endcall %}

  {% call statement('soft_delete') -%}
    update {{ target }} as t
    set _is_deleted = true, _deleted_at = now()
    where not t._is_deleted
      and not exists (select 1 from {{ staged }} as s where {{ match }})
  {%- endcall %}

  {%- set rows = load_result('update_changed').response.rows_affected
               + load_result('insert_new').response.rows_affected
               + load_result('soft_delete').response.rows_affected -%}
  {% do store_raw_result('main', message='MERGE ' ~ rows, code='MERGE', rows_affected=rows) %}
{%- endmacro %}
