/**
 * Where a GraphQL read's time goes, at 1 client unless said, for bench/graphql-read.ts: the
 * warehouse's worker-thread hop (the same SQL through MartQL's warehouse against pg on the main
 * thread), rows written as JSON text against rows as objects walked by graphql-js, MartQL's own
 * 100-row answer sent by a bare node:http server (the HTTP hop alone), the freshness check on every
 * request against the default interval, repeated queries answered by the result cache, and the
 * freshness check itself run directly.
 */
import { FCT_ID, type ServedProject } from './example-server';
import { alternate, type Runner } from './alternate';
import { startBareAnswer } from './http-over-pg';
import { load, ms, quantile } from './load-clients';
import type { BenchRow } from './table';

export interface ReadBench {
  p: ServedProject;
  /** pg on the main thread, the warehouse's size. */
  pool: { query(sql: string, params: unknown[]): Promise<{ rows: unknown[] }> };
  /** The GraphQL read (the benchmark's READ_QUERY), and the baseline's statement (`readSql`). */
  query: string;
  sql: string;
  filter: string;
  /** READ_QUERY at `limit` rows from the client thread, to MartQL's server or another url. */
  viaGraphql(limit: number, url?: string): Runner;
  /** The baseline's statement through pg from the client thread. */
  viaPg(limit: number): Runner;
  /** Where servers started here register their close. */
  closers: (() => Promise<void>)[];
}

export async function whereTheTimeGoes({
  p,
  pool,
  query,
  sql,
  filter,
  viaGraphql,
  viaPg,
  closers,
}: ReadBench): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  // The same SQL from the main thread: through MartQL's warehouse (its worker thread) and pg.
  const onMain =
    (query: (sql: string, params: unknown[]) => Promise<{ rows: unknown[] }>, limit: number): Runner =>
    (clients, n) =>
      load(
        async () => {
          if ((await query(sql, [filter, limit, 0])).rows.length !== limit)
            throw new Error('wrong row count');
        },
        clients,
        n,
      );

  // Where the time goes, at 1 client: the warehouse's worker-thread hop (rows cloned across
  // threads), and the freshness check (the default server re-checks at most once a second;
  // `eager` on every request).
  let b1 = 0;
  for (const [limit, n] of [
    [100, 300],
    [10_000, 40],
  ]) {
    const [w, b] = await alternate(
      [
        onMain((q, params) => p.wh.query(q, params), limit),
        onMain((q, params) => pool.query(q, params), limit),
      ],
      1,
      n,
    );
    if (limit === 100) b1 = b.p50;
    rows.push({
      what: `${limit.toLocaleString()} rows, 1 client: same SQL through MartQL's warehouse (worker thread), p50`,
      martql: ms(w.p50),
      baseline: `${ms(b.p50)} pg on the main thread`,
      ratio: w.p50 / b.p50,
      target: 'informational',
    });
  }
  // The same server with rows as objects walked by graphql-js, as before json-row.ts.
  const objects = await p.startServer({ jsonRows: false, resultCacheEntries: 0, maxCost: 1_000_000 });
  for (const [limit, n] of [
    [100, 300],
    [10_000, 40],
  ]) {
    const [j, o] = await alternate([viaGraphql(limit), viaGraphql(limit, objects.url)], 1, n);
    rows.push({
      what: `${limit.toLocaleString()} rows, 1 client: rows as JSON text against rows as objects, p50`,
      martql: ms(j.p50),
      baseline: `${ms(o.p50)} objects (jsonRows: false)`,
      ratio: j.p50 / o.p50,
      target: 'informational',
    });
  }
  // The floor under any HTTP API at this size: MartQL's own 100-row answer, its bytes sent by a
  // bare node:http server (no GraphQL, no database), read by the same client.
  const answer = await p.post(query, { model: filter, limit: 100 });
  const bare = await startBareAnswer(answer);
  closers.push(() => bare.close());
  const [f, fb] = await alternate([viaGraphql(100, bare.url), viaPg(100)], 1, 300);
  rows.push({
    what: "100 rows, 1 client: MartQL's answer sent by a bare node:http server (no GraphQL, no database), p50",
    martql: ms(f.p50),
    baseline: `${ms(fb.p50)} pg`,
    ratio: f.p50 / fb.p50,
    target: 'informational',
  });
  const eager = await p.startServer({ freshnessIntervalMs: 0 });
  const [e, d] = await alternate([viaGraphql(100, eager.url), viaGraphql(100)], 1, 300);
  rows.push({
    what: '100 rows, 1 client: freshness checked every request (interval 0), p50',
    martql: ms(e.p50),
    baseline: `${ms(d.p50)} default 1 s interval`,
    ratio: e.p50 / d.p50,
    target: 'informational',
  });
  // A dashboard re-asking the same question: the result cache answers without the warehouse.
  const withCache = await p.startServer({ resultCacheEntries: 1000, maxCost: 1_000_000 });
  for (const [limit, clients, n] of [
    [100, 1, 300],
    [100, 32, 2000],
  ]) {
    const [c, b] = await alternate([viaGraphql(limit, withCache.url), viaPg(limit)], clients, n);
    rows.push({
      what: `${limit} rows, ${clients} client${clients > 1 ? 's' : ''}: repeated query answered by the result cache, p50`,
      martql: ms(c.p50),
      baseline: `${ms(b.p50)} pg`,
      ratio: c.p50 / b.p50,
      target: 'p50 within 1.3x of raw SQL',
    });
  }
  const checks: number[] = [];
  for (let i = 0; i < 100; i++) {
    const t = performance.now();
    await p.server.services.freshness.planNow(FCT_ID);
    checks.push(performance.now() - t);
  }
  const cached: number[] = [];
  for (let i = 0; i < 100; i++) {
    const t = performance.now();
    await p.server.services.freshness.plan(FCT_ID);
    cached.push(performance.now() - t);
  }
  rows.push({
    what: 'freshness plan from the cached snapshot (most requests), p50 of 100',
    martql: ms(quantile(cached, 0.5)),
    baseline: `${ms(b1)} pg 100-row read`,
    ratio: quantile(cached, 0.5) / b1,
    target: 'informational',
  });
  rows.push({
    what: 'freshness check alone (snapshot read + plan, run directly), p50 of 100',
    martql: ms(quantile(checks, 0.5)),
    baseline: `${ms(b1)} pg 100-row read`,
    ratio: quantile(checks, 0.5) / b1,
    target: 'informational',
  });
  return rows;
}
