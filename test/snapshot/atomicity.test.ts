/**
 * A snapshot run is one transaction: a failure at any point — a post-hook failing after the
 * versions were written, a key that is not unique, a query that fails — leaves the table exactly
 * as it was, and the next good run applies the pending changes as if the failed runs never
 * happened (checked against the SCD2 reference).
 */
import { runProject } from '../../src/run/runner';
import type { RunSummary } from '../../src/run/types';
import { openStateStore } from '../../src/state';
import { qualify } from '../../src/warehouse';
import { openProjectWarehouse, type ProjectWarehouse } from '../helpers/project-warehouse';
import { tempProject } from '../helpers/temp-project';
import { DAY, Scd2Reference, timestamp, type SourceRow } from './scd2-reference';

const SNAPSHOT = `{% snapshot items_snap %}
{{ config(unique_key='id', strategy='timestamp', updated_at='updated_at', hard_deletes='invalidate',
          post_hook="{% if var('fail_hook', false) %}select 1 / 0{% else %}select 1{% endif %}") }}
select *, 1 / {{ var('divisor', 1) }} as one from {{ source('raw', 'items') }}
{% endsnapshot %}
`;

function row(id: number, status: string, minutes: number): SourceRow {
  return { id, grp: id, sub: 's', status, amount: id * 10, note: 'n', updated_at: timestamp(minutes) };
}

describe('snapshot atomicity', () => {
  let pw: ProjectWarehouse;
  beforeEach(async () => {
    pw = await openProjectWarehouse();
  });
  afterEach(async () => {
    await pw.cleanup();
  });

  it('leaves the table unchanged when the run fails, then catches up', async () => {
    const project = tempProject({
      'macros/snapshot_time.sql':
        '{% macro snapshot_get_time() %}\'{{ var("snapshot_time") }}\'::timestamp{% endmacro %}\n',
      'models/sources.yml': `sources:\n  - name: raw\n    schema: ${pw.schema}\n    tables: [{name: items}]\n`,
      'snapshots/items.sql': SNAPSHOT,
    });
    const items = qualify(pw.schema, 'items');
    const snap = qualify(pw.schema, 'items_snap');
    const load = async (rows: SourceRow[]) => {
      await pw.wh.query(`delete from ${items}`);
      for (const r of rows) {
        await pw.wh.query(`insert into ${items} values ($1, $2, $3, $4, $5, $6, $7)`, [
          r.id,
          r.grp,
          r.sub,
          r.status,
          r.amount,
          r.note,
          r.updated_at,
        ]);
      }
    };
    const snapshot = (now: string, vars: Record<string, unknown> = {}): Promise<RunSummary> =>
      runProject({
        projectDir: project.dir,
        command: 'snapshot',
        warehouse: pw.wh,
        target: pw.target,
        stateSchema: pw.stateSchema,
        noParseCache: true,
        vars: { snapshot_time: now, ...vars },
      });
    const contents = async () =>
      (
        await pw.wh.query(
          `select id, status, updated_at::text, dbt_scd_id, dbt_valid_from::text, dbt_valid_to::text
             from ${snap} order by id, dbt_valid_from`,
        )
      ).rows;
    try {
      await pw.wh.query(
        `create table ${items} (id int, grp int, sub text, status text, amount int, note text, updated_at timestamp)`,
      );
      const ref = new Scd2Reference({ strategy: 'timestamp', key: ['id'], hardDeletes: 'invalidate' });
      const first = [row(1, 'a', -60), row(2, 'a', -60), row(3, 'a', -60)];
      await load(first);
      expect((await snapshot(timestamp(0))).success).toBe(true);
      ref.apply(first, timestamp(0));
      const before = await contents();
      expect(before).toHaveLength(3);

      // Changes are pending: 1 updated, 2 deleted, 4 new.
      const second = [row(1, 'b', DAY - 60), row(3, 'a', -60), row(4, 'a', DAY - 60)];
      await load(second);

      // 1. The post-hook fails after the versions were written: all of it is rolled back.
      const hookFailure = await snapshot(timestamp(DAY), { fail_hook: true });
      expect(hookFailure.results[0]).toMatchObject({ status: 'error', kind: 'snapshot' });
      expect(hookFailure.results[0].message).toMatch(/division by zero/);
      expect(await contents()).toEqual(before);

      // 2. The query fails.
      const queryFailure = await snapshot(timestamp(DAY), { divisor: 0 });
      expect(queryFailure.results[0].status).toBe('error');
      expect(await contents()).toEqual(before);

      // 3. The key is not unique: refused, naming the key, before anything is written.
      await load([...second, row(3, 'z', DAY - 30)]);
      const duplicate = await snapshot(timestamp(DAY));
      expect(duplicate.results[0].error).toMatchObject({
        code: 'PROJECT_CONFIG',
        location: { file: 'snapshots/items.sql' },
      });
      expect(duplicate.results[0].message).toContain(
        'unique_key is not unique in the query: id = 3 appears 2 times',
      );
      expect(await contents()).toEqual(before);

      // The failures are in the run history like any node's.
      const state = await openStateStore(pw.wh, { schema: pw.stateSchema });
      const history = await state.runHistory({ uniqueId: 'snapshot.demo.items_snap', limit: 10 });
      expect(history.map((h) => h.status).sort()).toEqual(['error', 'error', 'error', 'success']);

      // 4. A good run applies the pending changes as if nothing had failed in between.
      await load(second);
      expect((await snapshot(timestamp(DAY))).success).toBe(true);
      ref.apply(second, timestamp(DAY));
      const after = await contents();
      expect(after.map((r) => [r.id, r.status, r.dbt_valid_from, r.dbt_valid_to])).toEqual(
        ref.versions
          .map((v) => [v.row.id, v.row.status, v.validFrom, v.validTo])
          .sort((a, b) => Number(a[0]) - Number(b[0]) || String(a[2]).localeCompare(String(b[2]))),
      );
    } finally {
      project.cleanup();
    }
  });
});
