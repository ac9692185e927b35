import { loadProject, mergeFreshness } from '../../src/project';
import { cleanUp, rejection, writeProject } from './helpers';

afterAll(cleanUp);

const sourcesYml = `version: 2
sources:
  - name: shop
    description: The shop database.
    database: raw_db
    loader: fivetran
    loaded_at_field: _synced_at
    meta: {owner: ops}
    tags: [shop]
    freshness:
      warn_after: {count: 12, period: hour}
      error_after: {count: 24, period: hour}
      filter: "_synced_at > now() - interval '3 days'"
    tables:
      - name: orders
        description: Orders.
        columns:
          - name: id
            data_tests: [unique, not_null]
        data_tests:
          - dbt_utils.recency: {datepart: day, field: created_at, interval: 1}
      - name: customers
        identifier: shop_customers
        loaded_at_field: updated_at
        meta: {pii: true}
        tags: [pii]
        freshness:
          warn_after: {count: 1}
      - name: countries
        freshness: null
  - name: crm
    schema: salesforce
    config:
      freshness:
        error_after: {count: 2, period: day}
      loaded_at_field: systemmodstamp
    tables:
      - name: accounts
        config:
          freshness:
            warn_after: {count: 1, period: day}
      - name: users
        config:
          freshness: null
          loaded_at_field: null
`;

async function load() {
  const project = await loadProject(
    writeProject(
      { 'models/staging/shop/_sources.yml': sourcesYml },
      [
        'name: proj',
        'sources:',
        '  proj:',
        '    staging:',
        '      shop:', // the folder
        '        +meta: {layer: raw}',
        '        shop:', // the source
        '          countries:',
        '            +enabled: false',
      ].join('\n'),
    ),
  );
  return new Map(project.sources.map((s) => [`${s.sourceName}.${s.name}`, s]));
}

describe('sources', () => {
  it('reads a table with what it inherits from its source', async () => {
    const orders = (await load()).get('shop.orders')!;
    expect(orders).toMatchObject({
      uniqueId: 'source.proj.shop.orders',
      package: 'proj',
      fqn: ['proj', 'staging', 'shop', 'shop', 'orders'],
      sourceName: 'shop',
      name: 'orders',
      database: 'raw_db',
      schema: 'shop',
      identifier: 'orders',
      description: 'Orders.',
      sourceDescription: 'The shop database.',
      loader: 'fivetran',
      loadedAtField: '_synced_at',
      freshness: {
        warn_after: { count: 12, period: 'hour' },
        error_after: { count: 24, period: 'hour' },
        filter: "_synced_at > now() - interval '3 days'",
      },
      meta: {},
      sourceMeta: { owner: 'ops' },
      tags: ['shop'],
      config: { enabled: true, meta: { layer: 'raw', owner: 'ops' } },
      location: { file: 'models/staging/shop/_sources.yml', line: 15 },
    });
    expect(orders.columns[0].tests.map((t) => t.testName)).toEqual(['unique', 'not_null']);
    expect(orders.tests[0]).toMatchObject({ testName: 'dbt_utils.recency', namespace: 'dbt_utils' });
  });

  it('lets a table override identifier, loaded_at_field and part of a freshness threshold', async () => {
    const customers = (await load()).get('shop.customers')!;
    expect(customers).toMatchObject({
      identifier: 'shop_customers',
      loadedAtField: 'updated_at',
      freshness: {
        warn_after: { count: 1, period: 'hour' },
        error_after: { count: 24, period: 'hour' },
      },
      meta: { pii: true },
      tags: ['shop', 'pii'],
      config: { meta: { owner: 'ops', pii: true, layer: 'raw' } },
    });
  });

  it('switches freshness off with null and applies the sources tree', async () => {
    const countries = (await load()).get('shop.countries')!;
    expect(countries.freshness).toBeNull();
    expect(countries.config.enabled).toBe(false);
  });

  it('reads freshness and loaded_at_field from config: (dbt 1.9+), schema defaulting to the source name', async () => {
    const sources = await load();
    expect(sources.get('crm.accounts')).toMatchObject({
      schema: 'salesforce',
      loadedAtField: 'systemmodstamp',
      freshness: { warn_after: { count: 1, period: 'day' }, error_after: { count: 2, period: 'day' } },
    });
    const users = sources.get('crm.users')!;
    expect(users.freshness).toBeNull();
    expect(users.loadedAtField).toBeUndefined();
  });

  it('rejects a malformed source with file and line', async () => {
    const err = await rejection(
      loadProject(
        writeProject({
          'models/s.yml': 'sources:\n  - name: a\n    tables:\n      - name: t\n        freshness: daily\n',
        }),
      ),
    );
    expect(err).toMatchObject({ code: 'YAML_SCHEMA', location: { file: 'models/s.yml', line: 5 } });
    const err2 = await rejection(
      loadProject(writeProject({ 'models/s.yml': 'sources:\n  - name: a\n    tables: t\n' })),
    );
    expect(err2).toMatchObject({ code: 'YAML_SCHEMA', location: { file: 'models/s.yml', line: 3 } });
  });

  it('rejects the same source table declared twice', async () => {
    const err = await rejection(
      loadProject(
        writeProject({
          'models/a.yml': 'sources:\n  - name: s\n    tables: [{name: t}]\n',
          'models/b.yml': 'sources:\n  - name: s\n    tables: [{name: t}]\n',
        }),
      ),
    );
    expect(err.code).toBe('DUPLICATE_NODE');
    expect(err.message).toContain('models/a.yml');
  });
});

describe('mergeFreshness', () => {
  it('inherits when absent, disables with null, merges thresholds', () => {
    const base = { warn_after: { count: 1, period: 'day' } };
    expect(mergeFreshness(base, undefined)).toBe(base);
    expect(mergeFreshness(base, null)).toBeNull();
    expect(mergeFreshness(null, { error_after: { count: 2, period: 'day' } })).toEqual({
      error_after: { count: 2, period: 'day' },
    });
    expect(mergeFreshness(base, { warn_after: { count: 3 } })).toEqual({
      warn_after: { count: 3, period: 'day' },
    });
  });
});
