/**
 * Stale-read storm: 500 concurrent identical queries on a stale mart, against one refresh plus one
 * query measured in the same run.
 *
 * The example project generated, built and served as in `graphql-read.ts` (schemas
 * `benchgqlstorm*`); `simulate` adds a day so `fct_attribution` is stale, then 500 clients (a
 * thread of their own, one keep-alive connection each) ask for the same 100 rows at once with the
 * default cache mode (MUST_REVALIDATE). Counted: the refreshes of fct_attribution executed
 * (run_history rows with trigger 'graphql' in the window — target exactly 1) and how many answers
 * say REFRESHED or FRESH. The baseline, measured before and after the storm after another simulated
 * day each: the latency of one query that refreshes the mart alone, and of a fresh query.
 *
 * Run alone: `npx tsx bench/stale-storm.ts [--customers 3000] [--days 180] [--clients 500]`
 * (Postgres from DATABASE_URL, default the local server; `npm run build` first to measure dist/).
 */
import { FCT_ID, argOf, gen, measuring, serveExample } from './example-server';
import { ms, quantile, startClients, type ClientJob } from './load-clients';
import { printTable, type BenchRow } from './table';

const STORM_QUERY = `query Storm($model: String!) {
  fctAttribution(where: { attributionModel: { eq: $model } },
                 orderBy: [{ column: CONVERTED_AT, direction: DESC }, { column: TOUCHPOINT_ID }],
                 limit: 100) {
    rows { conversionId touchpointId channel attributedValue convertedAt }
    meta { freshness refresh { kind durationMs } }
  }
}`;

export async function benchStaleStorm(customers: number, days: number, clients: number): Promise<BenchRow[]> {
  const p = await serveExample('benchgqlstorm', customers, days);
  const threads = startClients();
  try {
    console.error(`built in ${(p.buildMs / 1000).toFixed(1)} s; measuring ${measuring}`);
    const job: ClientJob = {
      kind: 'graphql',
      url: p.server.url,
      query: STORM_QUERY,
      variables: { model: 'linear' },
      field: 'fctAttribution',
      rows: 100,
    };
    const graphqlRuns = async () => {
      const { rows } = await p.wh.query<{ mart: number; nodes: number; seq: string | null }>(
        `select count(*) filter (where unique_id = $1)::int as mart, count(*)::int as nodes, max(seq)::text as seq
         from "${p.stateSchema}".run_history where trigger = 'graphql'`,
        [FCT_ID],
      );
      return rows[0];
    };
    const expectLabels = (labels: string[], want: string) => {
      if (labels.some((l) => l !== want)) throw new Error(`expected ${want}, got ${labels.join(', ')}`);
    };

    // Warm-up on the fresh mart: server caches, the query's plan.
    expectLabels((await threads.run(job, 4, 40)).labels, 'FRESH');

    // A server trusts a freshness check for 1 s (the default interval): wait that out after new data.
    const newDay = async () => {
      await gen.simulate(p.wh, { days: 1, schema: p.rawSchema });
      await new Promise((resolve) => setTimeout(resolve, 1100));
    };

    /** One query that refreshes the stale mart alone, then fresh queries one at a time. */
    const baseline = async () => {
      await newDay();
      const refreshing = await threads.run(job, 1, 1);
      expectLabels(refreshing.labels, 'REFRESHED');
      const fresh = await threads.run(job, 1, 20);
      expectLabels(fresh.labels, 'FRESH');
      return {
        refreshQuery: refreshing.latencies[0],
        refreshMs: refreshing.refreshMs?.[0] ?? NaN,
        fresh: quantile(fresh.latencies, 0.5),
      };
    };
    const before = await baseline();

    await newDay();
    const runsBefore = await graphqlRuns();
    const storm = await threads.run(job, clients, clients);
    const runsAfter = await graphqlRuns();
    const refreshes = runsAfter.mart - runsBefore.mart;
    const refreshed = storm.labels.filter((l) => l === 'REFRESHED').length;
    const fresh = storm.labels.filter((l) => l === 'FRESH').length;
    if (refreshed + fresh !== clients) throw new Error(`answers: ${storm.labels.join(', ')}`);
    const stormRefreshMs = storm.refreshMs?.length ? Math.max(...storm.refreshMs) : NaN;

    const after = await baseline();
    // The same burst on the fresh mart: what 500 concurrent queries cost without any refresh.
    const calm = await threads.run(job, clients, clients);
    expectLabels(calm.labels, 'FRESH');
    const single = (before.refreshQuery + after.refreshQuery) / 2;
    console.error(
      `one refreshing query: ${ms(before.refreshQuery)} / ${ms(after.refreshQuery)} ` +
        `(refresh ${ms(before.refreshMs)} / ${ms(after.refreshMs)}), fresh query ${ms(before.fresh)} / ${ms(after.fresh)}; ` +
        `storm: refresh ${ms(stormRefreshMs)}, ${runsAfter.nodes - runsBefore.nodes} nodes rebuilt (trigger graphql), ` +
        `${storm.resets + calm.resets} keep-alive resets`,
    );

    const p50 = quantile(storm.latencies, 0.5);
    const p99 = quantile(storm.latencies, 0.99);
    const baselineText = `${ms(single)} one refresh + one query`;
    return [
      {
        what: `${clients} concurrent identical queries on a stale mart: refreshes of fct_attribution executed (${refreshed} answers REFRESHED, ${fresh} FRESH)`,
        martql: String(refreshes),
        baseline: '1',
        ratio: refreshes,
        target: 'exactly 1',
      },
      {
        what: `storm p50 latency (its refresh took ${ms(stormRefreshMs)})`,
        martql: ms(p50),
        baseline: baselineText,
        ratio: p50 / single,
        target: 'relative to one refresh + one query',
      },
      {
        what: `storm p99 latency${storm.resets ? ` (${storm.resets} keep-alive resets, sent again)` : ''}`,
        martql: ms(p99),
        baseline: baselineText,
        ratio: p99 / single,
        target: 'relative to one refresh + one query',
      },
      {
        what: `storm p50 against the same ${clients} queries on the fresh mart`,
        martql: ms(p50),
        baseline: `${ms(quantile(calm.latencies, 0.5))} p50 fresh (p99 ${ms(quantile(calm.latencies, 0.99))})`,
        ratio: p50 / quantile(calm.latencies, 0.5),
        target: 'informational',
      },
      {
        what: 'one query that refreshes alone (the baseline, mean of before and after the storm)',
        martql: ms(single),
        baseline: `${ms((before.fresh + after.fresh) / 2)} fresh query`,
        ratio: single / ((before.fresh + after.fresh) / 2),
        target: 'informational',
      },
    ];
  } finally {
    await threads.close().catch(() => undefined);
    await p.cleanup();
  }
}

if (require.main === module) {
  benchStaleStorm(argOf('--customers', 3000), argOf('--days', 180), argOf('--clients', 500))
    .then((rows) => printTable('stale-read storm (Postgres)', rows))
    .catch((err) => {
      console.error(err);
      process.exitCode = 1;
    });
}
