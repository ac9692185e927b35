/**
 * The context members a `{% materialization %}` block gets on top of its model's render context:
 * `sql` / `compiled_code`, `pre_hooks` / `post_hooks`, `run_hooks`, `should_full_refresh`, and
 * `statement` / `run_query` / `load_result` / `adapter` bound to the build's transaction.
 *
 * The model's own render context talks to the warehouse; a materialization must talk to its
 * transaction instead, or its statements would commit on their own (Postgres) or wait forever for
 * the transaction (PGlite's single connection). So every member that touches the database is
 * replaced here, and the statements it runs are kept for the build's statement log.
 *
 * The helpers dbt writes as macros (`create_table_as`, `make_temp_relation`, `load_relation`,
 * `persist_docs`, `incremental_validate_on_schema_change`, ...) are macros here too, in
 * `include/dbt/macros`, so a project can override them as in dbt.
 */
import { MartqlError } from '../../errors';
import type { BuildHook } from '../../materialize/types';
import type { Session } from '../../warehouse';
import { isTruthy, splitArgs } from '../engine';
import { materializationAdapter } from './materialization-adapter';
import { StatementRunner } from './statements';

export interface MaterializationInputs {
  /** The build's transaction. */
  session: Session;
  /** The model's compiled SQL. */
  sql: string;
  /** Rendered hooks, in order, with their `transaction` flags. */
  preHooks: readonly BuildHook[];
  postHooks: readonly BuildHook[];
  /** What `should_full_refresh()` answers (the `full_refresh` config, else --full-refresh). */
  fullRefresh: boolean;
}

export interface MaterializationContext {
  members: Record<string, unknown>;
  /** Every statement the block ran, and the results `load_result` sees. */
  statements: StatementRunner;
}

/** dbt's hook object: `{sql, transaction, index}`. */
interface Hook {
  sql: string;
  transaction: boolean;
  index: number;
}

function hookObjects(hooks: readonly BuildHook[]): Hook[] {
  return hooks.map((hook, index) =>
    typeof hook === 'string'
      ? { sql: hook, transaction: true, index }
      : { sql: hook.sql, transaction: hook.transaction, index },
  );
}

/**
 * `run_hooks(hooks, inside_transaction=True)`: runs the hooks whose `transaction` flag matches.
 *
 * The block renders inside the transaction MartQL opened for the build, so nothing it runs can be
 * outside it. The model's own `transaction: false` hooks do not need to be: MartQL runs them before
 * BEGIN and after COMMIT itself (`materialize/hooks.ts`), where dbt's materializations place their
 * `run_hooks(..., inside_transaction=False)` calls, so for them the call does nothing. A hook the
 * block builds by hand with `transaction: false` has nowhere to run, and is an error.
 */
function runHooks(statements: StatementRunner, outsideSql: ReadonlySet<string>, raw: unknown[]): string {
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
      if (outsideSql.has(sql)) continue;
      throw new MartqlError(
        'JINJA_UNSUPPORTED',
        "run_hooks(): a hook built in the block with transaction=False cannot run outside the transaction, because MartQL renders the block inside the build's transaction",
        {
          hint: "configure it as the model's hook with transaction: false (or after_commit()), which MartQL runs after the build commits",
        },
      );
    }
    if (sql.trim() !== '') statements.runSql('hook', sql);
  }
  return '';
}

export function materializationContext(inputs: MaterializationInputs): MaterializationContext {
  const statements = new StatementRunner(inputs.session, true);
  const outsideSql = new Set<string>();
  for (const hook of [...inputs.preHooks, ...inputs.postHooks]) {
    if (typeof hook !== 'string' && !hook.transaction) outsideSql.add(hook.sql);
  }
  const members: Record<string, unknown> = {
    ...statements.contextFunctions(),
    adapter: materializationAdapter(inputs.session, statements),
    sql: inputs.sql,
    compiled_code: inputs.sql,
    pre_hooks: hookObjects(inputs.preHooks),
    post_hooks: hookObjects(inputs.postHooks),
    run_hooks: (...raw: unknown[]) => runHooks(statements, outsideSql, raw),
    should_full_refresh: () => inputs.fullRefresh,
  };
  return { members, statements };
}
