/**
 * What the resolvers need from the process, built once by the server: the warehouse, the manifest
 * and its exposed models, the state store, freshness (planner plus single-flight refresher), the
 * mutation jobs and the result cache.
 * Resolvers receive this through the per-request context, never through module state, so a test
 * can run two servers in one process.
 */
import type { Freshness } from '../../freshness';
import type { Manifest } from '../../graph/types';
import type { StateStore } from '../../state';
import type { Warehouse } from '../../warehouse';
import type { ExposedModel } from '../schema';
import type { JobRegistry } from './jobs';
import type { ResultCache } from './result-cache';

export interface ApiServices {
  warehouse: Warehouse;
  manifest: Manifest;
  models: readonly ExposedModel[];
  store: StateStore;
  freshness: Freshness;
  /** The largest `limit` a model query may ask for. */
  maxLimit: number;
  /** STALE_IF_SLOW's wait before answering stale (ms). */
  staleIfSlowBudgetMs: number;
  /**
   * Whether a page of rows may come back as JSON text written by the warehouse and be spliced into the
   * response (raw-json.ts); off only to compare with the object path.
   */
  jsonRows: boolean;
  /** Refreshes started without waiting (STALE_WHILE_REVALIDATE); the server awaits them on shutdown. */
  background: BackgroundTasks;
  /** Refresh and test jobs started by mutations. */
  jobs: JobRegistry;
  /** The longest a mutation waits for its job, whatever its `wait` (under the request timeout). */
  jobWaitLimitMs: number;
  /** Answers of model queries by query and model version. */
  results: ResultCache;
  /** The structured event stream: JSON logs, and the metrics that count refreshes and reads. */
  log(event: Record<string, unknown>): void;
}

/** Promises nobody awaits, kept so shutdown can let them finish. */
export class BackgroundTasks {
  private readonly running = new Set<Promise<unknown>>();

  add(task: Promise<unknown>, onError: (err: unknown) => void): void {
    const tracked = task.catch(onError).finally(() => this.running.delete(tracked));
    this.running.add(tracked);
  }

  get size(): number {
    return this.running.size;
  }

  async settle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}
