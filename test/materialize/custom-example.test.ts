/**
 * The example project's own use of its custom materialization: `int_orders_tracked` builds from
 * InnovateCorp's generated orders, passes its YAML tests, and after `simulate` plus hand-made
 * changes to the raw orders (a newer update, an older one, a deletion) holds what the rules say:
 * the rows of stg_orders for every order still there, except the one whose update was older, and
 * the deleted order kept and marked. Right after a build the model plans fresh, as any other.
 */
import * as path from 'node:path';
import { NodeCompiler } from '../../src/compile/node-compiler';
import { parseProjectDir } from '../../src/compile/compile-project';
import { planRefresh, readSnapshot, versionInputs } from '../../src/freshness';
import { generate, simulate } from '../../src/generate';
import { runProject, type RunRequest } from '../../src/run/runner';
import { openStateStore } from '../../src/state';
import { openProjectWarehouse, type ProjectWarehouse } from '../helpers/project-warehouse';

const ROOT = path.resolve(__dirname, '..', '..');
const MODEL_ID = 'model.analytics_engineering_toolkit.int_orders_tracked';

describe('int_orders_tracked, the example custom_incremental model', () => {
  let pw: ProjectWarehouse;
  let raw: string;
  beforeAll(async () => {
    pw = await openProjectWarehouse();
    raw = `${pw.schema}_raw`;
    await generate(pw.wh, { customers: 60, days: 30, seed: 5, schema: raw });
  });
  afterAll(() => pw?.cleanup());

  const common = () => ({
    projectDir: ROOT,
    warehouse: pw.wh,
    target: pw.target,
    stateSchema: pw.stateSchema,
    vars: { raw_schema: raw },
    noParseCache: true,
  });
  const build = async (extra: Partial<RunRequest> = {}) => {
    const summary = await runProject({
      ...common(),
      command: 'build',
      select: ['+int_orders_tracked+'],
      ...extra,
    });
    expect(summary.results.filter((r) => r.status !== 'success' && r.status !== 'pass')).toEqual([]);
    // Its YAML tests (unique and not_null order_id, not_null _is_deleted) ran and passed.
    const tests = summary.results.filter(
      (r) => r.resourceType === 'test' && r.name.includes('int_orders_tracked'),
    );
    expect(tests.map((r) => r.status)).toEqual(['pass', 'pass', 'pass']);
    return summary.results.find((r) => r.uniqueId === MODEL_ID)!;
  };
  const rows = async (sql: string) => (await pw.wh.query(sql.replaceAll('$T', `"${pw.schema}"`))).rows;

  it('builds, follows the raw orders run after run, and plans fresh after each build', async () => {
    const first = await build();
    expect(first).toMatchObject({ kind: 'table', materialization: 'custom_incremental' });
    const [{ n }] = await rows(`select count(*)::int as n from "${raw}".orders`);
    expect(first.rowsAffected).toBe(n);
    const [docs] = await rows(`select obj_description('$T.int_orders_tracked'::regclass, 'pg_class') as d`);
    expect(String(docs.d)).toMatch(/^Every order ever loaded/);
    expect(await fresh()).toBe(true);

    await simulate(pw.wh, { days: 2, schema: raw });
    const [gone, newer, older] = (
      await rows(`select order_id from "${raw}".orders order by order_id limit 3`)
    ).map((r) => Number(r.order_id));
    await pw.wh.query(`delete from "${raw}".orders where order_id = $1`, [gone]);
    await pw.wh.query(
      `update "${raw}".orders set status = 'refunded', updated_at = updated_at + interval '1 day' where order_id = $1`,
      [newer],
    );
    await pw.wh.query(
      `update "${raw}".orders set status = 'stale', updated_at = updated_at - interval '1 day' where order_id = $1`,
      [older],
    );
    const second = await build();
    expect(second).toMatchObject({ kind: 'incremental' });
    expect(second.rowsAffected).toBeGreaterThanOrEqual(2);

    // Every order still in the raw data is there, as stg_orders has it, but the older update.
    const differences = await rows(
      `select s.order_id from $T.stg_orders s
       left join $T.int_orders_tracked t on t.order_id = s.order_id and not t._is_deleted
         and t.customer_id = s.customer_id and t.ordered_at = s.ordered_at and t.revenue = s.revenue
         and t.status = s.status and t._updated_at = s.updated_at
       where t.order_id is null order by 1`,
    );
    expect(differences.map((r) => Number(r.order_id))).toEqual([older]);
    const kept = await rows(
      `select order_id, status, _is_deleted, _deleted_at is not null as stamped from $T.int_orders_tracked
       where order_id in (${gone}, ${newer}, ${older}) order by order_id`,
    );
    expect(kept.map((r) => [Number(r.order_id), r.status === 'stale', r._is_deleted, r.stamped])).toEqual([
      [gone, false, true, true],
      [newer, false, false, false],
      [older, false, false, false],
    ]);
    expect(kept[1].status).toBe('refunded');
    expect(await fresh()).toBe(true);

    const [now] = await rows(`select count(*)::int as n from "${raw}".orders`);
    const rebuilt = await build({ fullRefresh: true });
    expect(rebuilt).toMatchObject({ kind: 'table', rowsAffected: now.n });
    expect(await rows(`select order_id from $T.int_orders_tracked where _is_deleted`)).toEqual([]);
  });

  async function fresh(): Promise<boolean> {
    const { session, manifest } = await parseProjectDir(ROOT, {
      session: pw.wh,
      target: pw.target,
      vars: { raw_schema: raw },
      noParseCache: true,
    });
    const compiler = new NodeCompiler(session, manifest);
    const store = await openStateStore(pw.wh, { schema: pw.stateSchema });
    const snapshot = await readSnapshot(store, pw.wh, manifest, versionInputs(manifest, [MODEL_ID]));
    return planRefresh(manifest, MODEL_ID, snapshot, { compiledSqlHash: (id) => compiler.sqlHash(id) }).fresh;
  }
});
