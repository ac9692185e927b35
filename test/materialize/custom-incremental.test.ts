/**
 * The example project's `custom_incremental` materialization (macros/materializations/), run
 * through the runner against a reference computed in TypeScript: a seeded random sequence of
 * source states — new keys, updates with a newer and with an older `_updated_at`, deletions, keys
 * coming back — is applied run by run, and after every run the table must hold exactly the
 * reference's rows, the run must report the rows it changed, and every soft-deleted row must carry
 * the time of the run that deleted it. A full refresh must then equal a fresh build.
 */
import type { RunRequest } from '../../src/run/runner';
import type { NodeResult } from '../../src/run/types';
import { openStateStore } from '../../src/state';
import { qualify } from '../../src/warehouse';
import { prng } from '../helpers/prng';
import { openProjectWarehouse, runOn, type ProjectWarehouse } from '../helpers/project-warehouse';
import { tempProject } from '../helpers/temp-project';
import { SoftDeleteReference, sourceSteps, type SourceRow } from './custom-incremental-reference';
import { CUSTOM_INCREMENTAL } from './custom-project';

const MODEL = (uniqueKey: string) =>
  `{{ config(materialized='custom_incremental', unique_key=${uniqueKey}) }}\n` +
  "select id, grp, name, amount, _updated_at from {{ source('raw', 'items') }}\n";

interface TableRow {
  id: number;
  grp: number;
  name: string;
  amount: number;
  minutes: number;
  deleted: boolean;
  deleted_at: number | null;
}

describe.each([
  ['one key column', "'id'", 11],
  ['a two-column key', "['grp', 'id']", 29],
])('custom_incremental with %s', (_label, uniqueKey, seed) => {
  let pw: ProjectWarehouse;
  let project: { dir: string; cleanup(): void };
  beforeAll(async () => {
    pw = await openProjectWarehouse();
    project = tempProject({
      'macros/materializations/custom_incremental.sql': CUSTOM_INCREMENTAL,
      'models/sources.yml': `sources:\n  - name: raw\n    schema: ${pw.schema}\n    tables: [{name: items}]\n`,
      'models/tracked.sql': MODEL(uniqueKey),
    });
    await pw.wh.query(
      `create table ${qualify(pw.schema, 'items')} (id int, grp int, name text, amount int, _updated_at timestamp)`,
    );
  });
  afterAll(async () => {
    project?.cleanup();
    await pw?.cleanup();
  });

  const run = async (extra: Partial<RunRequest> = {}): Promise<NodeResult> => {
    const summary = await runOn(pw, project.dir, extra);
    return summary.results[0];
  };
  const load = async (rows: readonly SourceRow[]) => {
    await pw.wh.query(`delete from ${qualify(pw.schema, 'items')}`);
    await pw.wh.query(
      `insert into ${qualify(pw.schema, 'items')}
       select id, grp, name, amount, timestamp '2024-01-01' + m * interval '1 minute'
       from unnest($1::int[], $2::int[], $3::text[], $4::int[], $5::int[]) as u(id, grp, name, amount, m)`,
      [
        rows.map((r) => r.id),
        rows.map((r) => r.grp),
        rows.map((r) => r.name),
        rows.map((r) => r.amount),
        rows.map((r) => r.minutes),
      ],
    );
  };
  const table = async (schema = pw.schema): Promise<TableRow[]> =>
    (
      await pw.wh.query<TableRow>(
        `select id, grp, name, amount,
                (extract(epoch from _updated_at - timestamp '2024-01-01') / 60)::int as minutes,
                _is_deleted as deleted, extract(epoch from _deleted_at)::float8 as deleted_at
         from ${qualify(schema, 'tracked')} order by id, grp`,
      )
    ).rows;

  it('matches the reference after every run, then a full refresh equals a fresh build', async () => {
    const composite = uniqueKey.includes('grp');
    const reference = new SoftDeleteReference(composite ? ['grp', 'id'] : ['id']);
    /** The `_deleted_at` each deleting run stamped, as first seen. */
    const stamps = new Map<number, number>();
    const steps = sourceSteps(prng(seed), 10, composite);
    for (const [i, rows] of steps.entries()) {
      await load(rows);
      const expected = reference.apply(rows, i);
      const result = await run();
      expect(result).toMatchObject({
        status: 'success',
        kind: i === 0 ? 'table' : 'incremental',
        rowsAffected: expected.changed,
        materialization: 'custom_incremental',
      });
      const actual = await table();
      expect(actual.map(({ deleted_at: _d, ...r }) => r)).toEqual(reference.rows());
      for (const row of actual) {
        const deletedIn = reference.deletedIn(row);
        if (deletedIn === null) {
          expect(row.deleted_at).toBeNull();
          continue;
        }
        expect(row.deleted_at).not.toBeNull();
        const stamp = stamps.get(deletedIn) ?? row.deleted_at!;
        stamps.set(deletedIn, stamp);
        // One stamp per deleting run, kept while the row stays deleted.
        expect(row.deleted_at).toBe(stamp);
      }
    }
    // The scenario exercised every rule.
    for (const n of Object.values(reference.counts)) expect(n).toBeGreaterThan(0);
    const ordered = [...stamps].sort((a, b) => a[0] - b[0]).map(([, s]) => s);
    expect(ordered).toEqual([...ordered].sort((a, b) => a - b));
    expect(new Set(ordered).size).toBe(ordered.length);

    // A full refresh rebuilds from the source alone: every current row, none deleted.
    const full = await run({ fullRefresh: true });
    expect(full).toMatchObject({ status: 'success', kind: 'table', rowsAffected: steps.at(-1)!.length });
    const refreshed = await table();
    expect(refreshed.every((r) => !r.deleted && r.deleted_at === null)).toBe(true);

    // ... the same table as a first build into an empty schema.
    const fresh = `${pw.schema}_fresh`;
    const first = await run({ target: { ...pw.target, schema: fresh }, stateSchema: `${fresh}_state` });
    expect(first).toMatchObject({ status: 'success', kind: 'table' });
    expect(await table(fresh)).toEqual(refreshed);
    // ... which is the model's SELECT run directly.
    const direct = await pw.wh.query(
      `select id, grp, name, amount, (extract(epoch from _updated_at - timestamp '2024-01-01') / 60)::int as minutes,
              false as deleted, null::float8 as deleted_at
       from ${qualify(pw.schema, 'items')} order by id, grp`,
    );
    expect(refreshed).toEqual(direct.rows);

    // The run history and model state record the custom build like any other.
    const store = await openStateStore(pw.wh, { schema: pw.stateSchema });
    const history = await store.runHistory({ uniqueId: 'model.demo.tracked', limit: 100 });
    expect(history.map((h) => h.kind).reverse()).toEqual([
      'table',
      ...Array<string>(steps.length - 1).fill('incremental'),
      'table',
    ]);
    const state = (await store.getModelState(['model.demo.tracked'])).get('model.demo.tracked');
    expect(state).toMatchObject({ materialization: 'custom_incremental', lastStatus: 'success' });
  });
});
