/**
 * The operator's and the dashboard's side over HTTP: refresh and test mutations as pollable jobs
 * (admin only), `model(name)` freshness, the result cache, and refresh-on-read checked against a
 * full rebuild — after `simulate`, an incremental refresh on read must give the rows a
 * `--full-refresh` build gives, and 200 concurrent readers must cause one refresh.
 */
import { simulate } from '../../../src/generate';
import { runProject } from '../../../src/run/runner';
import { ADMIN, ROOT, startExampleApi, type ExampleApi } from './example-api';

const COHORT_ID = 'model.analytics_engineering_toolkit.cohort_retention';
const CLV_ID = 'model.analytics_engineering_toolkit.customer_clv';

const JOB_FIELDS = `id command select status invocationId startedAt finishedAt error
  progress { total done running } nodes { model status kind rowsAffected }
  refresh { kind refreshedModels rowsAffected } tests { passed failed warned }`;

const ALL_COHORTS = `{
  cohortRetention(orderBy: [{ column: COHORT_TYPE }, { column: COHORT_START }, { column: PERIOD_NUMBER }], limit: 1000) {
    rows { cohortType cohortStart periodNumber cohortSize activeUsers retentionRate }
    totalCount
    meta { freshness cached refresh { kind refreshedModels } }
  }
}`;

describe('jobs, model freshness and the result cache over HTTP', () => {
  let api: ExampleApi;

  beforeAll(async () => {
    api = await startExampleApi();
  });
  afterAll(async () => {
    await api?.close();
  });

  async function cohortsBySql() {
    const { rows } = await api.pw.wh.query<Record<string, unknown>>(
      `select cohort_type, cohort_start::text as cohort_start, period_number, cohort_size::text as cohort_size,
              active_users::text as active_users, retention_rate
         from ${api.rel('cohort_retention')} order by cohort_type, cohort_start, period_number`,
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

  it('refuses mutations without the admin token and runs nothing', async () => {
    for (const headers of [{}, { authorization: 'Bearer wrong' }] as Record<string, string>[]) {
      const body = await api.gql(`mutation { refresh(select: "cohort_retention") { id } }`, {}, headers);
      expect(body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
      const tests = await api.gql(`mutation { runTests { id } }`, {}, headers);
      expect(tests.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
    expect(await api.runs(COHORT_ID, 'mutation')).toBe(0);
  });

  it('refresh waits for a short job, runs it with trigger mutation, and a RUNNING job can be polled', async () => {
    const done = await api.gql(
      `mutation { refresh(select: "cohort_retention", fullRefresh: true, wait: 120) { ${JOB_FIELDS} } }`,
      {},
      ADMIN,
    );
    expect(done.errors).toBeUndefined();
    const job = done.data!.refresh;
    expect(job).toMatchObject({
      command: 'run',
      select: 'cohort_retention',
      status: 'SUCCEEDED',
      error: null,
    });
    expect(job.progress).toEqual({ total: 1, done: 1, running: [] });
    expect(job.nodes).toEqual([
      expect.objectContaining({ model: COHORT_ID, status: 'success', kind: 'full' }),
    ]);
    expect(job.refresh).toMatchObject({ kind: 'FULL', refreshedModels: [COHORT_ID] });
    expect(await api.runs(COHORT_ID, 'mutation')).toBe(1);
    const polled = await api.gql(`query ($id: ID!) { refreshJob(id: $id) { id status invocationId } }`, {
      id: job.id,
    });
    expect(polled.data!.refreshJob).toEqual({
      id: job.id,
      status: 'SUCCEEDED',
      invocationId: job.invocationId,
    });

    const started = await api.gql(
      `mutation { refresh(select: "customer_clv+", wait: 0) { id status } }`,
      {},
      ADMIN,
    );
    expect(started.data!.refresh.status).toBe('RUNNING');
    let status = 'RUNNING';
    let last: any;
    for (let i = 0; i < 600 && status === 'RUNNING'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      last = (
        await api.gql(`query ($id: ID!) { refreshJob(id: $id) { ${JOB_FIELDS} } }`, {
          id: started.data!.refresh.id,
        })
      ).data!.refreshJob;
      status = last.status;
    }
    expect(status).toBe('SUCCEEDED');
    expect(last.progress.done).toBe(last.progress.total);
    expect(last.nodes.map((n: any) => n.model)).toContain(CLV_ID);
    expect((await api.gql(`{ refreshJob(id: "no-such-job") { id } }`)).data!.refreshJob).toBeNull();
  });

  it('runTests reports the selection’s test outcomes', async () => {
    const body = await api.gql(
      `mutation { runTests(select: "customer_clv", wait: 120) { ${JOB_FIELDS} } }`,
      {},
      ADMIN,
    );
    expect(body.errors).toBeUndefined();
    const job = body.data!.runTests;
    expect(job.command).toBe('test');
    expect(job.status).toBe('SUCCEEDED');
    expect(job.refresh).toBeNull();
    expect(job.tests.passed).toBeGreaterThanOrEqual(2);
    expect(job.tests.failed).toBe(0);
    expect(job.nodes.every((n: any) => n.model.startsWith('test.'))).toBe(true);
  });

  it('model(name) says whether a query would refresh first, and why', async () => {
    const fresh = await api.gql(
      `{ model(name: "cohort_retention") { uniqueId materialization freshness { stale wouldRefresh reasons } } }`,
    );
    expect(fresh.data!.model).toMatchObject({
      uniqueId: COHORT_ID,
      materialization: 'incremental',
      freshness: { stale: false, wouldRefresh: [] },
    });
    expect((await api.gql(`{ model(name: "no_such_model") { name } }`)).data!.model).toBeNull();
  });

  it('after simulate a read refreshes incrementally, equals a full rebuild, then is FRESH and served from the cache', async () => {
    const first = await api.gql(ALL_COHORTS);
    const second = await api.gql(ALL_COHORTS);
    expect(second.data!.cohortRetention.meta).toMatchObject({ freshness: 'FRESH', cached: true });
    expect(second.data!.cohortRetention.rows).toEqual(first.data!.cohortRetention.rows);

    await simulate(api.pw.wh, { days: 5, schema: api.rawSchema });
    const stale = await api.gql(
      `{ model(name: "cohort_retention") { freshness { stale wouldRefresh reasons } } }`,
    );
    expect(stale.data!.model.freshness.stale).toBe(true);
    expect(stale.data!.model.freshness.wouldRefresh).toContain(COHORT_ID);

    const graphqlRunsBefore = await api.runs(COHORT_ID, 'graphql');
    const refreshed = await api.gql(ALL_COHORTS);
    expect(refreshed.errors).toBeUndefined();
    const page = refreshed.data!.cohortRetention;
    expect(page.meta).toMatchObject({
      freshness: 'REFRESHED',
      cached: false,
      refresh: { kind: 'INCREMENTAL' },
    });
    expect(page.totalCount).toBeLessThanOrEqual(1000);
    expect(await api.runs(COHORT_ID, 'graphql')).toBe(graphqlRunsBefore + 1);

    // The oracle: the same model rebuilt from scratch.
    const full = await runProject({
      projectDir: ROOT,
      command: 'run',
      select: ['cohort_retention'],
      fullRefresh: true,
      warehouse: api.pw.wh,
      target: api.pw.target,
      stateSchema: api.pw.stateSchema,
      vars: { raw_schema: api.rawSchema },
      noParseCache: true,
    });
    expect(full.success).toBe(true);
    expect(page.rows).toEqual(await cohortsBySql());

    const after = await api.gql(ALL_COHORTS);
    expect(after.data!.cohortRetention.meta).toMatchObject({ freshness: 'FRESH', cached: false });
    expect(after.data!.cohortRetention.rows).toEqual(page.rows);
    expect((await api.gql(ALL_COHORTS)).data!.cohortRetention.meta.cached).toBe(true);
  });

  it('200 concurrent identical queries on a stale model cause exactly one refresh', async () => {
    await simulate(api.pw.wh, { days: 2, schema: api.rawSchema });
    const before = await api.runs(COHORT_ID, 'graphql');
    const answers = await Promise.all(Array.from({ length: 200 }, () => api.gql(ALL_COHORTS)));
    expect(answers.flatMap((a) => a.errors ?? [])).toEqual([]);
    expect(await api.runs(COHORT_ID, 'graphql')).toBe(before + 1);
    const labels = answers.map((a) => a.data!.cohortRetention.meta.freshness);
    expect(labels).toContain('REFRESHED');
    expect(labels.every((l) => l === 'REFRESHED' || l === 'FRESH')).toBe(true);
    expect(new Set(answers.map((a) => JSON.stringify(a.data!.cohortRetention.rows))).size).toBe(1);
    expect(answers[0].data!.cohortRetention.rows).toEqual(await cohortsBySql());
  });
});
