/**
 * The example project, generated, built and served for the GraphQL benchmarks: one tree for the
 * server, the warehouse and the generator (dist/ when built with the server in it, else src/).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '..');
export const DATABASE_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

// One tree for everything (the server, the warehouse it is given and the generator must come from
// the same build): dist/ when it is built with the server in it, else the sources through tsx.
const FROM_DIST = fs.existsSync(path.join(ROOT, 'dist', 'server', 'index.js'));
const BASE = FROM_DIST ? '../dist' : '../src';
/* eslint-disable @typescript-eslint/no-require-imports */
export const api: typeof import('../src/index') = require(`${BASE}/index`);
export const serverApi: typeof import('../src/server') = require(`${BASE}/server`);
export const gen: typeof import('../src/generate') = require(`${BASE}/generate`);
/* eslint-enable @typescript-eslint/no-require-imports */
export const measuring = FROM_DIST ? 'dist/ (compiled)' : 'src/ through tsx';

export type Warehouse = Awaited<ReturnType<typeof api.openWarehouse>>;
export type RunningServer = Awaited<ReturnType<typeof serverApi.startServer>>;

export const FCT_ID = 'model.analytics_engineering_toolkit.fct_attribution';

export interface ServedProject {
  wh: Warehouse;
  server: RunningServer;
  schema: string;
  rawSchema: string;
  stateSchema: string;
  buildMs: number;
  /** POST a query to /graphql; the body as text. */
  post(query: string, variables?: Record<string, unknown>, url?: string): Promise<string>;
  /** Another server over the same warehouse and project (closed by cleanup). */
  startServer(extra: Partial<Parameters<typeof serverApi.startServer>[0]>): Promise<RunningServer>;
  cleanup(): Promise<void>;
}

async function dropSchemas(wh: Warehouse, prefix: string): Promise<void> {
  const { rows } = await wh.query<{ nspname: string }>(
    "select nspname from pg_namespace where nspname = $1 or nspname like $1 || '\\_%'",
    [prefix],
  );
  for (const { nspname } of rows) await wh.query(`drop schema if exists "${nspname}" cascade`);
}

/**
 * The example project generated and built into `<prefix>`, `<prefix>_raw` and `<prefix>_state`,
 * served in-process on an ephemeral loopback port.
 */
export async function serveExample(
  prefix: string,
  customers: number,
  days: number,
  options: { maxLimit?: number; server?: Partial<Parameters<typeof serverApi.startServer>[0]> } = {},
): Promise<ServedProject> {
  const schema = prefix;
  const rawSchema = `${prefix}_raw`;
  const stateSchema = `${prefix}_state`;
  const previousStateSchema = process.env.MARTQL_STATE_SCHEMA;
  process.env.MARTQL_STATE_SCHEMA = stateSchema;
  const wh = await api.openWarehouse({ url: DATABASE_URL });
  const target = { ...api.targetFromEnv({}), schema };
  const servers: RunningServer[] = [];
  const cleanup = async () => {
    for (const s of servers.splice(0)) await s.close();
    await dropSchemas(wh, prefix);
    await wh.close();
    if (previousStateSchema === undefined) delete process.env.MARTQL_STATE_SCHEMA;
    else process.env.MARTQL_STATE_SCHEMA = previousStateSchema;
  };
  try {
    await dropSchemas(wh, prefix);
    const t0 = performance.now();
    await gen.generate(wh, { customers, days, seed: 42, schema: rawSchema });
    console.error(`generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const started = performance.now();
    const build = await api.runProject({
      projectDir: ROOT,
      command: 'build',
      warehouse: wh,
      target,
      stateSchema,
      vars: { raw_schema: rawSchema },
      noParseCache: true,
    });
    const failed = build.results.filter((r) => r.status === 'error' || r.status === 'fail');
    if (failed.length) throw new Error(`example build failed: ${failed.map((r) => r.name).join(', ')}`);
    const buildMs = performance.now() - started;
    const start = async (extra: Partial<Parameters<typeof serverApi.startServer>[0]>) => {
      const s = await serverApi.startServer({
        projectDir: ROOT,
        warehouse: wh,
        target,
        stateSchema,
        vars: { raw_schema: rawSchema },
        port: 0,
        host: '127.0.0.1',
        noParseCache: true,
        maxLimit: options.maxLimit,
        log: () => undefined,
        ...options.server,
        ...extra,
      });
      servers.push(s);
      return s;
    };
    const server = await start({});
    const post = async (query: string, variables?: Record<string, unknown>, url = server.url) => {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables }),
      });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${text.slice(0, 300)}`);
      return text;
    };
    return { wh, server, schema, rawSchema, stateSchema, buildMs, post, startServer: start, cleanup };
  } catch (err) {
    await cleanup().catch(() => undefined);
    throw err;
  }
}

export function argOf(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}
