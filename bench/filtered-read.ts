/**
 * Filtered reads with and without the declared indexes: what `indexes` in a mart's config buys a
 * BI client.
 *
 * Generates and builds the example project into `benchidx*` schemas on Postgres (fct_attribution
 * declares its indexes in models/marts/fct_attribution.sql), serves it in-process with the result
 * cache off (every request reaches the warehouse), and times three GraphQL reads BI pages make:
 * the latest 100 conversions of one attribution model, one customer's rows, and 100 rows of one
 * day. The baseline is the same server and the same requests after the declared indexes are
 * dropped (and the table analyzed again); the two states alternate (with, without, with, without)
 * so drift on a noisy machine hits both. Each read's plan in both states is printed, the rows of
 * the ordered reads are compared between the states, and the SQL the server sends is also timed
 * straight through `pg` in both states.
 *
 * Run alone: `npx tsx bench/filtered-read.ts [--customers 3000] [--days 180]` (Postgres from
 * DATABASE_URL, default the local server; `npm run build` first to measure dist/).
 */
import { DECLARED_INDEX_COMMENT } from '../src/physical';
import { argOf, measuring, serveExample, type ServedProject, type Warehouse } from './example-server';
import { READ_QUERY } from './graphql-read';
import { ms, quantile, startClients, type Clients } from './load-clients';
import { printTable, type BenchRow } from './table';

const ROWS = 'rows { conversionId touchpointId attributionModel channel attributedValue convertedAt }';
const BY_CUSTOMER = `query ($customer: Int!, $limit: Int!) {
  fctAttribution(where: { customerId: { eq: $customer } }, orderBy: [{ column: CONVERTED_AT, direction: DESC }],
                 limit: $limit) { ${ROWS} }
}`;
const ONE_DAY = `query ($from: DateTime!, $to: DateTime!) {
  fctAttribution(where: { convertedAt: { gte: $from, lt: $to } }, limit: 100) { ${ROWS} }
}`;

interface Read {
  what: string;
  query: string;
  variables: Record<string, unknown>;
  rows: number;
  /** Whether the rows are fully ordered, so both states must return the same ones. */
  ordered: boolean;
}

interface DeclaredIndex {
  name: string;
  definition: string;
}

/** Drops and recreates the declared indexes of one table, as the build made them. */
function indexToggle(wh: Warehouse, table: string, indexes: DeclaredIndex[]) {
  return {
    async drop() {
      for (const i of indexes) await wh.query(`drop index if exists ${table.split('.')[0]}."${i.name}"`);
      await wh.query(`analyze ${table}`);
    },
    async create() {
      for (const i of indexes) await wh.query(i.definition);
      await wh.query(`analyze ${table}`);
    },
  };
}

async function plan(wh: Warehouse, sent: { sql: string; params: unknown[] }): Promise<string> {
  const { rows } = await wh.query<{ 'QUERY PLAN': string }>(`explain ${sent.sql}`, sent.params);
  const lines = rows.map((r) => r['QUERY PLAN']);
  const scans = lines
    .map((l) =>
      /(Index Only Scan|Index Scan Backward|Index Scan|Bitmap Index Scan|Seq Scan)(?: (?:using|on) (\S+))?/.exec(
        l,
      ),
    )
    .filter((m) => m !== null)
    .map((m) =>
      m![2] && m![1] !== 'Seq Scan' ? `${m![1]} ${m![2].replace(/^fct_attribution__/, '')}` : m![1],
    );
  return [...new Set(scans)].join(' + ') + (lines.some((l) => /Sort/.test(l)) ? ' + Sort' : '');
}

/** The SQL and parameters the server sends to the warehouse for one GraphQL read. */
async function sentFor(
  p: ServedProject,
  url: string,
  read: Read,
): Promise<{ sql: string; params: unknown[]; body: string }> {
  const sent: { sql: string; params: unknown[] }[] = [];
  const wh = p.wh as Warehouse & { query: Warehouse['query'] };
  const original = wh.query;
  wh.query = function (this: Warehouse, sql: string, params?: unknown[]) {
    if (sql.includes('"fct_attribution"')) sent.push({ sql, params: params ?? [] });
    return original.call(this, sql, params);
  } as Warehouse['query'];
  try {
    const body = await p.post(read.query, read.variables, url);
    if (sent.length !== 1) throw new Error(`expected one statement for ${read.what}, got ${sent.length}`);
    return { ...sent[0], body };
  } finally {
    delete (wh as Partial<Warehouse>).query;
  }
}

async function timed(clients: Clients, job: Parameters<Clients['run']>[0], n: number): Promise<number[]> {
  return (await clients.run(job, 1, n)).latencies;
}

export async function benchFilteredRead(customers: number, days: number): Promise<BenchRow[]> {
  const p = await serveExample('benchidx', customers, days, { maxLimit: 1000 });
  const clients = startClients();
  const out: BenchRow[] = [];
  try {
    const table = `"${p.schema}"."fct_attribution"`;
    const server = await p.startServer({ resultCacheEntries: 0 });
    const { rows: declared } = await p.wh.query<DeclaredIndex>(
      `select ic.relname as name, pg_get_indexdef(ic.oid) as definition
       from pg_index x join pg_class ic on ic.oid = x.indexrelid
       where x.indrelid = '${table}'::regclass and obj_description(ic.oid, 'pg_class') = $1`,
      [DECLARED_INDEX_COMMENT],
    );
    if (declared.length === 0) throw new Error('fct_attribution has no declared indexes');
    const [{ total }] = (await p.wh.query<{ total: number }>(`select count(*)::int as total from ${table}`))
      .rows;
    const [customer] = (
      await p.wh.query<{ id: number; n: number }>(
        `select customer_id as id, count(*)::int as n from ${table} group by 1 having count(*) between 20 and 100
         order by count(*) desc, customer_id limit 1`,
      )
    ).rows;
    const [day] = (
      await p.wh.query<{ day: string; n: number }>(
        `select to_char(date_trunc('day', converted_at at time zone 'UTC'), 'YYYY-MM-DD') as day, count(*)::int as n
         from ${table} group by 1 having count(*) >= 100 order by 1 desc limit 1 offset 7`,
      )
    ).rows;
    const [{ correlation }] = (
      await p.wh.query<{ correlation: number }>(
        `select correlation from pg_stats where schemaname = $1 and tablename = 'fct_attribution' and attname = 'converted_at'`,
        [p.schema],
      )
    ).rows;
    console.error(
      `built in ${(p.buildMs / 1000).toFixed(1)} s; fct_attribution ${total.toLocaleString()} rows, ` +
        `${declared.length} declared indexes; customer ${customer.id} has ${customer.n} rows; ${day.day} has ${day.n}; ` +
        `converted_at physical correlation ${Number(correlation).toFixed(2)}; measuring ${measuring}`,
    );
    const reads: Read[] = [
      {
        what: 'latest 100 conversions of one attribution model',
        query: READ_QUERY,
        variables: { model: 'linear', limit: 100 },
        rows: 100,
        ordered: true,
      },
      {
        what: `one customer's rows, newest first (${customer.n})`,
        query: BY_CUSTOMER,
        variables: { customer: customer.id, limit: customer.n },
        rows: customer.n,
        ordered: false, // ties on converted_at: same rows, any order within a tie
      },
      {
        what: '100 rows of one day (converted_at range)',
        query: ONE_DAY,
        variables: { from: `${day.day}T00:00:00Z`, to: `${day.day}T23:59:59.999Z` },
        rows: 100,
        ordered: false,
      },
    ];
    const toggle = indexToggle(p.wh, table, declared);
    const requests = argOf('--requests', 200);

    for (const read of reads) {
      const sent = await sentFor(p, server.url, read);
      const withPlan = await plan(p.wh, sent);
      await toggle.drop();
      const without = await sentFor(p, server.url, read);
      const withoutPlan = await plan(p.wh, sent);
      await toggle.create();
      if (read.ordered && without.body !== sent.body)
        throw new Error(`${read.what}: rows differ without the indexes`);
      if (!read.ordered) {
        const ids = (body: string) =>
          (
            JSON.parse(body) as {
              data: { fctAttribution: { rows: { conversionId: number; touchpointId: string }[] } };
            }
          ).data.fctAttribution.rows
            .map(
              (r) => `${r.conversionId}/${r.touchpointId}/${(r as Record<string, unknown>).attributionModel}`,
            )
            .sort();
        if (read.rows < 100 && JSON.stringify(ids(without.body)) !== JSON.stringify(ids(sent.body)))
          throw new Error(`${read.what}: rows differ without the indexes`);
      }
      console.error(`${read.what}: with indexes ${withPlan}; without ${withoutPlan}`);

      const gql = {
        kind: 'graphql' as const,
        url: server.url,
        query: read.query,
        variables: read.variables,
        field: 'fctAttribution',
        rows: read.rows,
      };
      const raw = { kind: 'pg' as const, sql: sent.sql, params: sent.params, rows: read.rows };
      const series = {
        gqlWith: [] as number[],
        gqlWithout: [] as number[],
        pgWith: [] as number[],
        pgWithout: [] as number[],
      };
      await timed(clients, gql, 20); // warm-up: connections, parsed documents, plans
      for (let half = 0; half < 2; half++) {
        series.gqlWith.push(...(await timed(clients, gql, requests / 2)));
        series.pgWith.push(...(await timed(clients, raw, requests / 2)));
        await toggle.drop();
        await timed(clients, gql, 5);
        series.gqlWithout.push(...(await timed(clients, gql, requests / 2)));
        series.pgWithout.push(...(await timed(clients, raw, requests / 2)));
        await toggle.create();
      }
      const p50 = (v: number[]) => quantile(v, 0.5);
      const p99 = (v: number[]) => quantile(v, 0.99);
      out.push({
        what: `${read.what}, GraphQL p50 (${withPlan} vs ${withoutPlan})`,
        martql: ms(p50(series.gqlWith)),
        baseline: `${ms(p50(series.gqlWithout))} without the indexes`,
        ratio: p50(series.gqlWith) / p50(series.gqlWithout),
        target: 'informational (lower is better)',
      });
      out.push({
        what: `${read.what}, GraphQL p99`,
        martql: ms(p99(series.gqlWith)),
        baseline: `${ms(p99(series.gqlWithout))} without the indexes`,
        ratio: p99(series.gqlWith) / p99(series.gqlWithout),
        target: 'informational',
      });
      out.push({
        what: `${read.what}, the same SQL through pg, p50`,
        martql: ms(p50(series.pgWith)),
        baseline: `${ms(p50(series.pgWithout))} without the indexes`,
        ratio: p50(series.pgWith) / p50(series.pgWithout),
        target: 'informational',
      });
    }
  } finally {
    await clients.close().catch(() => undefined);
    await p.cleanup();
  }
  return out;
}

if (require.main === module) {
  benchFilteredRead(argOf('--customers', 3000), argOf('--days', 180))
    .then((rows) => printTable('filtered reads with and without declared indexes (Postgres)', rows))
    .catch((err) => {
      console.error(err);
      process.exitCode = 1;
    });
}
