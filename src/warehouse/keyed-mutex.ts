/**
 * An in-process mutex per key, the first half of `withLock` on both databases (and all of it on
 * PGlite). Re-entering a key the current async context already holds would wait for itself forever,
 * so it is reported instead.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { MartqlError } from '../errors';

export class KeyedMutex {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly held = new AsyncLocalStorage<ReadonlySet<string>>();

  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const holding = this.held.getStore() ?? new Set<string>();
    if (holding.has(key)) {
      throw new MartqlError(
        'INTERNAL',
        `withLock(${JSON.stringify(key)}) called while already holding that lock`,
      );
    }
    const previous = this.tails.get(key) ?? Promise.resolve();
    let unlock!: () => void;
    const mine = new Promise<void>((resolve) => (unlock = resolve));
    const tail = previous.then(() => mine);
    this.tails.set(key, tail);
    await previous;
    try {
      return await this.held.run(new Set([...holding, key]), fn);
    } finally {
      unlock();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
