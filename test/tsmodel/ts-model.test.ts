/**
 * TypeScript models take part in a build like SQL models: they read refs, their rows land in a
 * table atomically, SQL models and tests build on them, and a failing run() keeps the old table.
 */
import * as path from 'node:path';
import { runProject } from '../../src/run/runner';
import { openProjectWarehouse, type ProjectWarehouse } from '../helpers/project-warehouse';
import { tempProject } from '../helpers/temp-project';

const TSMODEL = path.resolve(__dirname, '..', '..', 'src', 'tsmodel');

function tsModel(body: string): string {
  return [
    `import { defineModel } from ${JSON.stringify(TSMODEL)};`,
    'export default defineModel({',
    "  refs: ['orders'],",
    "  columns: { customer_id: 'integer', orders: 'integer', total: 'numeric(12,2)', label: 'text' },",
    '  async run(ctx) {',
    body,
    '  },',
    '});',
  ].join('\n');
}

describe('TypeScript models', () => {
  let pw: ProjectWarehouse;
  beforeAll(async () => {
    pw = await openProjectWarehouse();
  });
  afterAll(() => pw.cleanup());

  it('build like SQL models: refs, rows, downstream SQL, tests, atomic failure', async () => {
    const project = tempProject({
      'seeds/orders.csv': 'customer_id,amount\n1,10.50\n1,4.50\n2,7.25\n',
      'models/customer_totals.ts': tsModel(`
    const rows = await ctx.query<{ customer_id: number; amount: string }>(
      \`select customer_id, amount from \${ctx.ref('orders')} order by customer_id\`,
    );
    if (ctx.var('explode', false)) throw new Error('model exploded');
    const by = new Map<number, { orders: number; total: number }>();
    for (const r of rows) {
      const t = by.get(r.customer_id) ?? { orders: 0, total: 0 };
      t.orders += 1;
      t.total += Number(r.amount);
      by.set(r.customer_id, t);
    }
    return [...by].map(([customer_id, t]) => ({ customer_id, orders: t.orders, total: t.total, label: 'say "hi", ok' }));`),
      'models/big_customers.sql': "select * from {{ ref('customer_totals') }} where total > 10",
      'models/schema.yml':
        'version: 2\nmodels:\n  - name: customer_totals\n    config:\n      post_hook: "create table if not exists {{ target.schema }}.ts_hook_ran as select count(*) as n from {{ this }}"\n    columns:\n      - name: customer_id\n        data_tests: [unique, not_null]\n',
    });
    try {
      const build = (vars?: string) =>
        runProject({
          projectDir: project.dir,
          command: 'build',
          warehouse: pw.wh,
          target: pw.target,
          stateSchema: pw.stateSchema,
          noParseCache: true,
          vars,
        });
      const first = await build();
      expect(first.counts).toMatchObject({ error: 0, skip: 0 });
      expect(first.results.map((r) => r.name)).toEqual(
        expect.arrayContaining(['customer_totals', 'big_customers', 'unique_customer_totals_customer_id']),
      );
      const s = pw.schema;
      const totals = await pw.wh.query(
        `select customer_id, orders, total::text as total, label from "${s}".customer_totals order by 1`,
      );
      expect(totals.rows).toEqual([
        { customer_id: 1, orders: 2, total: '15.00', label: 'say "hi", ok' },
        { customer_id: 2, orders: 1, total: '7.25', label: 'say "hi", ok' },
      ]);
      expect((await pw.wh.query(`select customer_id from "${s}".big_customers`)).rows).toEqual([
        { customer_id: 1 },
      ]);

      // A run() that throws fails the model, keeps its table, and skips what depends on it.
      const second = await build('{explode: true}');
      const failed = second.results.find((r) => r.name === 'customer_totals')!;
      expect(failed.status).toBe('error');
      expect(failed.message).toMatch(/model exploded/);
      expect(second.results.find((r) => r.name === 'big_customers')!.status).toBe('skipped');
      expect((await pw.wh.query(`select count(*)::int as n from "${s}".customer_totals`)).rows).toEqual([
        { n: 2 },
      ]);
      const leftovers = await pw.wh.query(
        "select relname from pg_class c join pg_namespace n on n.oid = c.relnamespace where nspname = $1 and relname like '%martql_rows%'",
        [s],
      );
      expect(leftovers.rows).toEqual([]);
    } finally {
      project.cleanup();
    }
  });

  it('a module without columns or run() is a clear error naming the file', async () => {
    const project = tempProject({ 'models/bad.ts': 'export default { run: async () => [] };' });
    try {
      const err = await runProject({
        projectDir: project.dir,
        command: 'run',
        warehouse: pw.wh,
        target: pw.target,
        stateSchema: pw.stateSchema,
        noParseCache: true,
      }).catch((e) => e);
      expect(err.code).toBe('PROJECT_CONFIG');
      expect(err.message).toMatch(/declares no columns/);
      expect(err.location.file).toBe('models/bad.ts');
    } finally {
      project.cleanup();
    }
  });
});
