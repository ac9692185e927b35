/**
 * The runner records the versions each model was built from (src/freshness), so right after a
 * build everything plans fresh, and re-seeding an input makes exactly its descendants stale.
 */
import { NodeCompiler } from '../../src/compile/node-compiler';
import { parseProjectDir } from '../../src/compile/compile-project';
import { planRefresh, readSnapshot, versionInputs } from '../../src/freshness';
import { runProject } from '../../src/run/runner';
import { openStateStore } from '../../src/state';
import { openProjectWarehouse, type ProjectWarehouse } from '../helpers/project-warehouse';
import { copyFixture } from '../helpers/temp-project';

describe('freshness after a build', () => {
  let pw: ProjectWarehouse;
  beforeAll(async () => {
    pw = await openProjectWarehouse();
  });
  afterAll(() => pw.cleanup());

  it('is fresh after build; a re-seed makes the marts downstream of it stale, and only those', async () => {
    const copy = copyFixture('jaffle_shop');
    try {
      const common = {
        projectDir: copy.dir,
        warehouse: pw.wh,
        target: pw.target,
        stateSchema: pw.stateSchema,
        noParseCache: true,
      };
      expect((await runProject({ ...common, command: 'build' })).counts.error).toBe(0);

      const plan = async (name: string) => {
        const { session, manifest } = await parseProjectDir(copy.dir, {
          session: pw.wh,
          target: pw.target,
          noParseCache: true,
        });
        const compiler = new NodeCompiler(session, manifest);
        const store = await openStateStore(pw.wh, { schema: pw.stateSchema });
        const id = `model.jaffle_shop.${name}`;
        const snapshot = await readSnapshot(store, pw.wh, manifest, versionInputs(manifest, [id]));
        return planRefresh(manifest, id, snapshot, {
          compiledSqlHash: (n) => compiler.sqlHash(n),
        });
      };
      expect((await plan('customers')).fresh).toBe(true);
      expect((await plan('orders')).fresh).toBe(true);

      await runProject({ ...common, command: 'seed', select: ['raw_customers'] });
      const customers = await plan('customers');
      expect(customers.fresh).toBe(false);
      expect(customers.order).toEqual(['model.jaffle_shop.customers']);
      // orders does not read raw_customers.
      expect((await plan('orders')).fresh).toBe(true);

      await runProject({ ...common, command: 'run', select: ['customers'] });
      expect((await plan('customers')).fresh).toBe(true);
    } finally {
      copy.cleanup();
    }
  });
});
