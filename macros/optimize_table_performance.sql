{#-
  optimize_table_performance(relation, partition_column=none, cluster_columns=none)

  The physical tuning a warehouse's own syntax does (partitioning and clustering keys, then
  statistics), done with what Postgres has, as SQL to run after the table is built:
    +post-hook: "{{ analytics_engineering_toolkit.optimize_table_performance(this, 'converted_at', ['channel', 'campaign']) }}"
  Arguments
    relation          the table (this, ref(...)): a relation, not text
    partition_column  column name the table's range filters use (usually a date or timestamp)
    cluster_columns   a column name or list of names that filters and groupings use together
  On Postgres (postgres__):
    - a btree index on partition_column: Postgres cannot partition an existing table in place (the
      partition_by model config builds a declaratively partitioned one), so range filters on that
      column get an index instead; on a table already partitioned by it the index works within
      each partition;
    - a btree index on cluster_columns, and CLUSTER on it: the rows are rewritten in that order, so
      rows sharing cluster values sit in the same pages and a filter on them reads few pages (what
      a clustering key gives). Without cluster_columns the table is clustered on partition_column.
      A partitioned table is clustered partition by partition (CLUSTER of a partitioned table
      cannot run inside the build's transaction; each partition's can);
    - extended statistics (ndistinct, dependencies) over all the named columns when there are two
      or more, so the planner stops multiplying the selectivities of correlated columns (campaign
      determines channel) and underestimating the rows a combined filter returns;
    - ANALYZE.
  Other adapters (default__): ANALYZE only.
  Object names: <table>__opt_part_<hash>, <table>__opt_cluster_<hash>, <table>__opt_stats_<hash>, the
  hash from the columns, so re-running does nothing new (IF NOT EXISTS) and changing the columns
  makes new objects. CLUSTER rewrites the whole table under an exclusive lock on every run: use it
  on tables rebuilt in full, or run it now and then, not after every small incremental run.
-#}
{% macro optimize_table_performance(relation, partition_column=none, cluster_columns=none) -%}
  {{ return(adapter.dispatch('optimize_table_performance', 'analytics_engineering_toolkit')(
      relation, partition_column, cluster_columns)) }}
{%- endmacro %}

{% macro default__optimize_table_performance(relation, partition_column, cluster_columns) -%}
analyze {{ relation }}
{%- endmacro %}

{% macro postgres__optimize_table_performance(relation, partition_column, cluster_columns) -%}
{%- if relation.identifier is not defined or relation.identifier is none -%}
  {{ exceptions.raise_compiler_error("optimize_table_performance: relation must be a relation such as this or ref('...'), not " ~ relation) }}
{%- endif -%}
{%- set cluster_cols = toolkit_as_list(cluster_columns) -%}
{%- set part_cols = toolkit_as_list(partition_column) -%}
{%- set all_cols = part_cols + cluster_cols -%}
{%- set ns = namespace(cluster_index=none) -%}
{%- if part_cols | length > 0 -%}
{%- set part_index = toolkit_optimize_name(relation, 'part', part_cols) %}
create index if not exists {{ adapter.quote(part_index) }} on {{ relation }} ({{ toolkit_quoted_list(part_cols) }});
{%- set ns.cluster_index = part_index -%}
{%- endif -%}
{%- if cluster_cols | length > 0 -%}
{%- set ns.cluster_index = toolkit_optimize_name(relation, 'cluster', cluster_cols) %}
create index if not exists {{ adapter.quote(ns.cluster_index) }} on {{ relation }} ({{ toolkit_quoted_list(cluster_cols) }});
{%- endif -%}
{%- if ns.cluster_index is not none %}
do $toolkit_cluster$
declare
  part record;
begin
  if (select c.relkind from pg_catalog.pg_class c where c.oid = {{ dbt.string_literal(relation | string) }}::regclass) = 'p' then
    for part in
      select t.oid::regclass as tbl, ci.relname as idx
      from pg_catalog.pg_inherits i
      join pg_catalog.pg_class ci on ci.oid = i.inhrelid
      join pg_catalog.pg_index x on x.indexrelid = ci.oid
      join pg_catalog.pg_class t on t.oid = x.indrelid
      where i.inhparent = pg_catalog.to_regclass({{ dbt.string_literal(adapter.quote(relation.schema) ~ '.' ~ adapter.quote(ns.cluster_index)) }})
    loop
      execute format('cluster %s using %I', part.tbl, part.idx);
    end loop;
  else
    cluster {{ relation }} using {{ adapter.quote(ns.cluster_index) }};
  end if;
end
$toolkit_cluster$;
{%- endif -%}
{%- if all_cols | length >= 2 %}
create statistics if not exists {{ adapter.quote(relation.schema) }}.{{ adapter.quote(toolkit_optimize_name(relation, 'stats', all_cols)) }}
  (ndistinct, dependencies) on {{ toolkit_quoted_list(all_cols) }} from {{ relation }};
{%- endif %}
analyze {{ relation }}
{%- endmacro %}

{#- The name of an object optimize_table_performance creates: <table>__opt_<what>_<hash of the columns>. -#}
{% macro toolkit_optimize_name(relation, what, columns) -%}
  {{ return(relation.identifier ~ '__opt_' ~ what ~ '_' ~ local_md5(columns | join(','))[0:8]) }}
{%- endmacro %}

{% macro toolkit_quoted_list(columns) -%}
  {%- set quoted = [] -%}
  {%- for c in columns -%}{%- do quoted.append(adapter.quote(c)) -%}{%- endfor -%}
  {{ return(quoted | join(', ')) }}
{%- endmacro %}
