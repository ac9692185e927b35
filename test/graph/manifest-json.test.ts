import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildManifest } from '../../src/graph/build-manifest';
import { MANIFEST_SCHEMA_VERSION, writeManifestJson } from '../../src/graph/manifest-json';
import { node, source } from './helpers';

describe('writeManifestJson', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'martql-manifest-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const orders = node({
    name: 'orders',
    folder: 'marts',
    sources: ['raw.orders'],
    config: { materialized: 'table', tags: ['daily'], pre_hook: ['select 1'] },
  });
  orders.columns = [
    {
      name: 'id',
      description: 'key',
      dataType: 'integer',
      constraints: [{ type: 'not_null' }],
      tests: [],
      meta: {},
      tags: [],
    },
  ];
  orders.macros = ['macro.proj.cents'];
  orders.relation = { database: 'db', schema: 'analytics', identifier: 'orders' };
  const manifest = buildManifest({
    rootPackage: 'proj',
    sources: [
      source('raw', 'orders', {
        loadedAtField: '_loaded_at',
        freshness: { warn_after: { count: 1, period: 'day' } },
      }),
    ],
    macros: [
      {
        uniqueId: 'macro.proj.cents',
        package: 'proj',
        name: 'cents',
        path: 'macros/cents.sql',
        absPath: '/x',
        line: 1,
        args: ['col'],
        kind: 'macro',
      },
    ],
    nodes: [
      orders,
      node({ name: 'report', refs: ['orders'] }),
      node({ name: 'gone', config: { enabled: false } }),
      node({
        name: 'not_null_orders_id',
        type: 'test',
        refs: ['orders'],
        attachedNode: 'model.proj.orders',
        testName: 'not_null',
        columnName: 'id',
      }),
    ],
  });

  async function written(): Promise<any> {
    const path = await writeManifestJson(manifest, {
      projectName: 'proj',
      targetDir: join(dir, 'target'),
      invocationId: 'inv-1',
      generatedAt: '2024-01-02T03:04:05.000Z',
      compiledPaths: new Map([['model.proj.orders', 'target/compiled/proj/models/marts/orders.sql']]),
    });
    expect(path).toBe(join(dir, 'target', 'manifest.json'));
    return JSON.parse(await readFile(path, 'utf8'));
  }

  it('writes dbt v12 metadata and every top-level key', async () => {
    const json = await written();
    expect(json.metadata).toMatchObject({
      dbt_schema_version: MANIFEST_SCHEMA_VERSION,
      generated_at: '2024-01-02T03:04:05.000Z',
      invocation_id: 'inv-1',
      project_name: 'proj',
      adapter_type: 'postgres',
    });
    for (const key of ['docs', 'exposures', 'metrics', 'groups', 'selectors', 'semantic_models']) {
      expect(json[key]).toEqual({});
    }
    expect(Object.keys(json.disabled)).toEqual(['model.proj.gone']);
  });

  it('writes nodes in dbt’s shape', async () => {
    const n = (await written()).nodes['model.proj.orders'];
    expect(n).toMatchObject({
      unique_id: 'model.proj.orders',
      resource_type: 'model',
      package_name: 'proj',
      name: 'orders',
      path: 'marts/orders.sql',
      original_file_path: 'models/marts/orders.sql',
      fqn: ['proj', 'marts', 'orders'],
      alias: 'orders',
      schema: 'analytics',
      database: 'db',
      relation_name: '"db"."analytics"."orders"',
      tags: ['daily'],
      description: '',
      depends_on: { nodes: ['source.proj.raw.orders'], macros: ['macro.proj.cents'] },
      refs: [],
      sources: [['raw', 'orders']],
      compiled_path: 'target/compiled/proj/models/marts/orders.sql',
      checksum: { name: 'sha256', checksum: 'sum-orders' },
    });
    expect(n.config).toMatchObject({
      materialized: 'table',
      'pre-hook': [{ sql: 'select 1', transaction: true }],
    });
    expect(n.config.pre_hook).toBeUndefined();
    expect(n.raw_code).toContain("source('raw', 'orders')");
    expect(n.columns.id).toEqual({
      name: 'id',
      description: 'key',
      data_type: 'integer',
      constraints: [{ type: 'not_null' }],
      meta: {},
      tags: [],
      quote: null,
    });
  });

  it('writes refs, tests, sources and macros', async () => {
    const json = await written();
    expect(json.nodes['model.proj.report'].refs).toEqual([{ name: 'orders', package: null, version: null }]);
    expect(json.nodes['model.proj.report'].compiled_path).toBeNull();
    expect(json.nodes['test.proj.not_null_orders_id']).toMatchObject({
      attached_node: 'model.proj.orders',
      column_name: 'id',
      test_metadata: { name: 'not_null', kwargs: { column_name: 'id' }, namespace: null },
      depends_on: { nodes: ['model.proj.orders'] },
    });
    expect(json.sources['source.proj.raw.orders']).toMatchObject({
      source_name: 'raw',
      name: 'orders',
      identifier: 'orders',
      loaded_at_field: '_loaded_at',
      freshness: { warn_after: { count: 1, period: 'day' } },
      columns: {},
      resource_type: 'source',
    });
    expect(json.macros['macro.proj.cents']).toMatchObject({ name: 'cents', arguments: [{ name: 'col' }] });
  });

  it('writes symmetric parent_map and child_map covering sources', async () => {
    const { parent_map: parents, child_map: children } = await written();
    expect(Object.keys(parents).sort()).toEqual(Object.keys(children).sort());
    expect(parents['source.proj.raw.orders']).toEqual([]);
    expect(children['source.proj.raw.orders']).toEqual(['model.proj.orders']);
    for (const [id, ps] of Object.entries(parents) as [string, string[]][]) {
      for (const p of ps) expect(children[p]).toContain(id);
    }
    for (const [id, cs] of Object.entries(children) as [string, string[]][]) {
      for (const c of cs) expect(parents[c]).toContain(id);
    }
  });

  it('replaces the file atomically, leaving no temporary files', async () => {
    await written();
    await written();
    expect(await readdir(join(dir, 'target'))).toEqual(['manifest.json']);
  });

  it('keeps the previous manifest when the new one cannot be produced', async () => {
    const before = await written();
    const broken = { ...manifest, nodes: new Map(manifest.nodes) };
    const report = broken.nodes.get('model.proj.report')!;
    broken.nodes.set('model.proj.report', { ...report, config: { ...report.config, bad: BigInt(1) } });
    await expect(
      writeManifestJson(broken, {
        projectName: 'proj',
        targetDir: join(dir, 'target'),
        invocationId: 'inv-2',
        generatedAt: 'now',
      }),
    ).rejects.toThrow();
    expect(JSON.parse(await readFile(join(dir, 'target', 'manifest.json'), 'utf8'))).toEqual(before);
    expect(await readdir(join(dir, 'target'))).toEqual(['manifest.json']);
  });
});
