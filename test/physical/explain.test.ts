/**
 * The point of declaring indexes: on a 100,000-row mart, the SQL the GraphQL query builder emits for
 * a selective filter (and for a filter with an ordering and a limit, the shape BI pages use) is
 * planned as a scan of the declared index. The control is the same mart built without `indexes`,
 * planned as a sequential scan, so the assertion can fail.
 */
import { buildSelect, type ModelColumns, type SelectRequest } from '../../src/graphql/query';
import { readIndexes } from '../../src/physical';
import { qualify } from '../../src/warehouse';
import { openTestWarehouse, type TestWarehouse } from '../helpers/warehouse';
import { build } from '../materialize/helpers';

let t: TestWarehouse;
const INDEXES = [{ columns: ['customer_id'] }, { columns: ['attribution_model', 'converted_at desc'] }];
const MODELS = ['first_touch', 'last_touch', 'linear', 'time_decay', 'u_shaped', 'markov'];

beforeAll(async () => {
  t = await openTestWarehouse();
  const sql = `select g as conversion_id, (g * 7919) % 20000 as customer_id,
                      (array[${MODELS.map((m) => `'${m}'`).join(', ')}])[1 + g % 6] as attribution_model,
                      timestamptz '2024-01-01 00:00:00+00' + ((g::int8 * 104729) % 100000) * interval '5 minutes' as converted_at,
                      round(((g * 31) % 1000) / 7.0, 2) as attributed_value
               from generate_series(1, 100000) g`;
  await build(t.wh, t.schema, { name: 'mart', materialized: 'table', sql, config: { indexes: INDEXES } });
  await build(t.wh, t.schema, { name: 'mart_unindexed', materialized: 'table', sql });
}, 120_000);
afterAll(() => t?.cleanup());

function modelOf(identifier: string): ModelColumns {
  return {
    relation: { schema: t.schema, identifier },
    columns: [
      { name: 'conversion_id', kind: 'int' },
      { name: 'customer_id', kind: 'int' },
      { name: 'attribution_model', kind: 'text' },
      { name: 'converted_at', kind: 'timestamptz' },
      { name: 'attributed_value', kind: 'decimal' },
    ],
  };
}

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

async function plan(identifier: string, request: SelectRequest): Promise<PlanNode[]> {
  const { sql, params } = buildSelect(modelOf(identifier), request);
  const { rows } = await t.wh.query<{ 'QUERY PLAN': unknown }>(`explain (format json) ${sql}`, params);
  const raw = rows[0]['QUERY PLAN'];
  const parsed = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { Plan: PlanNode }[];
  return nodes(parsed[0].Plan);
}

const INDEX_SCANS = ['Index Scan', 'Index Only Scan', 'Bitmap Index Scan'];
const indexName = (i: number) =>
  readIndexes({ indexes: INDEXES } as never, { schema: t.schema, identifier: 'mart' })[i].name;

it('has 100,000 rows and statistics on both marts', async () => {
  const { rows } = await t.wh.query<{ n: number; est: number }>(
    `select count(*)::int as n, (select reltuples::float8 from pg_class where oid = '${qualify(t.schema, 'mart')}'::regclass) as est
     from ${qualify(t.schema, 'mart')}`,
  );
  expect(rows[0]).toEqual({ n: 100_000, est: 100_000 });
});

it('plans a selective equality filter as a scan of the declared index', async () => {
  const request: SelectRequest = { where: { customer_id: { eq: 4242 } }, limit: 100, maxLimit: 1000 };
  const indexed = await plan('mart', request);
  expect(indexed.filter((n) => INDEX_SCANS.includes(n['Node Type'])).map((n) => n['Index Name'])).toEqual([
    indexName(0),
  ]);
  expect(indexed.map((n) => n['Node Type'])).not.toContain('Seq Scan');
  const control = await plan('mart_unindexed', request);
  expect(control.map((n) => n['Node Type'])).toContain('Seq Scan');
});

it('plans a filter with an ordering and a limit as an ordered index scan, without a sort', async () => {
  const request: SelectRequest = {
    where: { attribution_model: { eq: 'linear' } },
    orderBy: [{ column: 'converted_at', direction: 'DESC' }],
    limit: 100,
    maxLimit: 1000,
  };
  const indexed = await plan('mart', request);
  expect(indexed.find((n) => INDEX_SCANS.includes(n['Node Type']))?.['Index Name']).toBe(indexName(1));
  expect(indexed.map((n) => n['Node Type'])).not.toContain('Sort');
  const control = await plan('mart_unindexed', request);
  expect(control.map((n) => n['Node Type'])).toEqual(expect.arrayContaining(['Seq Scan']));
});
