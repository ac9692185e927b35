/**
 * The first state schema: invocations, run history, test results, model state and source versions,
 * plus the trigger functions that keep run history append-only and bump source versions.
 *
 * Status and trigger columns are checked (closed sets that a bug should not widen silently); kinds
 * and resource types are not, because custom materializations name their own kinds.
 */
import type { Migration } from './migration';

export const initial: Migration = {
  version: 1,
  name: 'initial',
  statements: (s) => [
    `create table ${s}.invocations (
      invocation_id text primary key,
      command text not null,
      args jsonb not null default '{}',
      trigger text not null check (trigger in ('cli', 'graphql', 'mutation', 'schedule')),
      target text,
      martql_version text,
      process text,
      status text not null default 'running' check (status in ('running', 'success', 'error', 'cancelled')),
      started_at timestamptz not null default clock_timestamp(),
      completed_at timestamptz,
      pass_count integer,
      warn_count integer,
      error_count integer,
      skip_count integer
    )`,
    `create index invocations_started_at on ${s}.invocations (started_at desc)`,

    // No foreign key to invocations: a history row must never be lost because of write order.
    `create table ${s}.run_history (
      seq bigint generated always as identity primary key,
      invocation_id text not null,
      unique_id text not null,
      resource_type text not null,
      kind text not null,
      status text not null check (status in ('success', 'error', 'skipped', 'pass', 'fail', 'warn')),
      trigger text not null check (trigger in ('cli', 'graphql', 'mutation', 'schedule')),
      started_at timestamptz not null,
      completed_at timestamptz not null,
      duration_ms double precision not null check (duration_ms >= 0),
      rows_affected bigint,
      relation_schema text,
      relation_name text,
      materialization text,
      sql_hash text,
      statements jsonb not null default '[]',
      error_message text,
      error_code text,
      thread text,
      message text
    )`,
    `create index run_history_node on ${s}.run_history (unique_id, seq desc)`,
    `create index run_history_started_at on ${s}.run_history (started_at)`,
    `create index run_history_invocation on ${s}.run_history (invocation_id)`,
    // Rows are facts about the past. Deleting is allowed only to prune old history, which the store
    // does with martql.prune_history set for its own transaction.
    `create function ${s}.run_history_append_only() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' and current_setting('martql.prune_history', true) = 'on' then
        return old;
      end if;
      raise exception 'run_history is append-only (% refused)', tg_op using errcode = '55000';
    end $$`,
    `create trigger run_history_append_only before update or delete on ${s}.run_history
      for each row execute function ${s}.run_history_append_only()`,

    `create table ${s}.test_results (
      seq bigint generated always as identity primary key,
      invocation_id text not null,
      unique_id text not null,
      attached_node text,
      column_name text,
      status text not null check (status in ('pass', 'fail', 'warn', 'error', 'skipped')),
      failures bigint,
      severity text not null check (severity in ('error', 'warn')),
      duration_ms double precision not null,
      message text,
      store_failures_schema text,
      store_failures_name text,
      completed_at timestamptz not null default clock_timestamp()
    )`,
    `create index test_results_attached on ${s}.test_results (attached_node, unique_id, seq desc)`,
    `create index test_results_invocation on ${s}.test_results (invocation_id)`,

    `create table ${s}.model_state (
      unique_id text primary key,
      resource_type text not null,
      relation_schema text,
      relation_name text,
      materialization text,
      sql_hash text,
      config_hash text,
      built_at timestamptz,
      upstream_versions jsonb not null default '{}',
      watermark jsonb,
      row_count bigint,
      last_duration_ms double precision,
      last_status text not null check (last_status in ('success', 'error', 'skipped')),
      last_invocation_id text not null,
      last_error_message text,
      last_error_code text,
      updated_at timestamptz not null default clock_timestamp()
    )`,

    `create table ${s}.source_versions (
      schema_name text not null,
      table_name text not null,
      version bigint not null default 0,
      changed_at timestamptz,
      tracked_by text not null check (tracked_by in ('trigger', 'manual')),
      primary key (schema_name, table_name)
    )`,
    // Called by the statement-level triggers installChangeTrigger puts on source tables. SECURITY
    // DEFINER so whoever loads a source table needs no rights on the state schema; the fixed
    // search_path keeps that safe. The upsert locks the table's version row until the writing
    // transaction commits, so concurrent writers to one table serialize there: cheap for loaders,
    // and the version becomes visible exactly when the change does.
    `create function ${s}.bump_source_version() returns trigger
      language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
    begin
      insert into ${s}.source_versions as sv (schema_name, table_name, version, changed_at, tracked_by)
      values (tg_table_schema, tg_table_name, 1, clock_timestamp(), 'trigger')
      on conflict (schema_name, table_name)
      do update set version = sv.version + 1, changed_at = excluded.changed_at;
      return null;
    end $$`,
  ],
};
