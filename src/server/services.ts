/**
 * Building the API's services once per process: the manifest (parsed with the warehouse, so
 * templates that query it parse as the runner's do), its exposed models, the state store, and
 * freshness wired to the runner. Compiled SQL hashes are memoized (planning asks for every ancestor
 * on every check) and forgotten after each refresh, since a template may read the data it builds
 * from.
 *
 * Every event the server or a resolver logs goes through one function that writes the JSON log line
 * and feeds the Prometheus metrics, so the two never disagree.
 */
import * as path from 'node:path';
import { parseProjectDir } from '../compile/compile-project';
import { NodeCompiler } from '../compile/node-compiler';
import { createFreshness } from '../freshness';
import type { RefreshReport } from '../freshness';
import {
  BackgroundTasks,
  JobRegistry,
  projectRunner,
  ResultCache,
  type ApiServices,
} from '../graphql/resolvers';
import { exposedModels } from '../graphql/schema';
import type { TargetInfo } from '../jinja/context/node-context';
import { openStateStore } from '../state';
import type { Warehouse } from '../warehouse';
import { createMetrics, type ServerMetrics } from './metrics';

export interface ServicesOptions {
  projectDir: string;
  warehouse: Warehouse;
  target?: TargetInfo;
  /** Schema of MartQL's own tables (default `martql`). */
  stateSchema?: string;
  vars?: Record<string, unknown> | string;
  /** Largest `limit` of a model query; 1000 by default. */
  maxLimit?: number;
  /** How long a freshness check answers for (ms); 1000 by default. */
  freshnessIntervalMs?: number;
  /** STALE_IF_SLOW's budget (ms); 2000 by default. */
  staleIfSlowBudgetMs?: number;
  /** Parse from scratch, neither reading nor writing target/partial_parse.json. */
  noParseCache?: boolean;
  /** How long a request may execute before the client gets TIMEOUT (ms); 30 s by default. */
  requestTimeoutMs?: number;
  /** Most answers the result cache keeps (1000 by default; 0 turns it off). */
  resultCacheEntries?: number;
  /** Rows as JSON text written by the warehouse worker (graphql/resolvers/raw-json.ts); true by default. */
  jsonRows?: boolean;
  log?: (event: Record<string, unknown>) => void;
}

export const DEFAULT_MAX_LIMIT = 1000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** The resolvers' services plus what only the HTTP layer uses. */
export interface ServerServices extends ApiServices {
  /** This server's Prometheus registry and the event counter behind it. */
  metrics: ServerMetrics;
}

export function jsonLogger(
  stream: NodeJS.WritableStream = process.stderr,
): (event: Record<string, unknown>) => void {
  return (event) => stream.write(`${JSON.stringify({ time: new Date().toISOString(), ...event })}\n`);
}

export async function buildServices(options: ServicesOptions): Promise<ServerServices> {
  const projectDir = path.resolve(options.projectDir);
  const { warehouse } = options;
  const { session, manifest } = await parseProjectDir(projectDir, {
    session: warehouse,
    target: options.target,
    vars: options.vars,
    noParseCache: options.noParseCache,
  });
  const compiler = new NodeCompiler(session, manifest);
  const hashes = new Map<string, string>();
  const compiledSqlHash = (id: string) => {
    let hash = hashes.get(id);
    if (hash === undefined) hashes.set(id, (hash = compiler.sqlHash(id)));
    return hash;
  };
  const store = await openStateStore(warehouse, { schema: options.stateSchema });
  const runner = projectRunner({
    projectDir,
    manifest,
    warehouse,
    target: options.target,
    stateSchema: options.stateSchema,
    vars: options.vars,
    noParseCache: options.noParseCache,
  });
  const results = new ResultCache({ maxEntries: options.resultCacheEntries });
  // One event per refresh that ran (not per request that waited for it), for logs and metrics.
  const refreshEvent = (trigger: 'graphql' | 'mutation', report: RefreshReport) =>
    log({
      event: 'refresh',
      trigger,
      kind: report.kind,
      ms: Math.round(report.durationMs),
      models: report.refreshedModels,
      rows: report.rowsAffected,
      failed: report.failedModels ?? [],
    });
  const freshness = createFreshness({
    store,
    warehouse,
    manifest,
    intervalMs: options.freshnessIntervalMs,
    compiledSqlHash,
    execute: runner.refresh,
    onRefreshed: (report) => {
      hashes.clear();
      results.clear();
      refreshEvent('graphql', report);
    },
  });
  // A mutation's run bypasses the refresher: forget what it may have changed the same way.
  const jobs = new JobRegistry(runner, (job) => {
    hashes.clear();
    results.clear();
    freshness.reader.invalidate();
    if (job.refresh) refreshEvent('mutation', job.refresh);
    log({ event: 'job_finished', job: job.id, command: job.command, status: job.status, error: job.error });
  });
  const metrics = createMetrics();
  const write = options.log ?? jsonLogger();
  const log = (event: Record<string, unknown>) => {
    write(event);
    metrics.observe(event);
  };
  return {
    warehouse,
    manifest,
    models: exposedModels(manifest),
    store,
    freshness,
    maxLimit: options.maxLimit ?? DEFAULT_MAX_LIMIT,
    staleIfSlowBudgetMs: options.staleIfSlowBudgetMs ?? 2000,
    jsonRows: options.jsonRows ?? true,
    background: new BackgroundTasks(),
    jobs,
    // A mutation answers (RUNNING, with the job id) a second before the request would time out.
    jobWaitLimitMs: Math.max(0, (options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS) - 1000),
    results,
    log,
    metrics,
  };
}
