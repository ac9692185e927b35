/**
 * `generateDocs` on a built jaffle_shop (plus a source over a seed, a source never loaded, an
 * ephemeral model and a model whose declared types differ from what it builds), on PGlite and on
 * Postgres. catalog.json is checked against the warehouse's own information_schema and pg_tables /
 * pg_views (types with their length and precision, positions, relation kinds, owners, comments),
 * and against what exists (the unloaded source and the ephemeral model are absent). The site's data
 * is checked against the written artifacts: compiled SQL equals the files in target/compiled,
 * column types equal the catalog's, doc blocks are resolved, tests hang on their columns.
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import * as path from 'node:path';
import { generateDocs, type CatalogJson, type GeneratedDocs } from '../../src/docs';
import { runProject } from '../../src/run/runner';
import { openProjectWarehouse, type ProjectWarehouse } from '../helpers/project-warehouse';
import { copyFixture } from '../helpers/temp-project';

interface InfoColumn {
  table_name: string;
  column_name: string;
  ordinal_position: number;
  data_type: string;
  character_maximum_length: number | null;
  numeric_precision: number | null;
  numeric_scale: number | null;
  udt_name: string;
}

/** The type as information_schema describes it, written the way Postgres prints a declared type. */
function infoType(c: InfoColumn): string {
  if (c.data_type === 'USER-DEFINED') return c.udt_name;
  if (
    (c.data_type === 'character varying' || c.data_type === 'character') &&
    c.character_maximum_length !== null
  )
    return `${c.data_type}(${c.character_maximum_length})`;
  if (c.data_type === 'numeric' && c.numeric_precision !== null)
    return `numeric(${c.numeric_precision},${c.numeric_scale})`;
  return c.data_type;
}

describe('martql docs generate', () => {
  let pw: ProjectWarehouse;
  let project: { dir: string; cleanup(): void };
  let docs: GeneratedDocs;
  let catalog: CatalogJson;

  beforeAll(async () => {
    pw = await openProjectWarehouse();
    project = copyFixture('jaffle_shop');
    const files: Record<string, string> = {
      'models/staging/shop_sources.yml': `version: 2
sources:
  - name: shop
    schema: ${pw.schema}
    tables:
      - name: customers_table
        identifier: raw_customers
        description: The customers seed, read as a source.
        columns:
          - name: id
            description: The customer's id.
            data_tests: [not_null]
      - name: not_loaded
        description: Declared, never loaded.
`,
      'models/staging/customer_count.sql':
        "{{ config(materialized='ephemeral') }}\n-- depends_on: {{ ref('raw_customers') }}\n" +
        "select count(*) as n from {{ source('shop', 'customers_table') }}\n",
      'models/marts/typed.sql':
        "{{ config(materialized='table') }}\nselect n::int as id, 'x'::varchar(12) as code, 1.5::numeric(6,2) as price, " +
        "now() as built_at, array[1, 2] as pair\nfrom {{ ref('customer_count') }}\n",
      'models/marts/typed.yml': `version: 2
models:
  - name: typed
    description: Types the catalog must report as built.
    columns:
      - name: id
        data_type: bigint
        description: Declared bigint, built as integer.
      - name: declared_only
        description: Declared but never selected.
`,
    };
    for (const [file, text] of Object.entries(files)) writeFileSync(path.join(project.dir, file), text);
    // The source reads a seed's table, which the DAG cannot know: the seeds go first.
    const common = {
      projectDir: project.dir,
      warehouse: pw.wh,
      target: pw.target,
      stateSchema: pw.stateSchema,
      noParseCache: true,
    };
    expect((await runProject({ ...common, command: 'seed' })).success).toBe(true);
    const build = await runProject({
      projectDir: project.dir,
      command: 'build',
      warehouse: pw.wh,
      target: pw.target,
      stateSchema: pw.stateSchema,
      noParseCache: true,
    });
    expect(build.results.filter((r) => r.status !== 'success' && r.status !== 'pass')).toEqual([]);
    await pw.wh.query(`comment on table "${pw.schema}".customers is 'Customers, one row each.'`);
    await pw.wh.query(`comment on column "${pw.schema}".customers.customer_id is 'From the shop.'`);
    docs = await generateDocs({
      projectDir: project.dir,
      warehouse: pw.wh,
      target: pw.target,
      noParseCache: true,
    });
    catalog = JSON.parse(readFileSync(path.join(project.dir, 'target', 'catalog.json'), 'utf8'));
  });

  afterAll(async () => {
    project?.cleanup();
    await pw?.cleanup();
  });

  it('catalogs every relation that exists, and nothing else', async () => {
    expect(Object.keys(catalog.nodes).sort()).toEqual(
      [
        'model.jaffle_shop.customers',
        'model.jaffle_shop.orders',
        'model.jaffle_shop.stg_customers',
        'model.jaffle_shop.stg_orders',
        'model.jaffle_shop.stg_payments',
        'model.jaffle_shop.typed',
        'seed.jaffle_shop.raw_customers',
        'seed.jaffle_shop.raw_orders',
        'seed.jaffle_shop.raw_payments',
      ].sort(),
    );
    expect(Object.keys(catalog.sources)).toEqual(['source.jaffle_shop.shop.customers_table']);
    expect(catalog.metadata.dbt_schema_version).toBe('https://schemas.getdbt.com/dbt/catalog/v1.json');
    expect(catalog.metadata.invocation_id).toBe(docs.data.invocationId);
    expect(catalog.errors).toBeNull();
  });

  it('has the types, positions, kinds and owners information_schema gives', async () => {
    const { rows: columns } = await pw.wh.query<InfoColumn>(
      `select table_name, column_name, ordinal_position::int as ordinal_position, data_type,
              character_maximum_length::int as character_maximum_length, numeric_precision::int as numeric_precision,
              numeric_scale::int as numeric_scale, udt_name
       from information_schema.columns where table_schema = $1`,
      [pw.schema],
    );
    const { rows: tables } = await pw.wh.query<{ table_name: string; table_type: string; owner: string }>(
      `select t.table_name, t.table_type, coalesce(pt.tableowner, pv.viewowner) as owner
       from information_schema.tables t
       left join pg_tables pt on pt.schemaname = t.table_schema and pt.tablename = t.table_name
       left join pg_views pv on pv.schemaname = t.table_schema and pv.viewname = t.table_name
       where t.table_schema = $1`,
      [pw.schema],
    );
    const { rows: db } = await pw.wh.query<{ name: string }>('select current_database() as name');
    const entries = [...Object.values(catalog.nodes), ...Object.values(catalog.sources)];
    let checked = 0;
    for (const entry of entries) {
      const table = tables.find((t) => t.table_name === entry.metadata.name)!;
      expect(entry.metadata).toMatchObject({
        schema: pw.schema,
        type: table.table_type,
        owner: table.owner,
        database: db[0].name,
      });
      const expected = columns
        .filter((c) => c.table_name === entry.metadata.name)
        .map((c) => ({ name: c.column_name, index: c.ordinal_position, type: infoType(c) }))
        .sort((a, b) => a.index - b.index);
      const actual = Object.values(entry.columns)
        .map((c) => ({ name: c.name, index: c.index, type: c.type }))
        .sort((a, b) => a.index - b.index);
      // Arrays: information_schema says only ARRAY; the element type is in udt_name (`_int4`).
      expect(actual.map((c) => (c.type.endsWith('[]') ? 'ARRAY' : c.type))).toEqual(
        expected.map((c) => c.type),
      );
      expect(actual.map((c) => [c.name, c.index])).toEqual(expected.map((c) => [c.name, c.index]));
      checked += actual.length;
    }
    expect(checked).toBeGreaterThan(40);
    const typed = catalog.nodes['model.jaffle_shop.typed'].columns;
    expect(Object.values(typed).map((c) => c.type)).toEqual([
      'integer',
      'character varying(12)',
      'numeric(6,2)',
      'timestamp with time zone',
      'integer[]',
    ]);
    expect(catalog.nodes['model.jaffle_shop.customers'].metadata.comment).toBe('Customers, one row each.');
    expect(catalog.nodes['model.jaffle_shop.customers'].columns.customer_id.comment).toBe('From the shop.');
    expect(catalog.nodes['model.jaffle_shop.stg_orders'].metadata.type).toBe('VIEW');
  });

  it('writes the manifest, the compiled SQL and the site, whose data matches them', () => {
    const target = path.join(project.dir, 'target');
    const manifest = JSON.parse(readFileSync(path.join(target, 'manifest.json'), 'utf8'));
    for (const file of ['index.html', 'docs.js', 'pages.js', 'lineage.js', 'docs.css', 'docs.json'])
      expect(existsSync(path.join(target, 'docs', file))).toBe(true);
    const data = JSON.parse(readFileSync(path.join(target, 'docs', 'docs.json'), 'utf8'));
    expect(data).toEqual(JSON.parse(JSON.stringify(docs.data)));

    const ids = Object.keys(manifest.nodes).filter((id) => !id.startsWith('test.'));
    const expectedIds = [...ids, ...Object.keys(manifest.sources)].sort();
    expect(data.nodes.map((n: { id: string }) => n.id)).toEqual(expectedIds);
    expect(data.lineage.nodes.map((n: { id: string }) => n.id).sort()).toEqual(expectedIds);

    for (const node of data.nodes) {
      const entry = manifest.nodes[node.id];
      if (!entry || entry.resource_type !== 'model') continue;
      if (entry.config.materialized === 'ephemeral') {
        expect(node.compiledSql).toMatch(/select count\(\*\) as n from "[^"]+"\."raw_customers"/);
        continue;
      }
      const compiled = readFileSync(path.join(project.dir, entry.compiled_path), 'utf8');
      expect(node.compiledSql).toBe(compiled);
      const types = Object.fromEntries(
        Object.values(catalog.nodes[node.id].columns).map((c) => [c.name, c.type]),
      );
      for (const column of node.columns)
        if (column.index !== null) expect(column.type).toBe(types[column.name]);
    }
  });

  it('joins declared columns to built ones, resolves doc blocks and hangs tests on columns', () => {
    const byId = new Map(docs.data.nodes.map((n) => [n.id, n]));
    const typed = byId.get('model.jaffle_shop.typed')!;
    expect(typed.columns.map((c) => [c.name, c.type, c.declaredType, c.index])).toEqual([
      ['id', 'integer', 'bigint', 1],
      ['code', 'character varying(12)', null, 2],
      ['price', 'numeric(6,2)', null, 3],
      ['built_at', 'timestamp with time zone', null, 4],
      ['pair', 'integer[]', null, 5],
      ['declared_only', null, null, null],
    ]);
    expect(typed.upstream).toEqual(['model.jaffle_shop.customer_count']);
    expect(byId.get('model.jaffle_shop.customer_count')!.upstream).toEqual([
      'seed.jaffle_shop.raw_customers',
      'source.jaffle_shop.shop.customers_table',
    ]);
    expect(typed.graphqlField).toBeNull();

    const status = byId.get('model.jaffle_shop.orders')!.columns.find((c) => c.name === 'status')!;
    expect(status.description).toContain('Orders can be one of the following statuses');
    expect(status.description).not.toContain('doc(');
    expect(status.tests.map((id) => docs.data.tests.find((t) => t.id === id)!.kind)).toEqual([
      'accepted_values',
    ]);

    const customers = byId.get('model.jaffle_shop.customers')!;
    const customerId = customers.columns.find((c) => c.name === 'customer_id')!;
    expect(customerId.tests.map((id) => docs.data.tests.find((t) => t.id === id)!.kind).sort()).toEqual([
      'not_null',
      'unique',
    ]);
    expect(customerId.description).toBe("The customer's id in the shop.");
    expect(customers.relationType).toBe('BASE TABLE');

    const source = byId.get('source.jaffle_shop.shop.customers_table')!;
    expect(source).toMatchObject({
      label: 'shop.customers_table',
      relationType: 'BASE TABLE',
      description: 'The customers seed, read as a source.',
      downstream: ['model.jaffle_shop.customer_count'],
    });
    expect(source.tests).toHaveLength(1);
    const unloaded = byId.get('source.jaffle_shop.shop.not_loaded')!;
    expect(unloaded.relationType).toBeNull();
    expect(unloaded.columns).toEqual([]);
    expect(byId.get('model.jaffle_shop.customer_count')!.relation).toBeNull();
  });
});
