/**
 * The two fixture projects compile to the SQL checked in under `expected_compiled/`.
 *
 * The expected files were written by MartQL and then read line by line against what dbt renders for
 * the same constructs; regenerate them deliberately with `MARTQL_UPDATE_EXPECTED=1 npx jest
 * test/compile/fixtures` and review the diff.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { compileProject } from '../../src/compile/compile-project';
import { targetFromEnv } from '../../src/compile/target';
import { runProject } from '../../src/run/runner';
import { openProjectWarehouse, type ProjectWarehouse } from '../helpers/project-warehouse';
import { copyFixture } from '../helpers/temp-project';

const FIXTURES = path.resolve(__dirname, '..', 'fixtures');
const UPDATE = process.env.MARTQL_UPDATE_EXPECTED === '1';

/** Compares (or, in update mode, writes) one compiled node against its expected file. */
function expectCompiled(fixture: string, relPath: string, sql: string): void {
  const file = path.join(FIXTURES, fixture, 'expected_compiled', relPath);
  if (UPDATE) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, sql);
    return;
  }
  expect(existsSync(file)).toBe(true);
  expect(sql).toBe(readFileSync(file, 'utf8'));
}

describe('jaffle_shop compiles to the expected SQL', () => {
  it('every model and test', async () => {
    const copy = copyFixture('jaffle_shop');
    try {
      const result = await compileProject({
        projectDir: copy.dir,
        target: { ...targetFromEnv({}), schema: 'analytics' },
        noParseCache: true,
      });
      const names = [...result.compiled.keys()].map((id) => result.manifest.nodes.get(id)!.name).sort();
      expect(names).toEqual(
        expect.arrayContaining([
          'customers',
          'orders',
          'stg_customers',
          'stg_orders',
          'stg_payments',
          'unique_customers_customer_id',
        ]),
      );
      for (const [id, node] of result.compiled) {
        const m = result.manifest.nodes.get(id)!;
        const rel = m.testMetadata ? path.join('tests', `${m.name}.sql`) : m.path;
        expectCompiled('jaffle_shop', rel, node.sql);
      }
      // The {% set %} list drove the loop: one column per payment method, commas right.
      const orders = result.compiled.get('model.jaffle_shop.orders')!.sql;
      for (const method of ['credit_card', 'coupon', 'bank_transfer', 'gift_card']) {
        expect(orders).toContain(
          `sum(case when payment_method = '${method}' then amount else 0 end) as ${method}_amount,`,
        );
      }
      expect(orders).toContain('"analytics"."stg_orders"');
      // target/compiled and manifest.json are written.
      expect(
        existsSync(path.join(copy.dir, 'target', 'compiled', 'jaffle_shop', 'models', 'marts', 'orders.sql')),
      ).toBe(true);
      const manifest = JSON.parse(readFileSync(path.join(copy.dir, 'target', 'manifest.json'), 'utf8'));
      expect(manifest.nodes['model.jaffle_shop.orders'].depends_on.nodes).toEqual(
        expect.arrayContaining(['model.jaffle_shop.stg_orders', 'model.jaffle_shop.stg_payments']),
      );
    } finally {
      copy.cleanup();
    }
  });
});

describe('toolkit_demo: packages, dispatch, returned values, run_query pivot, custom tests', () => {
  let pw: ProjectWarehouse;
  let copy: { dir: string; cleanup(): void };

  beforeAll(async () => {
    pw = await openProjectWarehouse();
    copy = copyFixture('toolkit_demo');
    const seeded = await runProject({
      projectDir: copy.dir,
      command: 'seed',
      warehouse: pw.wh,
      target: pw.target,
      stateSchema: pw.stateSchema,
      noParseCache: true,
    });
    expect(seeded.counts.error).toBe(0);
  });
  afterAll(async () => {
    copy.cleanup();
    await pw.cleanup();
  });

  it('compiles every node to the expected SQL', async () => {
    const result = await compileProject({
      projectDir: copy.dir,
      session: pw.wh,
      target: pw.target,
      noParseCache: true,
    });
    const normalize = (sql: string) => sql.split(`"${pw.schema}`).join('"<schema>');
    for (const [id, node] of result.compiled) {
      const m = result.manifest.nodes.get(id)!;
      const rel = m.testMetadata ? path.join('tests', `${m.name}.sql`) : path.join(m.package, m.path);
      expectCompiled('toolkit_demo', rel, normalize(node.sql));
    }
  });

  it('pivots over the values run_query read from the seed', async () => {
    const result = await compileProject({
      projectDir: copy.dir,
      session: pw.wh,
      target: pw.target,
      select: ['user_event_amounts'],
      noParseCache: true,
    });
    const sql = result.compiled.get('model.toolkit_demo.user_event_amounts')!.sql;
    const { rows } = await pw.wh.query<{ event_type: string }>(
      `select distinct event_type from "${pw.schema}"."events" order by 1`,
    );
    expect(rows.length).toBeGreaterThan(1);
    for (const { event_type } of rows) {
      expect(sql).toContain(
        `sum(case when event_type = '${event_type}' then amount end) as ${event_type}_amount,`,
      );
    }
  });

  it('dispatch finds the root project override first; package vars and returned lists work', async () => {
    const result = await compileProject({
      projectDir: copy.dir,
      session: pw.wh,
      target: pw.target,
      select: ['user_segments', 'stg_events'],
      noParseCache: true,
    });
    const segments = result.compiled.get('model.toolkit_demo.user_segments')!.sql;
    // The root project's postgres__safe_divide (rounding) wins over the package's.
    expect(segments).toMatch(
      /round\(\(refund_total\)::numeric \/ nullif\(\(purchase_total\)::numeric, 0\), 4\)/,
    );
    // A macro returning a list drives a loop; a macro returning a dict gives thresholds.
    for (const t of ['signup', 'purchase', 'refund']) expect(segments).toContain(`as ${t}_total`);
    expect(segments).toContain('purchase_total >= 150');
    // The root project's vars override the package's default precision.
    const staging = result.compiled.get('model.toolkit_demo.stg_events')!.sql;
    expect(staging).toContain('round((coalesce(amount, 0))::numeric, 2)');
  });
});
