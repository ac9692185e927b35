/**
 * The API end to end over HTTP: the example project generated and built into a test schema, the
 * server started in-process on an ephemeral port, and queried with `fetch` as a client would.
 * Rows are compared with the same SQL run directly; `simulate` makes marts stale and the next
 * query refreshes them through the runner (trigger graphql), once however many ask.
 */
import * as path from 'node:path';
import { generate, simulate } from '../../src/generate';
import { runProject } from '../../src/run/runner';
import { startServer, type RunningServer } from '../../src/server';
import { openProjectWarehouse, type ProjectWarehouse } from '../helpers/project-warehouse';

const ROOT = path.resolve(__dirname, '..', '..');
const COHORT_ID = 'model.analytics_engineering_toolkit.cohort_retention';
const BY_CHANNEL_ID = 'model.analytics_engineering_toolkit.attribution_by_channel';

interface GqlResponse {
  status: number;
  body: { data?: Record<string, any>; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

describe('martql serve over HTTP', () => {
  let pw: ProjectWarehouse;
  let rawSchema: string;
  let server: RunningServer;
  const logged: Record<string, unknown>[] = [];
  const previousStateSchema = process.env.MARTQL_STATE_SCHEMA;

  beforeAll(async () => {
    pw = await openProjectWarehouse();
    rawSchema = `${pw.schema}_raw`;
    process.env.MARTQL_STATE_SCHEMA = pw.stateSchema;
    await generate(pw.wh, { customers: 300, days: 60, seed: 11, schema: rawSchema });
    const build = await runProject({
      projectDir: ROOT,
      command: 'build',
      warehouse: pw.wh,
      target: pw.target,
      stateSchema: pw.stateSchema,
      vars: { raw_schema: rawSchema },
      noParseCache: true,
    });
    expect(
      build.results.filter((r) => r.status === 'error' || r.status === 'fail').map((r) => r.name),
    ).toEqual([]);
    server = await startServer({
      projectDir: ROOT,
      warehouse: pw.wh,
      target: pw.target,
      stateSchema: pw.stateSchema,
      vars: { raw_schema: rawSchema },
      port: 0,
      host: '127.0.0.1',
      noParseCache: true,
      // Every query checks freshness anew, so a change made by the test is seen at once.
      freshnessIntervalMs: 0,
      adminToken: 'secret-admin-token',
      log: (event) => logged.push(event),
    });
  });

  afterAll(async () => {
    await server?.close();
    if (previousStateSchema === undefined) delete process.env.MARTQL_STATE_SCHEMA;
    else process.env.MARTQL_STATE_SCHEMA = previousStateSchema;
    await pw?.cleanup();
  });

  async function gql(
    query: string,
    variables?: Record<string, unknown>,
    headers: Record<string, string> = {},
  ): Promise<GqlResponse> {
    const res = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
    });
    return { status: res.status, body: (await res.json()) as GqlResponse['body'] };
  }

  const rel = (name: string) => `"${pw.schema}"."${name}"`;

  /** cohort_retention rows as the API serializes them (numeric → number, bigint → string). */
  async function directCohorts(where: string, params: unknown[], tail: string) {
    const { rows } = await pw.wh.query<Record<string, unknown>>(
      `select cohort_type, cohort_start::text as cohort_start, period_number, cohort_size::text as cohort_size,
              active_users::text as active_users, retention_rate
       from ${rel('cohort_retention')} where ${where} ${tail}`,
      params,
    );
    return rows.map((r) => ({
      cohortType: r.cohort_type,
      cohortStart: r.cohort_start,
      periodNumber: r.period_number,
      cohortSize: r.cohort_size,
      activeUsers: r.active_users,
      retentionRate: r.retention_rate === null ? null : Number(r.retention_rate),
    }));
  }

  const COHORT_QUERY = `
    query Cohorts($where: CohortRetentionFilter, $limit: Int, $offset: Int) {
      cohortRetention(where: $where, orderBy: [{ column: COHORT_START, direction: DESC }, { column: PERIOD_NUMBER }],
                      limit: $limit, offset: $offset) {
        rows { cohortType cohortStart periodNumber cohortSize activeUsers retentionRate }
        totalCount
        meta {
          model relation materialization freshness lastBuiltAt queryMs
          refresh { kind durationMs rowsAffected refreshedModels failedModels }
          tests { passed failed warned lastRunAt }
        }
      }
    }`;
  const MONTHLY = { cohortType: { eq: 'month' }, periodNumber: { lte: 2 } };
  const MONTHLY_SQL = `cohort_type = $1 and period_number <= $2`;
  const MONTHLY_ORDER = 'order by cohort_start desc, period_number asc, cohort_type, cohort_start';

  async function graphqlRuns(uniqueId: string): Promise<number> {
    const { rows } = await pw.wh.query<{ n: number }>(
      `select count(*)::int as n from "${pw.stateSchema}".run_history where unique_id = $1 and trigger = 'graphql'`,
      [uniqueId],
    );
    return rows[0].n;
  }

  it('answers /healthz and 404s elsewhere', async () => {
    const health = await fetch(server.url.replace('/graphql', '/healthz'));
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', models: 8 });
    expect((await fetch(server.url.replace('/graphql', '/nope'))).status).toBe(404);
  });

  it('serves the playground at / whose example tabs all answer without errors', async () => {
    const page = await fetch(server.url.replace('/graphql', '/'));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await page.text();
    // Everything the page loads comes from this server.
    expect(
      html.match(/(?:src|href)="[^"]*"/g)?.every((ref) => /^(?:src|href)="\/playground\//.test(ref)),
    ).toBe(true);
    const config = JSON.parse(
      /<script id="martql-playground-config" type="application\/json">(.*?)<\/script>/s.exec(html)![1],
    );
    expect(config.tabs.length).toBeGreaterThan(2);
    expect(config.tabs[0].query).toMatch(/attributionByChannel\(limit: 10\)/);
    for (const tab of config.tabs as { query: string }[]) {
      const r = await gql(tab.query);
      expect({ query: tab.query, errors: r.body.errors }).toEqual({ query: tab.query, errors: undefined });
    }
  });

  it('filters, orders and pages like the same SQL run directly, FRESH after a build', async () => {
    const spy = jest.spyOn(pw.wh, 'query');
    const first = await gql(COHORT_QUERY, { where: MONTHLY, limit: 4, offset: 1 });
    expect(first.body.errors).toBeUndefined();
    const page = first.body.data!.cohortRetention;
    const expected = await directCohorts(MONTHLY_SQL, ['month', 2], `${MONTHLY_ORDER} limit 4 offset 1`);
    expect(expected.length).toBe(4);
    expect(page.rows).toEqual(expected);
    const [{ n }] = (
      await pw.wh.query<{ n: number }>(
        `select count(*)::int as n from ${rel('cohort_retention')} where ${MONTHLY_SQL}`,
        ['month', 2],
      )
    ).rows;
    expect(page.totalCount).toBe(n);
    expect(page.meta).toMatchObject({
      model: COHORT_ID,
      relation: `${pw.schema}.cohort_retention`,
      materialization: 'incremental',
      freshness: 'FRESH',
      refresh: { kind: 'NONE', refreshedModels: [], failedModels: [] },
    });
    expect(page.meta.lastBuiltAt).toMatch(/^\d{4}-\d{2}-\d{2}T.*Z$/);
    expect(page.meta.tests.passed).toBeGreaterThan(0);
    expect(page.meta.tests.failed).toBe(0);

    // totalCount costs a query only when selected; only the selected columns are read (the rows
    // come as JSON text: the statement goes through queryJsonRows).
    spy.mockClear();
    const jsonSpy = jest.spyOn(pw.wh, 'queryJsonRows');
    const lean = await gql(`{ cohortRetention(limit: 3) { rows { cohortType } } }`);
    expect(lean.body.data!.cohortRetention.rows).toHaveLength(3);
    const onCohorts = (calls: unknown[][]) =>
      calls.map((c) => String(c[0])).filter((sql) => sql.includes('cohort_retention"'));
    expect(onCohorts(spy.mock.calls)).toHaveLength(0);
    const sqls = onCohorts(jsonSpy.mock.calls);
    jsonSpy.mockRestore();
    expect(sqls).toHaveLength(1);
    const selectList = sqls[0].slice(0, sqls[0].indexOf(' from '));
    expect(selectList).toContain('"cohort_type"');
    for (const other of ['cohort_start', 'period_number', 'active_users', 'retention_rate'])
      expect(selectList).not.toContain(`"${other}"`);
    spy.mockRestore();

    // An `or` of conditions and a text pattern, on another mart.
    const attribution = await gql(`{
      attributionByChannel(where: { or: [{ channel: { ilike: "PAID%" } }, { attributionModel: { in: ["markov"] } }] },
                           orderBy: [{ column: ATTRIBUTION_MODEL }, { column: CHANNEL }], limit: 1000) {
        rows { attributionModel channel conversions attributedValue } totalCount
      } }`);
    expect(attribution.body.errors).toBeUndefined();
    const { rows } = await pw.wh.query<Record<string, unknown>>(
      `select attribution_model, channel, conversions, attributed_value from ${rel('attribution_by_channel')}
       where channel ilike 'paid%' or attribution_model = 'markov' order by 1, 2`,
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(attribution.body.data!.attributionByChannel.rows).toEqual(
      rows.map((r) => ({
        attributionModel: r.attribution_model,
        channel: r.channel,
        conversions: r.conversions,
        attributedValue: Number(r.attributed_value),
      })),
    );
    expect(attribution.body.data!.attributionByChannel.totalCount).toBe(rows.length);
  });

  it('refreshes a stale model on read (REFRESHED, trigger graphql), then answers FRESH', async () => {
    expect(await graphqlRuns(COHORT_ID)).toBe(0);
    await simulate(pw.wh, { days: 4, schema: rawSchema });

    const refreshed = await gql(COHORT_QUERY, { where: MONTHLY, limit: 50, offset: 0 });
    expect(refreshed.body.errors).toBeUndefined();
    const page = refreshed.body.data!.cohortRetention;
    expect(page.meta.freshness).toBe('REFRESHED');
    expect(page.meta.refresh.refreshedModels).toContain(COHORT_ID);
    expect(page.meta.refresh.kind).toBe('INCREMENTAL');
    expect(page.meta.refresh.failedModels).toEqual([]);
    expect(page.meta.refresh.durationMs).toBeGreaterThan(0);
    expect(page.rows).toEqual(await directCohorts(MONTHLY_SQL, ['month', 2], `${MONTHLY_ORDER} limit 50`));
    expect(await graphqlRuns(COHORT_ID)).toBe(1);

    const history = await gql(
      `{ runHistory(model: "cohort_retention", limit: 5) { model kind status trigger startedAt } }`,
    );
    expect(history.body.data!.runHistory[0]).toMatchObject({
      model: COHORT_ID,
      kind: 'incremental',
      status: 'success',
      trigger: 'graphql',
    });

    const after = await gql(COHORT_QUERY, { where: MONTHLY, limit: 50, offset: 0 });
    expect(after.body.data!.cohortRetention.meta).toMatchObject({
      freshness: 'FRESH',
      refresh: { kind: 'NONE' },
    });
    expect(after.body.data!.cohortRetention.rows).toEqual(page.rows);
    expect(await graphqlRuns(COHORT_ID)).toBe(1);
  });

  it('50 concurrent identical queries on a stale model cause exactly one refresh', async () => {
    await simulate(pw.wh, { days: 2, schema: rawSchema });
    const before = await graphqlRuns(BY_CHANNEL_ID);
    const query = `{ attributionByChannel(orderBy: [{ column: ATTRIBUTION_MODEL }, { column: CHANNEL }], limit: 500) {
      rows { attributionModel channel attributedValue } meta { freshness refresh { kind refreshedModels } } } }`;
    const answers = await Promise.all(Array.from({ length: 50 }, () => gql(query)));
    expect(answers.flatMap((a) => a.body.errors ?? [])).toEqual([]);
    expect(await graphqlRuns(BY_CHANNEL_ID)).toBe(before + 1);
    const labels = answers.map((a) => a.body.data!.attributionByChannel.meta.freshness);
    expect(labels).toContain('REFRESHED');
    expect(labels.every((l) => l === 'REFRESHED' || l === 'FRESH')).toBe(true);
    const rows = answers.map((a) => JSON.stringify(a.body.data!.attributionByChannel.rows));
    expect(new Set(rows).size).toBe(1);
  });

  it('hostile input gets coded errors or no rows, and changes nothing', async () => {
    // The previous test's simulate left cohort_retention stale: refresh it first, so that what
    // follows changes nothing.
    expect((await gql(COHORT_QUERY, { limit: 1 })).body.errors).toBeUndefined();
    const count = async () =>
      (await pw.wh.query<{ n: number }>(`select count(*)::int as n from ${rel('cohort_retention')}`)).rows[0]
        .n;
    const rowsBefore = await count();
    const runsBefore = (
      await pw.wh.query<{ n: number }>(`select count(*)::int as n from "${pw.stateSchema}".run_history`)
    ).rows[0].n;
    const codes = (r: GqlResponse) => (r.body.errors ?? []).map((e) => e.extensions?.code);

    // SQL in values is data: it matches nothing.
    for (const filter of [
      { cohortType: { eq: "month'; drop table cohort_retention; --" } },
      { cohortType: { like: "%' or '1'='1" } },
      { cohortType: { in: ["x') or true --", 'week'] }, periodNumber: { lt: -1 } },
    ]) {
      const r = await gql(COHORT_QUERY, { where: filter, limit: 10 });
      expect(r.body.errors).toBeUndefined();
      expect(r.body.data!.cohortRetention.rows).toEqual([]);
    }

    // Unknown columns: refused while coercing variables (BAD_USER_INPUT) or validating literals.
    const unknownVar = await gql(COHORT_QUERY, {
      where: { 'cohort_type = cohort_type or 1=1 --': { eq: 'x' } },
    });
    expect(codes(unknownVar)).toEqual(['BAD_USER_INPUT']);
    const unknownLiteral = await gql(
      `{ cohortRetention(orderBy: [{ column: DROP_TABLE }]) { rows { cohortType } } }`,
    );
    expect(codes(unknownLiteral)).toEqual(['GRAPHQL_VALIDATION_FAILED']);

    // Bad limits and values the builder refuses, with the argument path in GraphQL names.
    const cases: [Record<string, unknown>, string][] = [
      [{ limit: 1_000_000 }, 'limit'],
      [{ limit: -1 }, 'limit'],
      [{ offset: -5 }, 'offset'],
      [{ where: { periodNumber: { in: [] } } }, 'where.periodNumber.in'],
      [
        { where: { and: [{ cohortStart: { gte: '2024-01-01' } }], not: { retentionRate: { eq: null } } } },
        'where.not.retentionRate.eq',
      ],
    ];
    for (const [variables, argumentPath] of cases) {
      const r = await gql(COHORT_QUERY, variables);
      expect(r.body.errors).toHaveLength(1);
      expect(r.body.errors![0].extensions).toEqual({ code: 'BAD_USER_INPUT', argumentPath });
    }
    expect(codes(await gql(`{ runHistory(limit: 0) { model } }`))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await gql(`{ cohortRetention(cache: NO_CACHE) { rows { cohortType } } }`))).toEqual([
      'FORBIDDEN',
    ]);
    expect(codes(await gql(`{ cohortRetention(`))).toEqual(['GRAPHQL_PARSE_FAILED']);

    const bad = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query": ',
    });
    expect(bad.status).toBe(400);

    expect(await count()).toBe(rowsBefore);
    const runsAfter = (
      await pw.wh.query<{ n: number }>(`select count(*)::int as n from "${pw.stateSchema}".run_history`)
    ).rows[0].n;
    expect(runsAfter).toBe(runsBefore);
  });

  it('an unexpected failure is INTERNAL_SERVER_ERROR without a stack', async () => {
    const spy = jest
      .spyOn(pw.wh, 'query')
      .mockImplementationOnce(() => Promise.reject(new Error('secret detail at /srv/x.ts:1')));
    const r = await gql(`{ runHistory(limit: 1) { model } }`);
    spy.mockRestore();
    expect(r.body.errors).toEqual([
      {
        message: 'Internal server error',
        locations: expect.anything(),
        path: ['runHistory'],
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      },
    ]);
    expect(JSON.stringify(r.body)).not.toMatch(/secret|stacktrace/);
    expect(logged.some((e) => e.event === 'internal_error')).toBe(true);
  });

  it('lists models, run history and performance', async () => {
    const r = await gql(`{
      models { name uniqueId exposed queryField materialization upstream downstream lastBuiltAt columns { name field dataType } }
      modelPerformance(days: 7) { model runs successes lastStatus }
    }`);
    expect(r.body.errors).toBeUndefined();
    const cohort = r.body.data!.models.find((m: { name: string }) => m.name === 'cohort_retention');
    expect(cohort).toMatchObject({
      exposed: true,
      queryField: 'cohortRetention',
      materialization: 'incremental',
    });
    expect(cohort.columns).toContainEqual({ name: 'cohort_start', field: 'cohortStart', dataType: 'date' });
    expect(cohort.upstream.length).toBeGreaterThan(0);
    expect(r.body.data!.models.find((m: { name: string }) => m.name === 'stg_orders')).toMatchObject({
      exposed: false,
      queryField: null,
    });
    expect(
      r.body.data!.modelPerformance.find((p: { model: string }) => p.model === COHORT_ID).runs,
    ).toBeGreaterThanOrEqual(2);

    // The exposed mart named model_performance cannot take the fixed field's name.
    const mart = await gql(`{ modelPerformanceRows(limit: 5) { rows { __typename } meta { freshness } } }`);
    expect(mart.body.errors).toBeUndefined();
    expect(
      mart.body.data!.modelPerformanceRows.rows.every(
        (x: { __typename: string }) => x.__typename === 'ModelPerformance',
      ),
    ).toBe(true);
  });
});
