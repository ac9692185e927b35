/**
 * Answers of model queries kept in memory, keyed by the compiled query and validated by the
 * version of the model's data they were read at. A dashboard that re-asks the same question gets
 * the stored rows, without a warehouse round trip, until the model is rebuilt: a rebuild changes
 * its version (so old entries stop matching) and, in this process, clears the cache outright.
 *
 * Bounded two ways, least recently used first out: by entries and by rows held, so a few huge
 * pages cannot pin memory. A `clear()` during a read makes that read's `set` a no-op (the
 * generation check), so rows read just before a rebuild are never stored as current.
 *
 * Identical queries that miss at the same time share one read (`share`): a burst of clients asking
 * the same question, as a dashboard's viewers do after a refresh, costs the warehouse one query.
 */
import type { JsonRows } from '../../warehouse';

export interface CachedAnswer {
  rows: Record<string, unknown>[];
  /** The rows as one JSON array's UTF-8 text instead (see raw-json.ts), and how many. */
  json?: JsonRows;
  totalCount?: number;
}

interface InFlight {
  version: string;
  generation: number;
  answer: Promise<CachedAnswer>;
}

interface Entry {
  version: string;
  answer: CachedAnswer;
  size: number;
}

export interface ResultCacheOptions {
  /** Most entries kept; 0 disables the cache. */
  maxEntries?: number;
  /** Most rows kept over all entries. */
  maxRows?: number;
}

export class ResultCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Map<string, InFlight>();
  private readonly maxEntries: number;
  private readonly maxRows: number;
  private rowsHeld = 0;
  private generationCount = 0;
  hits = 0;
  misses = 0;

  constructor(options: ResultCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? 1000;
    this.maxRows = options.maxRows ?? 200_000;
  }

  /** The generation to hand back to `set`; bumped by every `clear`. */
  get generation(): number {
    return this.generationCount;
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string, version: string): CachedAnswer | undefined {
    const entry = this.entries.get(key);
    if (!entry || entry.version !== version) {
      this.misses += 1;
      return undefined;
    }
    // Re-insert: Map order is the LRU order.
    this.entries.delete(key);
    this.entries.set(key, entry);
    this.hits += 1;
    return entry.answer;
  }

  set(key: string, version: string, answer: CachedAnswer, generation: number): void {
    if (generation !== this.generationCount || this.maxEntries === 0) return;
    const size = Math.max(1, answer.json?.count ?? answer.rows.length);
    if (size > this.maxRows) return;
    this.remove(key);
    this.entries.set(key, { version, answer, size });
    this.rowsHeld += size;
    for (const [oldest] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.rowsHeld <= this.maxRows) break;
      this.remove(oldest);
    }
  }

  /**
   * `read()`'s answer, or that of the same read already running at the same version since the last
   * `clear` (`joined`; the cache off: always `read()`). Storing the answer is left to the caller
   * that started the read (`set`), so a burst stores it once.
   */
  share(
    key: string,
    version: string,
    read: () => Promise<CachedAnswer>,
  ): { answer: Promise<CachedAnswer>; joined: boolean } {
    if (this.maxEntries === 0) return { answer: read(), joined: false };
    const running = this.inFlight.get(key);
    if (running && running.version === version && running.generation === this.generationCount)
      return { answer: running.answer, joined: true };
    const flight: InFlight = { version, generation: this.generationCount, answer: read() };
    this.inFlight.set(key, flight);
    const done = () => {
      if (this.inFlight.get(key) === flight) this.inFlight.delete(key);
    };
    flight.answer.then(done, done);
    return { answer: flight.answer, joined: false };
  }

  clear(): void {
    this.entries.clear();
    this.inFlight.clear();
    this.rowsHeld = 0;
    this.generationCount += 1;
  }

  private remove(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.rowsHeld -= entry.size;
  }
}
