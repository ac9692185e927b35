/**
 * The turnstile in front of PGlite's single connection.
 *
 * PGlite has one connection, so an open transaction owns the whole database from its BEGIN (sent
 * with its first statement, see `PgliteDriver.started`) until COMMIT/ROLLBACK, and statements of every other session queue behind it (first come, first
 * served). A *synchronous* request is different: the main thread is blocked until it is answered,
 * so the transaction holding the gate, whose next statement and COMMIT come from that main thread,
 * can never finish. Waiting would hang the process; the gate refuses at once instead. A synchronous
 * request that only has to wait for a single statement (which the worker finishes on its own) is
 * allowed, and goes to the front of the queue so a transaction queued meanwhile cannot take the
 * gate first and trap it.
 */
import { WouldDeadlockError } from './errors';

interface Waiter {
  session: number;
  resolve: () => void;
}

export class Gate {
  /** The session holding the connection: 0 for a single statement, else an open transaction. */
  private holder: number | null = null;
  private readonly waiters: Waiter[] = [];

  /** Resolves when `session` holds the gate; the caller must `release()` it. */
  acquire(session: number, sync: boolean): Promise<void> {
    if (this.holder === null) {
      this.holder = session;
      return Promise.resolve();
    }
    if (sync && this.holder !== 0) {
      throw new WouldDeadlockError(
        'a synchronous query would wait for an open transaction on the embedded database (PGlite has one ' +
          'connection) while the main thread, which has to finish that transaction, is blocked',
        'run the query through the open transaction (tx.querySync) or after it ends',
      );
    }
    return new Promise((resolve) => {
      const waiter = { session, resolve };
      if (sync) this.waiters.unshift(waiter);
      else this.waiters.push(waiter);
    });
  }

  release(): void {
    const next = this.waiters.shift();
    this.holder = next ? next.session : null;
    next?.resolve();
  }
}
