/**
 * The server's operational side over real HTTP, on a one-model project whose refresh is slow on
 * purpose (see slow-project.ts), against the test warehouse (PGlite, or Postgres at DATABASE_URL):
 * tokens for reads and admin, depth/cost limits, the execution time limit with the refresh going
 * on in the background, /metrics checked against the log events that feed it (two servers in one
 * process keep separate figures), one JSON log line per request, and a shutdown that lets an
 * in-flight slow request finish.
 */
import { PassThrough } from 'node:stream';
import { getIntrospectionQuery } from 'graphql';
import { jsonLogger, startServer, type RunningServer } from '../../src/server';
import { openProjectWarehouse, type ProjectWarehouse } from '../helpers/project-warehouse';
import {
  buildSlowProject,
  parseMetrics,
  SLOW_ITEMS_ID,
  SLOW_ITEMS_ROWS,
  type SlowProject,
} from './slow-project';

const READ = 'read-token-1234';
const ADMIN = 'admin-token-5678';
const SLEEP_S = 1;

type Body = { data?: Record<string, any>; errors?: { message: string; extensions?: Record<string, any> }[] };

async function post(url: string, query: string, token?: string): Promise<{ status: number; body: Body }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query }),
  });
  return { status: res.status, body: (await res.json()) as Body };
}

const ITEMS =
  'query Items { slowItems(limit: 10, orderBy: [{ column: ID }]) { rows { id label } meta { freshness refresh { kind } } } }';
const FORCED = `query Forced { slowItems(limit: 10, cache: NO_CACHE) { rows { id label } meta { freshness refresh { kind } } } }`;

describe('server operations', () => {
  let pw: ProjectWarehouse;
  let project: SlowProject;
  /** Guarded: read token, 400 ms execution limit, a small cost limit. */
  let guarded: RunningServer;
  /** Open reads, default limits, JSON log lines to a stream. */
  let open: RunningServer;
  const guardedEvents: Record<string, unknown>[] = [];
  const openLines: string[] = [];

  beforeAll(async () => {
    pw = await openProjectWarehouse();
    project = await buildSlowProject(pw, SLEEP_S);
    const common = {
      projectDir: project.dir,
      warehouse: pw.wh,
      target: pw.target,
      stateSchema: pw.stateSchema,
      vars: project.vars,
      noParseCache: true,
      port: 0,
      host: '127.0.0.1',
      adminToken: ADMIN,
    };
    guarded = await startServer({
      ...common,
      readToken: READ,
      requestTimeoutMs: 400,
      maxCost: 500,
      maxDepth: 6,
      log: (event) => guardedEvents.push(event),
    });
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) =>
      openLines.push(...chunk.toString('utf8').split('\n').filter(Boolean)),
    );
    open = await startServer({ ...common, log: jsonLogger(stream) });
  });

  afterAll(async () => {
    await guarded?.close();
    await open?.close();
    project?.cleanup();
    await pw?.cleanup();
  });

  const base = (s: RunningServer) => s.url.replace(/\/graphql$/, '');

  it('reads need the read or admin token when one is set; health and the playground stay open', async () => {
    for (const token of [undefined, 'wrong', `${READ}x`]) {
      const denied = await post(guarded.url, ITEMS, token);
      expect(denied.status).toBe(401);
      expect(denied.body.errors).toEqual([
        { message: expect.stringMatching(/Authorization: Bearer/), extensions: { code: 'UNAUTHENTICATED' } },
      ]);
    }
    const noToken = await fetch(guarded.url, { method: 'POST', body: '{}' });
    expect(noToken.headers.get('www-authenticate')).toMatch(/^Bearer/);
    for (const token of [READ, ADMIN]) {
      const ok = await post(guarded.url, ITEMS, token);
      expect(ok.status).toBe(200);
      expect(ok.body.data!.slowItems.rows).toEqual(SLOW_ITEMS_ROWS);
    }
    expect((await fetch(`${base(guarded)}/metrics`)).status).toBe(401);
    expect(
      (await fetch(`${base(guarded)}/metrics`, { headers: { authorization: `Bearer ${READ}` } })).status,
    ).toBe(200);
    for (const open of [
      '/healthz',
      '/',
      '/playground/boot.js',
      '/playground/vendor/graphiql/graphiql.min.css',
    ])
      expect([open, (await fetch(`${base(guarded)}${open}`)).status]).toEqual([open, 200]);

    // NO_CACHE is the admin's, whatever the read token.
    const forced = await post(guarded.url, FORCED, READ);
    expect(forced.body.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    // Unset, reads are open.
    expect((await post(open.url, ITEMS)).status).toBe(200);
  });

  it('refuses too deep and too costly queries with the limit and the figure; introspection passes the defaults', async () => {
    const deep = await post(
      guarded.url,
      '{ __schema { types { fields { type { ofType { ofType { name } } } } } } }',
      READ,
    );
    expect(deep.status).toBe(400);
    expect(deep.body.errors).toEqual([
      expect.objectContaining({
        message: "the query is 7 fields deep; the server's limit is 6 (maxDepth)",
        extensions: { code: 'QUERY_TOO_DEEP', depth: 7, maxDepth: 6 },
      }),
    ]);
    const costly = await post(guarded.url, '{ slowItems(limit: 1000) { rows { id label } } }', READ);
    expect(costly.body.errors?.[0].extensions).toEqual({
      code: 'QUERY_TOO_COMPLEX',
      cost: 2002,
      maxCost: 500,
    });
    expect(costly.body.errors?.[0].message).toMatch(/costs 2002 .*limit is 500 \(maxCost\)/);

    const introspection = await post(open.url, getIntrospectionQuery({ descriptions: true }));
    expect(introspection.body.errors).toBeUndefined();
    expect(introspection.body.data!.__schema.queryType.name).toBe('Query');
  });

  it('past the execution limit: TIMEOUT at once, the refresh finishes in the background', async () => {
    const runs = async () =>
      (
        await pw.wh.query<{ n: number }>(
          `select count(*)::int as n from "${pw.stateSchema}".run_history
           where unique_id = $1 and trigger = 'graphql' and status = 'success'`,
          [SLOW_ITEMS_ID],
        )
      ).rows[0].n;
    const before = await runs();
    const began = performance.now();
    const timedOut = await post(guarded.url, FORCED, ADMIN);
    const ms = performance.now() - began;
    expect(timedOut.status).toBe(504);
    expect(timedOut.body.errors).toEqual([
      { message: expect.stringMatching(/400 ms limit/), extensions: { code: 'TIMEOUT', timeoutMs: 400 } },
    ]);
    expect(ms).toBeLessThan(SLEEP_S * 1000);
    expect(guarded.services.background.size).toBeGreaterThanOrEqual(1);
    await guarded.services.background.settle();
    expect(await runs()).toBe(before + 1);

    const logged = guardedEvents.filter((e) => e.event === 'request' && e.operationName === 'Forced');
    expect(logged.at(-1)).toMatchObject({ operationType: 'query', status: 504, errors: ['TIMEOUT'] });
  });

  it('/metrics counts what the event stream says, per server', async () => {
    // Events a resolver emits (the lead's resolvers send these on every refresh and read).
    guarded.services.log({
      event: 'refresh',
      trigger: 'mutation',
      kind: 'FULL',
      ms: 1500,
      models: ['a'],
      rows: 3,
      failed: ['b'],
    });
    guarded.services.log({ event: 'model_read', model: SLOW_ITEMS_ID, freshness: 'STALE_SERVED', ms: 2 });
    guarded.services.log({ event: 'model_read', model: SLOW_ITEMS_ID, freshness: 'FRESH', ms: 1 });
    const res = await fetch(`${base(guarded)}/metrics`, { headers: { authorization: `Bearer ${ADMIN}` } });
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const m = parseMetrics(await res.text());

    const tally = (pred: (e: Record<string, unknown>) => boolean) => guardedEvents.filter(pred).length;
    const requests = (operation: string, status: number) =>
      tally(
        (e) =>
          e.event === 'request' &&
          e.path === '/graphql' &&
          (e.operationType ?? 'unknown') === operation &&
          e.status === status,
      );
    expect(requests('query', 200)).toBeGreaterThan(0);
    for (const [operation, status] of [
      ['query', 200],
      ['query', 504],
      ['unknown', 401],
      ['query', 400],
    ] as const) {
      const key = `martql_graphql_request_duration_seconds_count{operation="${operation}",status="${status}"}`;
      expect([key, m.get(key) ?? 0]).toEqual([key, requests(operation, status)]);
    }
    for (const kind of ['FULL', 'INCREMENTAL', 'NONE']) {
      for (const trigger of ['graphql', 'mutation']) {
        const key = `martql_refreshes_total{kind="${kind}",trigger="${trigger}"}`;
        expect([key, m.get(key) ?? 0]).toEqual([
          key,
          tally((e) => e.event === 'refresh' && e.kind === kind && e.trigger === trigger),
        ]);
      }
    }
    expect(m.get('martql_refresh_duration_seconds_count{kind="FULL"}')).toBe(
      tally((e) => e.event === 'refresh' && e.kind === 'FULL'),
    );
    expect(m.get('martql_refresh_failed_models_total{trigger="mutation"}')).toBe(1);
    for (const freshness of ['FRESH', 'STALE_SERVED']) {
      const key = `martql_model_reads_total{model="${SLOW_ITEMS_ID}",freshness="${freshness}"}`;
      expect([key, m.get(key)]).toEqual([
        key,
        tally((e) => e.event === 'model_read' && e.freshness === freshness),
      ]);
    }
    expect(m.get(`martql_stale_reads_total{model="${SLOW_ITEMS_ID}"}`)).toBe(
      tally((e) => e.event === 'model_read' && e.freshness === 'STALE_SERVED'),
    );
    expect(m.has('process_cpu_user_seconds_total')).toBe(true);

    // The other server's registry saw none of this.
    const other = parseMetrics(await (await fetch(`${base(open)}/metrics`)).text());
    expect(other.get('martql_refreshes_total{kind="FULL",trigger="mutation"}')).toBeUndefined();
    expect(
      other.get('martql_graphql_request_duration_seconds_count{operation="query",status="504"}'),
    ).toBeUndefined();
  });

  it('writes one JSON log line per request with operation, status, time and error codes', async () => {
    openLines.length = 0;
    await post(open.url, 'query Named { slowItems(limit: 2) { rows { id } } }');
    await post(open.url, 'query Broken { slowItems(limit: 2) { rows { nope } } }');
    const requests = openLines.map((l) => JSON.parse(l)).filter((e) => e.event === 'request');
    expect(requests).toEqual([
      expect.objectContaining({
        operationName: 'Named',
        operationType: 'query',
        status: 200,
        errors: [],
        ms: expect.any(Number),
      }),
      expect.objectContaining({
        operationName: 'Broken',
        status: 400,
        errors: ['GRAPHQL_VALIDATION_FAILED'],
      }),
    ]);
    expect(requests[0].time).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it('shutdown lets an in-flight slow request finish, then stops listening', async () => {
    const inFlight = post(open.url, FORCED, ADMIN);
    // Let the request reach its refresh before the server is told to stop.
    await new Promise((resolve) => setTimeout(resolve, 300));
    let closedAt = 0;
    const closing = open.close().then(() => (closedAt = performance.now()));
    const answer = await inFlight;
    const answeredAt = performance.now();
    expect(answer.status).toBe(200);
    expect(answer.body.data!.slowItems).toMatchObject({
      rows: SLOW_ITEMS_ROWS,
      meta: { freshness: 'REFRESHED' },
    });
    await closing;
    expect(closedAt).toBeGreaterThanOrEqual(answeredAt);
    await expect(fetch(`${base(open)}/healthz`)).rejects.toThrow();
  });
});
