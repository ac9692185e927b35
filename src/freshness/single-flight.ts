/**
 * Single-flight: while a call for a key is in flight, later calls for that key get the same
 * promise instead of starting their own. Used for refreshes (one per target per process) and for
 * snapshot reads (a burst of requests shares one check).
 *
 * The entry is removed when the promise settles, success or failure, so a failure is shared by the
 * callers that were waiting and the next call tries again.
 */
export class SingleFlight<T> {
  private readonly inFlight = new Map<string, Promise<T>>();

  /** `fn()`'s promise, shared with every other call for `key` made before it settles. */
  run(key: string, fn: () => Promise<T>): Promise<T> {
    const existing = this.inFlight.get(key);
    if (existing) return existing;
    // `fn` starts on the next microtask, after the entry is set, so even a synchronous throw
    // settles a promise that is registered and then removed.
    const promise: Promise<T> = Promise.resolve()
      .then(fn)
      .finally(() => {
        if (this.inFlight.get(key) === promise) this.inFlight.delete(key);
      });
    this.inFlight.set(key, promise);
    return promise;
  }

  /** Whether a call for `key` is in flight. */
  has(key: string): boolean {
    return this.inFlight.has(key);
  }

  get size(): number {
    return this.inFlight.size;
  }
}
