/**
 * Every statement a build runs goes through a `StatementLog`, so the result can list what ran, how
 * many rows each statement reported and how long it took (the runner shows it in `--debug` output
 * and derives `rowsAffected` from it instead of counting rows a second time).
 */
import { MartqlError } from '../errors';
import type { QueryResult, Session } from '../warehouse';
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

  /** A rendered hook: possibly several statements, no parameters. */
  async exec(session: Session, sql: string): Promise<QueryResult> {
    const started = performance.now();
    const result = await session.exec(sql);
    this.records.push({ sql, rowCount: result.rowCount, ms: performance.now() - started });
    return result;
  }

  /** The hooks that run inside the transaction; those with `transaction: false` are `hooks.ts`'s. */
  async hooks(session: Session, hooks: readonly BuildHook[]): Promise<void> {
    for (const hook of hooks) {
      const sql = typeof hook === 'string' ? hook : hook.transaction ? hook.sql : '';
      if (sql.trim() === '') continue;
      try {
        await this.exec(session, sql);
      } catch (err) {
        throw typeof hook === 'string' || hook.name === undefined ? err : hookFailed(err, hook.name);
      }
    }
  }
}

/**
 * A failed hook's error, its message led by the hook (`models/x.sql (post-hook 2) failed: ...`):
 * the node's file alone sends the reader to the model's SQL, or a seed's CSV, not to the hook.
 */
function hookFailed(err: unknown, name: string): MartqlError {
  const cause = err instanceof MartqlError ? err : undefined;
  return new MartqlError(
    cause?.code ?? 'DATABASE',
    `${name} failed: ${(err as Error)?.message ?? String(err)}`,
    {
      cause: err,
      location: cause?.location,
      hint: cause?.hint,
      data: { ...(cause?.data ?? {}), hook: name },
    },
  );
}
