/**
 * The snapshot cache: a burst of requests on one model costs one check.
 *
 * Snapshots are kept per set of ids for `intervalMs` (1 s by default); while a read for a set is in
 * flight, other reads of that set wait for it rather than query again (single-flight). `readFresh`
 * bypasses both (the re-check after taking a refresh lock must see what other processes committed
 * while it waited) and leaves its result cached; `invalidate` drops everything after a refresh.
 */
import type { Manifest } from '../graph/types';
import type { StateStore } from '../state';
import type { Session } from '../warehouse';
import { SingleFlight } from './single-flight';
import { readSnapshot } from './snapshot';
import type { Snapshot } from './versions';

export interface SnapshotReaderOptions {
  store: StateStore;
  warehouse: Session;
  manifest: Manifest;
  /** How long a snapshot answers for (ms); 1000 by default, 0 to check on every read. */
  intervalMs?: number;
  /** The clock, for tests. */
  now?: () => number;
  /** The uncached read, for tests; `readSnapshot` by default. */
  read?: typeof readSnapshot;
}

export interface SnapshotReader {
  /** A snapshot of `ids` no older than the interval. */
  read(ids: Iterable<string>): Promise<Snapshot>;
  /** A snapshot read now, never shared with an earlier read; it refreshes the cache. */
  readFresh(ids: Iterable<string>): Promise<Snapshot>;
  /** Forgets every cached snapshot (call after a refresh). */
  invalidate(): void;
}

export function createSnapshotReader(options: SnapshotReaderOptions): SnapshotReader {
  const intervalMs = options.intervalMs ?? 1000;
  const now = options.now ?? Date.now;
  const read = options.read ?? readSnapshot;
  const cache = new Map<string, { at: number; snapshot: Snapshot }>();
  const flights = new SingleFlight<Snapshot>();
  // Bumped by invalidate(), so a read that started before it does not refill the cache with old data.
  let generation = 0;

  const load = async (key: string, ids: string[]): Promise<Snapshot> => {
    const started = now();
    const gen = generation;
    const snapshot = await read(options.store, options.warehouse, options.manifest, ids);
    if (gen === generation) cache.set(key, { at: started, snapshot });
    return snapshot;
  };

  const sweep = (t: number) => {
    for (const [key, entry] of cache) if (t - entry.at >= intervalMs) cache.delete(key);
  };

  return {
    read(idsIn) {
      const ids = [...new Set(idsIn)].sort();
      const key = ids.join('\n');
      const t = now();
      sweep(t);
      const hit = cache.get(key);
      if (hit) return Promise.resolve(hit.snapshot);
      return flights.run(`${generation}:${key}`, () => load(key, ids));
    },
    readFresh(idsIn) {
      const ids = [...new Set(idsIn)].sort();
      return load(ids.join('\n'), ids);
    },
    invalidate() {
      generation++;
      cache.clear();
    },
  };
}
