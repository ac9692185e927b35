/**
 * ResultCache.share: identical reads that run at the same time share one read, but only at the
 * same model version, before the next clear (a rebuild), and only when the cache is on.
 */
import { ResultCache, type CachedAnswer } from '../../src/graphql/resolvers/result-cache';

function deferred(): {
  promise: Promise<CachedAnswer>;
  resolve(a: CachedAnswer): void;
  reject(e: Error): void;
} {
  let resolve!: (a: CachedAnswer) => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<CachedAnswer>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** The answer of `share`, as a promise. */
const shared = (cache: ResultCache, key: string, version: string, read: () => Promise<CachedAnswer>) =>
  cache.share(key, version, read).answer;

describe('ResultCache.share', () => {
  it('runs one read for identical requests in flight, and a new one once it settled', async () => {
    const cache = new ResultCache();
    const gate = deferred();
    let reads = 0;
    const read = () => {
      reads += 1;
      return gate.promise;
    };
    const all = Promise.all([1, 2, 3].map(() => shared(cache, 'q', 'v1', read)));
    gate.resolve({ rows: [{ a: 1 }] });
    expect(await all).toEqual([{ rows: [{ a: 1 }] }, { rows: [{ a: 1 }] }, { rows: [{ a: 1 }] }]);
    expect(reads).toBe(1);
    await shared(cache, 'q', 'v1', read);
    expect(reads).toBe(2); // a settled read is not joined: storing answers is the cache's part
    const gate2 = deferred();
    const first = cache.share('q', 'v1', () => gate2.promise);
    const second = cache.share('q', 'v1', () => gate2.promise);
    expect([first.joined, second.joined]).toEqual([false, true]);
    gate2.resolve({ rows: [] });
  });

  it('does not join a read of another version, of another query, or from before a clear', async () => {
    const cache = new ResultCache();
    const gate = deferred();
    let reads = 0;
    const read = () => {
      reads += 1;
      return gate.promise;
    };
    const first = shared(cache, 'q', 'v1', read);
    const otherVersion = shared(cache, 'q', 'v2', read);
    const otherQuery = shared(cache, 'r', 'v1', read);
    cache.clear();
    const afterClear = shared(cache, 'q', 'v1', read);
    gate.resolve({ rows: [] });
    await Promise.all([first, otherVersion, otherQuery, afterClear]);
    expect(reads).toBe(4);
  });

  it('shares nothing when the cache is off, and a failure with every joiner only', async () => {
    const off = new ResultCache({ maxEntries: 0 });
    let reads = 0;
    await Promise.all([1, 2].map(() => shared(off, 'q', 'v1', async () => ({ rows: [{ n: ++reads }] }))));
    expect(reads).toBe(2);

    const cache = new ResultCache();
    const gate = deferred();
    const joined = [
      shared(cache, 'q', 'v1', () => gate.promise),
      shared(cache, 'q', 'v1', () => gate.promise),
    ];
    gate.reject(new Error('statement failed'));
    for (const p of joined) await expect(p).rejects.toThrow('statement failed');
    await expect(shared(cache, 'q', 'v1', async () => ({ rows: [{ again: true }] }))).resolves.toEqual({
      rows: [{ again: true }],
    });
  });
});
