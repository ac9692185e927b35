/**
 * Load generation for the GraphQL benchmarks: concurrent request loops, clients on a thread of
 * their own, and latency quantiles.
 */
import { Worker } from 'node:worker_threads';
import { DATABASE_URL } from './example-server';

export interface LoadResult {
  latencies: number[];
  wallMs: number;
  /** `meta.freshness` of each GraphQL answer that selected it. */
  labels: string[];
  /** Requests sent again because the server reset their keep-alive connection. */
  resets: number;
  /** `meta.refresh.durationMs` of the answers that report a refresh. */
  refreshMs?: number[];
}

/** Latencies (ms) of `total` calls of `fn` made by `clients` concurrent loops, and the wall time. */
export async function load(fn: () => Promise<unknown>, clients: number, total: number): Promise<LoadResult> {
  const latencies: number[] = [];
  let issued = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (issued < total) {
        issued++;
        const t = performance.now();
        await fn();
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { latencies, wallMs: performance.now() - started, labels: [], resets: 0 };
}

/**
 * The clients run on a thread of their own, as a separate program would, so that client and server
 * do not queue behind each other on one event loop. HTTP goes through `node:http` with one
 * keep-alive connection per client: `fetch` (undici) opened spare connections under load (38 for
 * 32 clients) that idled past the server's 5 s keep-alive timeout and were reset as they were
 * reused (ECONNRESET). Both sides consume rows as JS objects: the GraphQL client parses the JSON,
 * `pg` its rows.
 */
const CLIENT_WORKER = `
const http = require('node:http');
const { parentPort, workerData } = require('node:worker_threads');
const { Pool } = require(workerData.pgPath);
const pool = new Pool({ connectionString: workerData.url, max: 8 });
function post(url, body, agent) {
  return new Promise((resolve, reject) => {
    const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
    const req = http.request(url, { method: 'POST', agent, headers }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}
let resets = 0;
let refreshMs = [];
async function once(job, agent) {
  if (job.kind === 'pg') {
    const r = await pool.query(job.sql, job.params);
    if (r.rows.length !== job.rows) throw new Error('pg returned ' + r.rows.length + ' rows');
    return undefined;
  }
  let answer;
  for (let attempt = 1; answer === undefined; attempt++) {
    try {
      answer = await post(job.url, job.body, agent);
    } catch (err) {
      // A keep-alive connection the server closed as the request went out: sent again, counted.
      if (attempt > 3 || !err || err.code !== 'ECONNRESET') throw err;
      resets++;
    }
  }
  const { status, text } = answer;
  if (status !== 200) throw new Error('HTTP ' + status + ': ' + text.slice(0, 300));
  const body = JSON.parse(text);
  const page = body.data && body.data[job.field];
  if (body.errors || !page) throw new Error('answer: ' + text.slice(0, 300));
  const rows = page[job.list];
  if (!rows || rows.length !== job.rows) throw new Error('GraphQL returned ' + (rows ? rows.length : 'no') + ' ' + job.list);
  if (page.meta && page.meta.refresh && page.meta.refresh.durationMs > 0) refreshMs.push(page.meta.refresh.durationMs);
  return page.meta ? page.meta.freshness : undefined;
}
parentPort.on('message', async (job) => {
  if (job.kind === 'end') { await pool.end(); parentPort.postMessage({ ended: true }); return; }
  // One keep-alive connection per client, closed after the job: nothing idles past the server's
  // 5 s keep-alive timeout to race a reuse (fetch's pool opened spare connections that did).
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.clients });
  const latencies = [];
  const labels = [];
  resets = 0;
  refreshMs = [];
  let issued = 0;
  let error;
  const started = performance.now();
  await Promise.all(Array.from({ length: job.clients }, async () => {
    while (issued < job.total && error === undefined) {
      issued++;
      const t = performance.now();
      try {
        const label = await once(job, agent);
        latencies.push(performance.now() - t);
        if (label !== undefined) labels.push(label);
      } catch (err) {
        error = String(err && err.cause ? err.message + ': ' + err.cause.message : err);
      }
    }
  }));
  const wallMs = performance.now() - started;
  agent.destroy();
  parentPort.postMessage({ latencies, labels, refreshMs, wallMs, resets, error });
});
`;

export type ClientJob =
  | {
      kind: 'graphql';
      url: string;
      query: string;
      variables?: Record<string, unknown>;
      field: string;
      /** The key of the field's row list: `rows` (MartQL, the default) or `nodes` (a Relay connection). */
      list?: string;
      rows: number;
    }
  | { kind: 'pg'; sql: string; params: unknown[]; rows: number };

export interface Clients {
  /** `total` requests by `clients` concurrent loops on the client thread. */
  run(job: ClientJob, clients: number, total: number): Promise<LoadResult>;
  close(): Promise<void>;
}

export function startClients(): Clients {
  const worker = new Worker(CLIENT_WORKER, {
    eval: true,
    workerData: { url: DATABASE_URL, pgPath: require.resolve('pg') },
  });
  type Reply = LoadResult & { error?: string };
  let pending: { resolve(message: Reply): void; reject(err: unknown): void } | undefined;
  const settle = (fn: (p: NonNullable<typeof pending>) => void) => {
    const p = pending;
    pending = undefined;
    if (p) fn(p);
  };
  worker.on('message', (message: Reply) => settle((p) => p.resolve(message)));
  worker.on('error', (err) => settle((p) => p.reject(err)));
  const call = (message: unknown) =>
    new Promise<Reply>((resolve, reject) => {
      pending = { resolve, reject };
      worker.postMessage(message);
    });
  return {
    async run(job, clients, total) {
      const message =
        job.kind === 'graphql'
          ? {
              kind: 'graphql',
              url: job.url,
              body: JSON.stringify({ query: job.query, variables: job.variables }),
              field: job.field,
              list: job.list ?? 'rows',
              rows: job.rows,
            }
          : job;
      const result = await call({ ...message, clients, total });
      if (result.error) throw new Error(`client failed: ${result.error}`);
      return result;
    },
    async close() {
      await call({ kind: 'end' });
      await worker.terminate();
    },
  };
}

export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

export const ms = (v: number) => (v >= 100 ? `${v.toFixed(0)} ms` : `${v.toFixed(2)} ms`);
