/**
 * The context members a `{% materialization %}` block gets on top of its model's render context:
 * `sql` / `compiled_code`, `pre_hooks` / `post_hooks`, `run_hooks`, `should_full_refresh`, and
 * `statement` / `run_query` / `load_result` / `adapter` bound to the build's transaction.
 *
 * The model's own render context talks to the warehouse; a materialization must talk to its
 * transaction instead, or its statements would commit on their own (Postgres) or wait forever for
 * the transaction (PGlite's single connection). So every member that touches the database is
 * replaced here (`session-members.ts`), and the statements it runs are kept for the build's
 * statement log. Hooks `run_hooks` renders get the same members.
 *
 * The helpers dbt writes as macros (`create_table_as`, `make_temp_relation`, `load_relation`,
 * `persist_docs`, `incremental_validate_on_schema_change`, ...) are macros here too, in
 * `include/dbt/macros`, so a project can override them as in dbt.
 */
import { MartqlError } from '../../errors';
import { hookFailed } from '../../materialize/hook-error';
import type { BuildHook } from '../../materialize/types';
import type { Session } from '../../warehouse';
import { isTruthy, splitArgs } from '../engine';
import { sessionMembers } from './session-members';
import type { StatementRunner } from './statements';

export interface MaterializationInputs {
  /** The build's transaction. */
  session: Session;
  /** The model's compiled SQL. */
  sql: string;
  /** The model's hooks, in order, with their `transaction` flags, rendered when `run_hooks` runs them. */
  preHooks: readonly BuildHook[];
  postHooks: readonly BuildHook[];
  /** What `should_full_refresh()` answers (the `full_refresh` config, else --full-refresh). */
  fullRefresh: boolean;
  /**
   * Renders Jinja in the model's context with `members` on top: a hook the block builds itself,
   * which `run_hooks` renders as it runs it. Without it such a hook's `sql` runs as written.
   */
  render?: (code: string, label: string, members: Record<string, unknown>) => string;
}

export interface MaterializationContext {
  members: Record<string, unknown>;
  /** Every statement the block ran, and the results `load_result` sees. */
  statements: StatementRunner;
}

/** dbt's hook object: `{sql, transaction, index}`, `sql` being the hook's Jinja as configured. */
interface Hook {
  sql: string;
  transaction: boolean;
  index: number;
}

/** The hook objects the block sees, each remembering the model's hook it stands for. */
function hookObjects(hooks: readonly BuildHook[], origins: WeakMap<object, BuildHook>): Hook[] {
  return hooks.map((hook, index) => {
    const object =
      typeof hook === 'string'
        ? { sql: hook, transaction: true, index }
        : { sql: hook.sql, transaction: hook.transaction, index };
    origins.set(object, hook);
    return object;
  });
}

interface RunHooksState {
  statements: StatementRunner;
  /** The block's members: a hook's Jinja runs its queries on the build's transaction as the block does. */
  members: () => Record<string, unknown>;
  origins: WeakMap<object, BuildHook>;
  /** The `sql` of the model's `transaction: false` hooks, for copies of their objects. */
  outsideSql: ReadonlySet<string>;
  render: MaterializationInputs['render'];
}

/** The SQL of one hook `run_hooks` was given, rendered now, as dbt's `run_hooks` renders `hook.sql`. */
function hookSql(state: RunHooksState, origin: BuildHook | undefined, sql: string): string {
  if (origin !== undefined) {
    if (typeof origin === 'string') return origin;
    return origin.render ? origin.render(state.members()) : origin.sql;
  }
  return state.render ? state.render(sql, 'a hook given to run_hooks()', state.members()) : sql;
}

/**
 * `run_hooks(hooks, inside_transaction=True)`: renders and runs the hooks whose `transaction` flag
 * matches, each rendered when its turn comes, so a post-hook's Jinja sees what the block built.
 *
 * The block renders inside the transaction MartQL opened for the build, so nothing it runs can be
 * outside it. The model's own `transaction: false` hooks do not need to be: MartQL runs them before
 * BEGIN and after COMMIT itself (`materialize/hooks.ts`), where dbt's materializations place their
 * `run_hooks(..., inside_transaction=False)` calls, so for them the call does nothing. A hook the
 * block builds by hand with `transaction: false` has nowhere to run, and is an error.
 */
function runHooks(state: RunHooksState, raw: unknown[]): string {
  const { args, kwargs } = splitArgs(raw);
  const hooks = (args[0] ?? kwargs.hooks ?? []) as unknown[];
  const inside = isTruthy(args[1] ?? kwargs.inside_transaction ?? true);
  for (const hook of Array.isArray(hooks) ? hooks : []) {
    const { sql, transaction } =
      typeof hook === 'string'
        ? { sql: hook, transaction: true }
        : { sql: String((hook as Hook).sql ?? ''), transaction: (hook as Hook).transaction !== false };
    if (transaction !== inside) continue;
    if (!transaction) {
      if (state.outsideSql.has(sql)) continue;
      throw new MartqlError(
        'JINJA_UNSUPPORTED',
        "run_hooks(): a hook built in the block with transaction=False cannot run outside the transaction, because MartQL renders the block inside the build's transaction",
        {
          hint: "configure it as the model's hook with transaction: false (or after_commit()), which MartQL runs after the build commits",
        },
      );
    }
    const origin = typeof hook === 'object' && hook !== null ? state.origins.get(hook) : undefined;
    const name = typeof origin === 'object' ? origin.name : undefined;
    try {
      const rendered = hookSql(state, origin, sql);
      if (rendered.trim() !== '') state.statements.runSql('hook', rendered);
    } catch (err) {
      throw name === undefined ? err : hookFailed(err, name);
    }
  }
  return '';
}

export function materializationContext(inputs: MaterializationInputs): MaterializationContext {
  const { members: bound, statements } = sessionMembers(inputs.session);
  const origins = new WeakMap<object, BuildHook>();
  const outsideSql = new Set<string>();
  for (const hook of [...inputs.preHooks, ...inputs.postHooks]) {
    if (typeof hook !== 'string' && !hook.transaction) outsideSql.add(hook.sql);
  }
  const state: RunHooksState = {
    statements,
    members: () => members,
    origins,
    outsideSql,
    render: inputs.render,
  };
  const members: Record<string, unknown> = {
    ...bound,
    sql: inputs.sql,
    compiled_code: inputs.sql,
    pre_hooks: hookObjects(inputs.preHooks, origins),
    post_hooks: hookObjects(inputs.postHooks, origins),
    run_hooks: (...raw: unknown[]) => runHooks(state, raw),
    should_full_refresh: () => inputs.fullRefresh,
  };
  return { members, statements };
}
