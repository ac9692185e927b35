/**
 * Two loads of one seed at the same time (two `martql seed` runs, or a seed beside a build) take
 * the build lock a model's build takes, so they run one after the other: on Postgres, two first
 * loads would otherwise both create the table and the second fail on the catalog's unique index.
 */
import { openProjectWarehouse, runOn, type ProjectWarehouse } from '../helpers/project-warehouse';
import { tempProject } from '../helpers/temp-project';

const ROWS = 20_000;

describe('concurrent loads of one seed', () => {
  let pw: ProjectWarehouse;
  let project: { dir: string; cleanup(): void };
  beforeAll(async () => {
    pw = await openProjectWarehouse();
    const csv = ['id,label', ...Array.from({ length: ROWS }, (_, i) => `${i},row ${i}`)].join('\n');
    project = tempProject({
      'dbt_project.yml': 'name: demo\nversion: "1.0"\nconfig-version: 2\n',
      'seeds/numbers.csv': `${csv}\n`,
    });
  });
  afterAll(async () => {
    project.cleanup();
    await pw.cleanup();
  });

  const seed = () => runOn(pw, project.dir, { command: 'seed' });

  it('both succeed, one after the other, and the table holds the file once', async () => {
    const runs = await Promise.all([seed(), seed(), seed()]);
    for (const run of runs)
      expect(run.results.map((r) => [r.name, r.status, r.error?.message])).toEqual([
        ['numbers', 'success', undefined],
      ]);
    const { rows } = await pw.wh.query<{ n: number; distinct_ids: number }>(
      `select count(*)::int as n, count(distinct id)::int as distinct_ids from "${pw.schema}"."numbers"`,
    );
    expect(rows[0]).toEqual({ n: ROWS, distinct_ids: ROWS });
  });
});
