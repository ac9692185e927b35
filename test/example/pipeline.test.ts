/**
 * The example project end to end: generate InnovateCorp's data, build every model and test, then
 * simulate more days (late touchpoints, updated orders) and check that an incremental run of
 * fct_attribution holds exactly the rows a full refresh computes.
 */
import * as path from 'node:path';
import { generate, simulate } from '../../src/generate';
import { runProject, type RunRequest } from '../../src/run/runner';
import { openProjectWarehouse, type ProjectWarehouse } from '../helpers/project-warehouse';

const ROOT = path.resolve(__dirname, '..', '..');

describe('InnovateCorp example project', () => {
  let pw: ProjectWarehouse;
  let rawSchema: string;
  const previousStateSchema = process.env.MARTQL_STATE_SCHEMA;

  beforeAll(async () => {
    pw = await openProjectWarehouse();
    rawSchema = `${pw.schema}_raw`;
    // model_performance reads the run history from the state schema named by this variable.
    process.env.MARTQL_STATE_SCHEMA = pw.stateSchema;
    await generate(pw.wh, { customers: 300, days: 90, seed: 7, schema: rawSchema });
  });
  afterAll(async () => {
    if (previousStateSchema === undefined) delete process.env.MARTQL_STATE_SCHEMA;
    else process.env.MARTQL_STATE_SCHEMA = previousStateSchema;
    await pw.cleanup();
  });

  const run = (command: RunRequest['command'], extra: Partial<RunRequest> = {}) =>
    runProject({
      projectDir: ROOT,
      command,
      warehouse: pw.wh,
      target: pw.target,
      stateSchema: pw.stateSchema,
      vars: { raw_schema: rawSchema },
      noParseCache: true,
      ...extra,
    });

  const attributionRows = async () =>
    (
      await pw.wh.query(
        `select conversion_id, touchpoint_id, attribution_model, weight::text as weight,
                attributed_value::text as attributed_value, channel, converted_at::text as converted_at
         from "${pw.schema}".fct_attribution
         order by conversion_id, touchpoint_id, attribution_model`,
      )
    ).rows;

  it('builds every model and passes every test, then stays exact incrementally after simulate', async () => {
    const first = await run('build');
    const failures = first.results.filter((r) => r.status !== 'success' && r.status !== 'pass');
    expect(failures.map((r) => `${r.name}: ${r.status} ${r.message}`)).toEqual([]);

    // Attributed value adds up to each conversion's revenue, for every model.
    const sums = await pw.wh.query(
      `select count(*)::int as bad
       from (
         select f.conversion_id, f.attribution_model, sum(f.weight) as w, sum(f.attributed_value) as v, max(o.revenue) as revenue
         from "${pw.schema}".fct_attribution f
         join "${rawSchema}".orders o on o.order_id = f.conversion_id
         group by 1, 2
       ) s
       where w <> 1 or v <> revenue`,
    );
    expect(sums.rows[0]).toEqual({ bad: 0 });

    const simulated = await simulate(pw.wh, { days: 5, schema: rawSchema });
    expect(simulated.rows.touchpoints).toBeGreaterThan(0);

    const incremental = await run('run', { select: ['fct_attribution'] });
    expect(incremental.results[0]).toMatchObject({ status: 'success', kind: 'incremental' });
    const afterIncremental = await attributionRows();

    const full = await run('run', { select: ['fct_attribution'], fullRefresh: true });
    expect(full.results[0]).toMatchObject({ status: 'success', kind: 'full' });
    const afterFull = await attributionRows();

    expect(afterIncremental.length).toBe(afterFull.length);
    expect(afterIncremental).toEqual(afterFull);

    // cohort_retention likewise: incremental after another simulated stretch equals a full refresh.
    await simulate(pw.wh, { days: 9, schema: rawSchema });
    const cohortRows = async () =>
      (
        await pw.wh.query(
          `select cohort_type, cohort_start::text, period_number, cohort_size::int, active_users::int,
                  retention_rate::text, unbounded_retention_rate::text
           from "${pw.schema}".cohort_retention order by 1, 2, 3`,
        )
      ).rows;
    const cohortIncremental = await run('run', { select: ['cohort_retention'] });
    expect(cohortIncremental.results[0]).toMatchObject({ status: 'success', kind: 'incremental' });
    const incrementalCohorts = await cohortRows();
    await run('run', { select: ['cohort_retention'], fullRefresh: true });
    const fullCohorts = await cohortRows();
    expect(incrementalCohorts.length).toBeGreaterThan(0);
    expect(incrementalCohorts).toEqual(fullCohorts);
  });
});
