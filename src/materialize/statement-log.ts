/**
 * Every statement a build runs goes through a `StatementLog`, so the result can list what ran, how
 * many rows each statement reported and how long it took (the runner shows it in `--debug` output
 * and derives `rowsAffected` from it instead of counting rows a second time).
 */
import type { QueryResult, Session } from '../warehouse';
import { hookFailed } from './hook-error';
import { hookStatement, inTransaction } from './hook-statement';
import type { BuildHook, StatementRecord } from './types';

export class StatementLog {
  readonly records: StatementRecord[] = [];

  /** One statement with bind parameters. */
  async query<Row = Record<string, unknown>>(
    session: Session,
    sql: string,
    params?: unknown[],
  ): Promise<QueryResult<Row>> {
    const started = performance.now();
    const result = await session.query<Row>(sql, params);
    this.records.push({ sql, rowCount: result.rowCount, ms: performance.now() - started });
    return result;
  }

  /** A hook's SQL: possibly several statements, no parameters. */
  async exec(session: Session, sql: string): Promise<QueryResult> {
    const started = performance.now();
    const result = await session.exec(sql);
    this.records.push({ sql, rowCount: result.rowCount, ms: performance.now() - started });
    return result;
  }

  /**
   * The hooks that run inside the transaction, each rendered on `session` just before it runs;
   * those with `transaction: false` are `hooks.ts`'s.
   */
  async hooks(session: Session, hooks: readonly BuildHook[]): Promise<void> {
    for (const hook of hooks) {
      if (!inTransaction(hook)) continue;
      try {
        const { sql, ran } = hookStatement(hook, session);
        this.records.push(...ran);
        if (sql.trim() !== '') await this.exec(session, sql);
      } catch (err) {
        throw typeof hook === 'string' || hook.name === undefined ? err : hookFailed(err, hook.name);
      }
    }
  }
}
