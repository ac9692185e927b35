/**
 * Building the API's services once per process: the manifest (parsed with the warehouse, so
 * templates that query it parse as the runner's do), its exposed models, the state store, and
 * freshness wired to the runner. Compiled SQL hashes are memoized (planning asks for every ancestor
 * on every check) and forgotten after each refresh, since a template may read the data it builds
 * from.
 */
import * as path from 'node:path';
import { parseProjectDir } from '../compile/compile-project';
import { NodeCompiler } from '../compile/node-compiler';
import { createFreshness } from '../freshness';
import { BackgroundTasks, runnerExecute, type ApiServices } from '../graphql/resolvers';
import { exposedModels } from '../graphql/schema';
import type { TargetInfo } from '../jinja/context/node-context';
import { openStateStore } from '../state';
import type { Warehouse } from '../warehouse';

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
  log?: (event: Record<string, unknown>) => void;
}

export const DEFAULT_MAX_LIMIT = 1000;

export function jsonLogger(
  stream: NodeJS.WritableStream = process.stderr,
): (event: Record<string, unknown>) => void {
  return (event) => stream.write(`${JSON.stringify({ time: new Date().toISOString(), ...event })}\n`);
}

export async function buildServices(options: ServicesOptions): Promise<ApiServices> {
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
  const freshness = createFreshness({
    store,
    warehouse,
    manifest,
    intervalMs: options.freshnessIntervalMs,
    compiledSqlHash,
    execute: runnerExecute({
      projectDir,
      manifest,
      warehouse,
      target: options.target,
      stateSchema: options.stateSchema,
      vars: options.vars,
      noParseCache: options.noParseCache,
    }),
    onRefreshed: () => hashes.clear(),
  });
  return {
    warehouse,
    manifest,
    models: exposedModels(manifest),
    store,
    freshness,
    maxLimit: options.maxLimit ?? DEFAULT_MAX_LIMIT,
    staleIfSlowBudgetMs: options.staleIfSlowBudgetMs ?? 2000,
    background: new BackgroundTasks(),
    log: options.log ?? jsonLogger(),
  };
}
