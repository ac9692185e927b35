/**
 * GraphQL read overhead: a fresh mart read through `/graphql` against the same SQL sent straight
 * through `pg`.
 *
 * Generates and builds the example project into `benchgql*` schemas on Postgres, starts the server
 * in-process on 127.0.0.1:0, and reads `fct_attribution` (a filter on attribution_model, ordered by
 * converted_at desc then touchpoint_id) 100 and 10,000 rows at a time, at 1 and 32 concurrent
 * clients, against a `pg.Pool` of the warehouse's size (8) running the SQL the query builder emits
 * (checked against what the server sent, and the rows compared). The clients run on a thread of
 * their own, POSTing over keep-alive HTTP (one connection per client) and parsing the JSON, so
 * both sides end with rows as JS objects. Cache mode is the default MUST_REVALIDATE; the mart is
 * checked FRESH before and after. At every level, a fourth side in the same alternation: the same
 * SQL through pg behind a bare node:http server (bench/http-over-pg.ts), the floor of any uncached
 * HTTP read. Then where the time goes (graphql-read-breakdown.ts: the worker-thread hop, JSON
 * rows, the HTTP hop alone, the freshness check, the result cache).
 *
 * A peer baseline too: PostGraphile v4 (bench/postgraphile.ts) serving the same schema in the same
 * process through its own `pg.Pool` of 8, asked the same question (`allFctAttributions` with a
 * condition, the same order and `first`), its rows checked against MartQL's at both sizes and
 * measured with the same client thread in the same alternation (MartQL, pg, PostGraphile). MartQL's
 * result cache is off for these levels, so both servers read Postgres on every request.
 *
 * Run alone: `npx tsx bench/graphql-read.ts [--customers 3000] [--days 180]` (Postgres from
 * DATABASE_URL, default the local server; `npm run build` first to measure dist/).
 */
import { Pool } from 'pg';
import {
  DATABASE_URL,
  argOf,
  measuring,
  serveExample,
  type ServedProject,
  type Warehouse,
} from './example-server';
import { alternate, compared, type Runner } from './alternate';
import { whereTheTimeGoes } from './graphql-read-breakdown';
import { ms, startClients } from './load-clients';
import { startHttpOverPg } from './http-over-pg';
import { POSTGRAPHILE_READ_QUERY, startPostGraphile } from './postgraphile';
import { printTable, type BenchRow } from './table';

const COLUMNS = [
  'conversion_id',
  'customer_id',
  'touchpoint_id',
  'channel',
  'campaign',
  'attribution_model',
  'weight',
  'attributed_value',
  'touched_at',
  'converted_at',
];

export const READ_QUERY = `query Read($model: String!, $limit: Int!) {
  fctAttribution(where: { attributionModel: { eq: $model } },
                 orderBy: [{ column: CONVERTED_AT, direction: DESC }, { column: TOUCHPOINT_ID }],
                 limit: $limit) {
    rows { conversionId customerId touchpointId channel campaign attributionModel weight attributedValue touchedAt convertedAt }
  }
}`;
const META_QUERY = `{ fctAttribution(limit: 1) { meta { freshness } } }`;

/** What the query builder emits for READ_QUERY, written by hand (checked against the server's). */
export function readSql(schema: string): string {
  // The order by names are qualified, as the server's JSON-rows statement qualifies them.
  const table = `"${schema}"."fct_attribution"`;
  return (
    `select ${COLUMNS.map((c) => `"${c}"`).join(', ')} from ${table}` +
    ` where "attribution_model" = $1::text order by ${table}."converted_at" desc, ${table}."touchpoint_id" asc` +
    ` limit $2::int8 offset $3::int8`
  );
}

/** A row as comparable text: numbers and timestamps as values, whatever their JSON spelling. */
function comparable(row: Record<string, unknown>): string {
  const value = (v: unknown) => {
    if (typeof v !== 'string') return v;
    if (v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
    return /^\d{4}-\d\d-\d\dT/.test(v) && !Number.isNaN(Date.parse(v)) ? Date.parse(v) : v;
  };
  return JSON.stringify(Object.keys(row).map((k) => [k, value(row[k])]));
}

async function freshness(p: ServedProject): Promise<string> {
  return (
    JSON.parse(await p.post(META_QUERY)) as { data: { fctAttribution: { meta: { freshness: string } } } }
  ).data.fctAttribution.meta.freshness;
}

export async function benchGraphqlRead(customers: number, days: number): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  // The result cache off: every request reads the warehouse, as a first look at a dashboard does
  // (repeated queries answered from the cache are measured in their own row). The cost limit is
  // raised with the row limit so a 10,000-row page of ten fields is admitted.
  const p = await serveExample('benchgql', customers, days, {
    maxLimit: 10_000,
    server: { resultCacheEntries: 0, maxCost: 1_000_000 },
  });
  const pool = new Pool({ connectionString: DATABASE_URL, max: 8 });
  const closers: (() => Promise<void>)[] = [];
  try {
    const sql = readSql(p.schema);
    const filter = 'linear';
    const { rows: counts } = await p.wh.query<{ total: number; filtered: number }>(
      `select count(*)::int as total, count(*) filter (where attribution_model = $1)::int as filtered
       from "${p.schema}"."fct_attribution"`,
      [filter],
    );
    const { total, filtered } = counts[0];
    if (filtered < 10_000)
      throw new Error(`only ${filtered} ${filter} rows in fct_attribution (need 10,000): raise --customers`);
    console.error(
      `built in ${(p.buildMs / 1000).toFixed(1)} s; fct_attribution ${total.toLocaleString()} rows, ` +
        `${filtered.toLocaleString()} ${filter}; measuring ${measuring}`,
    );

    // The statement the server sends for READ_QUERY must be the baseline's, parameters included,
    // but for its select list, which reads each column through the cast its JSON relies on
    // (json-row.ts); the warehouse worker writes the rows as JSON text (queryJsonRows).
    const sent: { sql: string; params?: unknown[] }[] = [];
    const wh = p.wh as Warehouse & Pick<Warehouse, 'queryJsonRows'>;
    const original = wh.queryJsonRows;
    wh.queryJsonRows = function (this: Warehouse, s, params, encoding) {
      if (s.includes('"fct_attribution"')) sent.push({ sql: s, params });
      return original.call(this, s, params, encoding);
    };
    const sample = JSON.parse(await p.post(READ_QUERY, { model: filter, limit: 100 })) as {
      data: { fctAttribution: { rows: { conversionId: number; touchpointId: string }[] } };
    };
    delete (wh as Partial<Warehouse>).queryJsonRows;
    const clauses = sql.slice(sql.indexOf(' from '));
    if (
      sent.length !== 1 ||
      !sent[0].sql.endsWith(clauses) ||
      JSON.stringify(sent[0].params) !== JSON.stringify([filter, 100, 0])
    )
      throw new Error(`the server sent ${JSON.stringify(sent)}, not the baseline's clauses ${clauses}`);
    const direct = await pool.query<{ conversion_id: number; touchpoint_id: string }>(sql, [filter, 100, 0]);
    const key = (r: { c: number | string; t: string }) => `${r.c}/${r.t}`;
    const keysApi = sample.data.fctAttribution.rows.map((r) => key({ c: r.conversionId, t: r.touchpointId }));
    const keysPg = direct.rows.map((r) => key({ c: r.conversion_id, t: r.touchpoint_id }));
    if (JSON.stringify(keysApi) !== JSON.stringify(keysPg))
      throw new Error('GraphQL rows differ from pg rows');

    // The peer: PostGraphile over the same schema, its own pool of the warehouse's size. Its rows
    // must be MartQL's, in the same order, at both page sizes measured: all ten fields, compared as
    // values (PostGraphile sends numeric as strings and timestamps with a +00:00 offset).
    const peerPool = new Pool({ connectionString: DATABASE_URL, max: 8 });
    closers.push(() => peerPool.end());
    const peer = await startPostGraphile(peerPool, p.schema);
    closers.unshift(() => peer.close());
    for (const limit of [100, 10_000]) {
      const ours = JSON.parse(await p.post(READ_QUERY, { model: filter, limit })) as {
        data: { fctAttribution: { rows: Record<string, unknown>[] } };
      };
      const theirs = JSON.parse(
        await p.post(POSTGRAPHILE_READ_QUERY, { model: filter, first: limit }, peer.url),
      ) as { data?: { allFctAttributions: { nodes: Record<string, unknown>[] } }; errors?: unknown };
      if (!theirs.data) throw new Error(`PostGraphile answered ${JSON.stringify(theirs.errors)}`);
      const a = ours.data.fctAttribution.rows.map(comparable);
      const b = theirs.data.allFctAttributions.nodes.map(comparable);
      const differs = a.findIndex((row, i) => row !== b[i]);
      if (a.length !== limit || b.length !== limit || differs >= 0)
        throw new Error(
          `${limit} rows: PostGraphile's rows differ from MartQL's (${a.length} and ${b.length} rows; ` +
            `first difference at ${differs}: ${a[differs]} vs ${b[differs]})`,
        );
    }

    // The floor of an uncached HTTP read: the baseline's statement through pg behind a bare
    // node:http server (http-over-pg.ts), measured in the same alternation as the others.
    const floorPool = new Pool({ connectionString: DATABASE_URL, max: 8 });
    closers.push(() => floorPool.end());
    const floor = await startHttpOverPg(floorPool, sql, 'fctAttribution', 'model');
    closers.unshift(() => floor.close());

    const before = await freshness(p);
    if (before !== 'FRESH') throw new Error(`fct_attribution is ${before}, not FRESH, before measuring`);

    const clientThread = startClients();
    closers.push(() => clientThread.close());
    const viaGraphql =
      (limit: number, url = p.server.url): Runner =>
      (clients, n) =>
        clientThread.run(
          {
            kind: 'graphql',
            url,
            query: READ_QUERY,
            variables: { model: filter, limit },
            field: 'fctAttribution',
            rows: limit,
          },
          clients,
          n,
        );
    const viaPg =
      (limit: number): Runner =>
      (clients, n) =>
        clientThread.run({ kind: 'pg', sql, params: [filter, limit, 0], rows: limit }, clients, n);
    const viaPeer =
      (limit: number): Runner =>
      (clients, n) =>
        clientThread.run(
          {
            kind: 'graphql',
            url: peer.url,
            query: POSTGRAPHILE_READ_QUERY,
            variables: { model: filter, first: limit },
            field: 'allFctAttributions',
            list: 'nodes',
            rows: limit,
          },
          clients,
          n,
        );
    // The first level warms every side up with 3,000 requests: with 500, the 100-row p50 of a later,
    // identical level was up to 1.8x lower (V8 had not yet optimized the hot paths). The rest run warm.
    const levels: { limit: number; clients: number; requests: number; rounds: number; warmup?: number }[] = [
      { limit: 100, clients: 1, requests: 300, rounds: 6, warmup: 3000 },
      { limit: 100, clients: 32, requests: 2000, rounds: 4 },
      { limit: 10_000, clients: 1, requests: 40, rounds: 2 },
      { limit: 10_000, clients: 32, requests: 128, rounds: 2 },
    ];
    for (const { limit, clients, requests, rounds, warmup } of levels) {
      const t0 = performance.now();
      const [g, b, q, f] = await alternate(
        [viaGraphql(limit), viaPg(limit), viaPeer(limit), viaGraphql(limit, floor.url)],
        clients,
        requests,
        rounds,
        warmup,
      );
      console.error(
        `${limit} rows x ${clients} clients: ${((performance.now() - t0) / 1000).toFixed(1)} s; ` +
          `event loop stalled up to ${g.stallMs.toFixed(0)} ms serving MartQL, ${q.stallMs.toFixed(0)} ms ` +
          `PostGraphile; keep-alive resets ${g.resets} MartQL, ${q.resets} PostGraphile`,
      );
      const label = `${limit.toLocaleString()} rows, ${clients} client${clients > 1 ? 's' : ''}, ${requests.toLocaleString()} requests`;
      rows.push(...compared(label, g, b, 'pg', 'p50 within 1.3x of raw SQL'));
      rows.push(...compared(label, g, q, 'PostGraphile', 'peer: informational'));
      rows.push({
        what: `${label}: p50 of the same SQL through pg behind a bare node:http server (no GraphQL)`,
        martql: ms(f.p50),
        baseline: `${ms(b.p50)} pg`,
        ratio: f.p50 / b.p50,
        target: 'informational: the floor of an uncached HTTP read',
      });
      rows.push({
        what: `${label}: p50 against that floor`,
        martql: ms(g.p50),
        baseline: `${ms(f.p50)} bare HTTP over pg`,
        ratio: g.p50 / f.p50,
        target: 'informational',
      });
    }

    rows.push(
      ...(await whereTheTimeGoes({ p, pool, query: READ_QUERY, sql, filter, viaGraphql, viaPg, closers })),
    );

    const after = await freshness(p);
    if (after !== 'FRESH') throw new Error(`fct_attribution became ${after} while measuring`);
  } finally {
    for (const close of closers) await close().catch(() => undefined);
    await pool.end();
    await p.cleanup();
  }
  return rows;
}

if (require.main === module) {
  benchGraphqlRead(argOf('--customers', 3000), argOf('--days', 180))
    .then((rows) => printTable('GraphQL read overhead (Postgres)', rows))
    .catch((err) => {
      console.error(err);
      process.exitCode = 1;
    });
}
