/**
 * The materialization interface: what the runner hands a materialization and what it gets back.
 *
 * A materialization turns one model's compiled SQL into a relation in the warehouse. The runner
 * knows nothing about views, swaps or merge statements; it picks a `Materialization` by name
 * (`registry.ts`) and calls `run`. Everything a build did is reported in `MaterializeResult` so the
 * runner can record it (run history, `run_results.json`, GraphQL `ModelMeta.refresh`).
 */
import type { ColumnProperties, NodeConfig } from '../project/types';
import type { Warehouse } from '../warehouse';

export interface RelationName {
  schema: string;
  identifier: string;
}

export interface MaterializeRequest {
  warehouse: Warehouse;
  /** Where the model lives. */
  relation: RelationName;
  /**
   * The node's merged config: `materialized`, `unique_key`, `incremental_strategy`,
   * `on_schema_change`, `full_refresh`, `event_time`, `batch_size`, `lookback`, `begin`, `contract`,
   * `null_safe_unique_key` (MartQL), `incremental_predicates`, `merge_update_columns`,
   * `merge_exclude_columns`, `constraints` (model-level) ...
   */
  config: NodeConfig;
  /** The model's compiled SQL; incremental models render differently when is_incremental() is true. */
  compile(options: { isIncremental: boolean; batch?: { start: Date; end: Date } }): string;
  fullRefresh: boolean;
  /** Declared columns (YAML), for contracts. */
  columns: ColumnProperties[];
  /**
   * The node's hooks, in order, each rendered when it runs. Pre-hooks run before the build and
   * post-hooks after it, inside the build's transaction, except those with `transaction: false`,
   * which `withOutsideHooks` runs before the transaction opens (pre) and after it commits (post).
   */
  preHooks: readonly BuildHook[];
  postHooks: readonly BuildHook[];
  /** Microbatch: only these batches (`--event-time-start/--event-time-end`), else the batches dbt would pick. */
  eventTimeStart?: Date;
  eventTimeEnd?: Date;
  /** The run's start time (`run_started_at`); the wall clock when absent. */
  now?: Date;
  /** The model's Jinja context, for materializations written as `{% materialization %}` blocks. */
  renderer?: ModelRenderer;
}

/**
 * A hook of a build: SQL, which runs inside the build's transaction, or an object that says
 * whether it does and names the hook for errors (`models/x.sql (post-hook 2)`).
 *
 * With `render`, the object's `sql` is the hook's Jinja (what dbt's hook objects hold) and
 * `render` turns it into SQL at the moment the hook runs, as dbt renders a hook when it runs it:
 * a post-hook's `run_query` or `adapter.get_columns_in_relation(this)` then sees the relation the
 * build has just made. `members` are the database members of the render (`run_query`,
 * `statement`, `adapter`, ...) bound to the session the hook runs on (`sessionMembers`).
 */
export type BuildHook =
  | string
  | {
      sql: string;
      transaction: boolean;
      name?: string;
      render?: (members: Record<string, unknown>) => string;
    };

/**
 * Renders Jinja as the model being built would (its `this`, `config`, `model`, `ref`, its project's
 * macros), with `extra` members on top. Absent for models without Jinja (TypeScript models).
 */
export interface ModelRenderer {
  /** The model's name, for messages. */
  model: string;
  /**
   * What `is_incremental()` answers for this build, in the model's SQL and in the block: dbt's
   * test (materialized `incremental`, the relation a table, no full refresh), taken as the build
   * starts. True only for a project's own `{% materialization incremental %}` on a later run.
   */
  isIncremental: boolean;
  render(code: string, label: string, extra: Record<string, unknown>): string;
}

/**
 * What a build did: `view` (re)created a view, `table` rebuilt a table, `full` built an incremental
 * model from scratch (first run or full refresh), `incremental` merged new rows into it, `append`
 * only inserted, `noop` built nothing (ephemeral).
 */
export type BuildKind = 'view' | 'table' | 'full' | 'incremental' | 'append' | 'noop';

export interface StatementRecord {
  sql: string;
  rowCount: number;
  ms: number;
}

export interface BatchRecord {
  /** ISO timestamps; the batch covers `start <= event_time < end`. */
  start: string;
  end: string;
  /** Rows the batch inserted. */
  rows: number;
}

export interface MaterializeResult {
  kind: BuildKind;
  /** Rows inserted or updated (tables and incremental models); null for views and noops. */
  rowsAffected: number | null;
  relationType: 'view' | 'table';
  /** Every statement the build ran, in order, with the rows it reported and its duration. */
  statements: StatementRecord[];
  /** Microbatch models: the batches processed, in order. */
  batches?: BatchRecord[];
}

export interface Materialization {
  readonly name: string;
  run(req: MaterializeRequest): Promise<MaterializeResult>;
}
