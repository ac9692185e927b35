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
import type { Session } from '../../warehouse';
import { isTruthy, splitArgs } from '../engine';
import { materializationAdapter } from './materialization-adapter';
import { StatementRunner } from './statements';

export interface MaterializationInputs {
  /** The build's transaction. */
  session: Session;
  /** The model's compiled SQL. */
  sql: string;
  /** Rendered hook SQL, in order. */
  preHooks: readonly string[];
  postHooks: readonly string[];
  /** What `should_full_refresh()` answers (the `full_refresh` config, else --full-refresh). */
  fullRefresh: boolean;
}

export interface MaterializationContext {
  members: Record<string, unknown>;
  /** Every statement the block ran, and the results `load_result` sees. */
  statements: StatementRunner;
}

/** dbt's hook object: `{sql, transaction, index}`. MartQL's hook configs are all transactional. */
interface Hook {
  sql: string;
  transaction: boolean;
  index: number;
}

function hookObjects(hooks: readonly string[]): Hook[] {
  return hooks.map((sql, index) => ({ sql, transaction: true, index }));
}

/** `run_hooks(hooks, inside_transaction=True)`: runs the hooks whose `transaction` flag matches. */
function runHooks(statements: StatementRunner, raw: unknown[]): string {
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
      // Only a hook built by hand can get here: MartQL keeps a hook config's SQL, not its flag.
      throw new MartqlError(
        'JINJA_UNSUPPORTED',
        'run_hooks(): a hook with transaction=False cannot run outside the transaction, because MartQL builds a model and runs its hooks in one transaction',
        { hint: 'run the statement as an ordinary hook, or in an on-run-start / on-run-end hook' },
      );
    }
    if (sql.trim() !== '') statements.runSql('hook', sql);
  }
  return '';
}

export function materializationContext(inputs: MaterializationInputs): MaterializationContext {
  const statements = new StatementRunner(inputs.session, true);
  const members: Record<string, unknown> = {
    ...statements.contextFunctions(),
    adapter: materializationAdapter(inputs.session, statements),
    sql: inputs.sql,
    compiled_code: inputs.sql,
    pre_hooks: hookObjects(inputs.preHooks),
    post_hooks: hookObjects(inputs.postHooks),
    run_hooks: (...raw: unknown[]) => runHooks(statements, raw),
    should_full_refresh: () => inputs.fullRefresh,
  };
  return { members, statements };
}
