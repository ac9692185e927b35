/**
 * The schema from a manifest, without a database: names in GraphQL casing, the scalar mapping,
 * per-model filter/order/page types, deterministic SDL, and the committed schema/schema.graphql of
 * the example project equal to a fresh generation (the CI freshness check).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { projectSdl } from '../../../src/cli/commands/schema';
import { parseProjectDir } from '../../../src/compile/compile-project';
import { MartqlError } from '../../../src/errors';
import { buildSchema } from '../../../src/graphql';
import { printSdl } from '../../../src/graphql/schema';
import { tempProject } from '../../helpers/temp-project';

const ROOT = path.resolve(__dirname, '..', '..', '..');

const PROPERTIES = `
version: 2
models:
  - name: customer_orders
    description: Orders per customer.
    config:
      graphql: true
    columns:
      - name: customer_id
        data_type: integer
        description: The customer.
        data_tests: [unique]
      - name: order_count
        data_type: bigint
      - name: revenue
        data_type: numeric(18,2)
      - name: share
        data_type: double precision
      - name: segment
        data_type: character varying(20)
      - name: is_active
        data_type: boolean
      - name: first_order_on
        data_type: date
      - name: last_seen_at
        data_type: timestamptz
      - name: _loaded_at
        data_type: timestamp
      - name: attributes
        data_type: jsonb
  - name: hidden
    columns:
      - name: x
        data_type: integer
`;

async function sdlOf(files: Record<string, string>): Promise<string> {
  const project = tempProject(files);
  try {
    const { manifest } = await parseProjectDir(project.dir, { noParseCache: true });
    return printSdl(buildSchema(manifest, { withoutResolvers: true }).schema);
  } finally {
    project.cleanup();
  }
}

describe('schema from the manifest', () => {
  const files = {
    'models/customer_orders.sql': 'select 1 as customer_id',
    'models/hidden.sql': 'select 1 as x',
    'models/_props.yml': PROPERTIES,
  };

  it('generates types, filters, orders, pages and scalars for exposed models only', async () => {
    const sdl = await sdlOf(files);
    expect(sdl).toMatchSnapshot();
    expect(sdl).toContain('customerOrders(cache: CacheMode = MUST_REVALIDATE, limit: Int = 100, offset: Int = 0, orderBy: [CustomerOrdersOrder!], where: CustomerOrdersFilter): CustomerOrdersPage!');
    expect(sdl).toMatch(/type CustomerOrders \{[^}]*"""The customer\."""\s*customerId: Int\n[^}]*firstOrderOn: Date\n[^}]*lastSeenAt: DateTime\n[^}]*loadedAt: DateTime\n[^}]*orderCount: BigInt\n[^}]*revenue: Float\n[^}]*segment: String\n[^}]*share: Float\n/);
    expect(sdl).toMatch(/attributes: JSON\n/);
    expect(sdl).toMatch(/isActive: Boolean\n/);
    expect(sdl).toMatch(/enum CustomerOrdersColumn \{\s+ATTRIBUTES\s+CUSTOMER_ID\s+FIRST_ORDER_ON\s+IS_ACTIVE\s+LAST_SEEN_AT\s+LOADED_AT\s+ORDER_COUNT\s+REVENUE\s+SEGMENT\s+SHARE\s+\}/);
    expect(sdl).toMatch(/input CustomerOrdersOrder \{\s+column: CustomerOrdersColumn!\s+direction: SortDirection! = ASC\s+nulls: NullsOrder\s+\}/);
    expect(sdl).toMatch(/type CustomerOrdersPage \{\s+meta: ModelMeta!\s+rows: \[CustomerOrders!\]!/);
    expect(sdl).not.toMatch(/\bHidden\b/);
    // Operators follow the column kind: like only on text, no ordering on booleans, only isNull on JSON.
    const block = (name: string) => new RegExp(`input ${name} \\{([^}]*)\\}`).exec(sdl)![1];
    expect(block('StringFilter')).toMatch(/ilike: String/);
    expect(block('IntFilter')).not.toMatch(/like/);
    expect(block('BooleanFilter')).not.toMatch(/\blt\b/);
    expect(block('JSONFilter').match(/^\s+\w+:/gm)!.map((s) => s.trim())).toEqual(['isNull:']);
    expect(block('CustomerOrdersFilter')).toMatch(/and: \[CustomerOrdersFilter!\][\s\S]*not: CustomerOrdersFilter[\s\S]*or: \[CustomerOrdersFilter!\]/);
  });

  it('is deterministic and takes a model cache_mode as the default of its cache argument', async () => {
    const again = await sdlOf(files);
    expect(again).toBe(await sdlOf(files));
    const swr = await sdlOf({
      ...files,
      'models/customer_orders.sql': "{{ config(cache_mode='STALE_WHILE_REVALIDATE') }} select 1 as customer_id",
    });
    expect(swr).toContain('customerOrders(cache: CacheMode = STALE_WHILE_REVALIDATE');
  });

  it('refuses an exposed column without data_type, naming it', async () => {
    const err = await sdlOf({
      'models/m.sql': 'select 1 as a',
      'models/_p.yml': 'version: 2\nmodels:\n  - name: m\n    config: { graphql: true }\n    columns:\n      - name: a\n',
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MartqlError);
    expect(err).toMatchObject({ code: 'YAML_SCHEMA', message: expect.stringContaining("column 'a' of exposed model 'm'") });
  });

  it('refuses two columns that become one GraphQL field', async () => {
    const err = await sdlOf({
      'models/m.sql': 'select 1 as a_b, 2 as "aB"',
      'models/_p.yml':
        'version: 2\nmodels:\n  - name: m\n    config: { graphql: true }\n    columns:\n      - { name: a_b, data_type: int }\n      - { name: aB, data_type: int }\n',
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'YAML_SCHEMA', message: expect.stringContaining("both become the GraphQL field 'aB'") });
  });

  it('keeps the fixed query fields: a model named like one is served as <field>Rows', async () => {
    const sdl = await sdlOf({
      'models/model_performance.sql': 'select 1 as a',
      'models/_p.yml':
        'version: 2\nmodels:\n  - name: model_performance\n    config: { graphql: true }\n    columns:\n      - { name: a, data_type: int }\n',
    });
    expect(sdl).toContain('modelPerformance(days: Int! = 30): [ModelBuildStats!]!');
    expect(sdl).toMatch(/modelPerformanceRows\(.*\): ModelPerformancePage!/);
  });

  it('serves a numeric column as an exact Decimal string where its meta asks, and refuses it elsewhere', async () => {
    const yaml = (type: string) =>
      `version: 2\nmodels:\n  - name: m\n    config: { graphql: true }\n    columns:\n      - { name: key, data_type: int, data_tests: [unique] }\n      - { name: amount, data_type: ${type}, meta: { graphql_type: Decimal } }\n`;
    const sdl = await sdlOf({ 'models/m.sql': 'select 1 as key, 1.5 as amount', 'models/_p.yml': yaml('"numeric(18,2)"') });
    expect(sdl).toMatch(/type M \{[^}]*amount: Decimal\n/);
    expect(sdl).toMatch(/input MFilter \{[^}]*amount: DecimalFilter\n/);
    expect(sdl).toMatch(/input DecimalFilter \{[^}]*gte: Decimal\n[^}]*in: \[Decimal!\]/);
    expect(sdl).toMatch(/type MExtremes \{[^}]*amount: Decimal\n/);
    expect(sdl).toMatch(/type MNumbers \{[^}]*amount: Float\n/);
    const err = await sdlOf({ 'models/m.sql': 'select 1 as key, 1 as amount', 'models/_p.yml': yaml('integer') }).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'YAML_SCHEMA', message: expect.stringContaining("column 'amount' of model 'm'") });
  });

  it('adds aggregate, by-key and relationship fields', async () => {
    const sdl = await sdlOf({
      'models/customers.sql': 'select 1 as id',
      'models/orders.sql': 'select 1 as id, 1 as customer_id',
      'models/_p.yml': `version: 2
models:
  - name: customers
    config: { graphql: true }
    columns:
      - { name: id, data_type: int, data_tests: [unique] }
  - name: orders
    config: { graphql: true }
    columns:
      - { name: id, data_type: int }
      - name: customer_id
        data_type: int
        data_tests:
          - relationships: { to: ref('customers'), field: id }
`,
    });
    expect(sdl).toMatch(/type Orders \{[^}]*customers: Customers\n/);
    expect(sdl).toMatch(/customersByKey\(cache: CacheMode = MUST_REVALIDATE, id: Int!\): Customers\n/);
    expect(sdl).not.toMatch(/ordersByKey/);
    expect(sdl).toMatch(/ordersAggregate\(cache: CacheMode = MUST_REVALIDATE, groupBy: \[OrdersColumn!\] = \[\], limit: Int = 100, offset: Int = 0, orderBy: \[OrdersAggregateOrder!\], timeGrain: OrdersTimeGrain, where: OrdersFilter\): OrdersAggregate!/);
    expect(sdl).toMatch(/type OrdersAggregateRow \{[^}]*count: Int!\n[^}]*customerId: Int\n[^}]*sum: OrdersNumbers!/);
    expect(sdl).toMatch(/ {4}fullRefresh: Boolean! = false\n/);
  });

  it('the committed schema/schema.graphql of the example project is current', async () => {
    const committed = readFileSync(path.join(ROOT, 'schema', 'schema.graphql'), 'utf8');
    expect(committed).toBe(await projectSdl(ROOT));
  });
});
