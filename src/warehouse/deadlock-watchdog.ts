/**
 * Postgres half of the synchronous-deadlock guard (PGlite's is `gate.ts`).
 *
 * While the main thread is blocked on a synchronous statement, this process's open transactions and
 * advisory-lock connections cannot make progress: their next statement, COMMIT or unlock comes from
 * that main thread. If the synchronous statement waits on a lock one of them holds, it waits forever
 * (Postgres sees no cycle, so its deadlock detector never fires). So while a synchronous statement
 * runs longer than a moment, ask `pg_blocking_pids` on a separate connection; if one of our own
 * connections blocks it, cancel it and report WOULD_DEADLOCK. Waits on other processes are normal.
 */
import type { Client } from 'pg';
import { WouldDeadlockError } from './errors';

const FIRST_CHECK_MS = 100;
const CHECK_EVERY_MS = 250;

export interface WatchdogContext {
  /** Backend pids of this process's connections that only the main thread can move forward. */
  ownPids(): number[];
  /** A connection to ask and cancel on (not the watched one). */
  monitor(): Promise<Client>;
}

export async function watchSyncStatement<T>(
  pid: number,
  run: () => Promise<T>,
  context: WatchdogContext,
): Promise<T> {
  let deadlocked = false;
  let checking = false;
  const check = async () => {
    const ours = new Set(context.ownPids().filter((p) => p !== pid));
    if (checking || deadlocked || ours.size === 0) return;
    checking = true;
    try {
      const monitor = await context.monitor();
      const { rows } = await monitor.query<{ pids: number[] }>('select pg_blocking_pids($1) as pids', [pid]);
      if (rows[0].pids.some((blocker) => ours.has(blocker))) {
        deadlocked = true;
        await monitor.query('select pg_cancel_backend($1)', [pid]);
      }
    } catch {
      // Best effort: the statement itself reports real failures.
    } finally {
      checking = false;
    }
  };
  let interval: NodeJS.Timeout | undefined;
  const first = setTimeout(() => {
    void check();
    interval = setInterval(() => void check(), CHECK_EVERY_MS);
  }, FIRST_CHECK_MS);
  try {
    return await run();
  } catch (err) {
    if (!deadlocked) throw err;
    throw new WouldDeadlockError(
      'a synchronous query waited on a lock held by an open transaction of this process, which cannot ' +
        'finish while the main thread is blocked; the query was cancelled',
      'run the query through that transaction (tx.querySync) or after it ends',
    );
  } finally {
    clearTimeout(first);
    clearInterval(interval);
  }
}
