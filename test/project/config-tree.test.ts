import { loadProject, resolveTreeConfig } from '../../src/project';
import { cleanUp, writeProject } from './helpers';

afterAll(cleanUp);

const projectYml = `
name: proj
config-version: 2
models:
  +post-hook: "grant select on {{ this }} to reporter"
  proj:
    +materialized: view
    +tags: [base]
    staging:
      +schema: stg
      +tags: [a]
      +pre-hook: "set search_path = stg"
      stg_special:
        +materialized: ephemeral
    marts:
      materialized: table     # a bare key that is a known config
      tags: [marts, base]
      meta: {owner: analytics, tier: 2}
      finance:
        +meta: {owner: finance}
        +pre-hook: ["set work_mem = '64MB'"]
        +tags: b
    legacy:
      +enabled: false
    nowhere:
      +schema: gone
`;

async function load() {
  return loadProject(
    writeProject(
      {
        'models/top.sql': 'select 1',
        'models/staging/stg_orders.sql': 'select 1',
        'models/staging/stg_special.sql': 'select 1',
        'models/marts/orders.sql': 'select 1',
        'models/marts/finance/revenue.sql': 'select 1',
        'models/legacy/old.sql': 'select 1',
      },
      projectYml,
    ),
  );
}

describe('dbt_project.yml config trees', () => {
  it('gives models the defaults plus top-level configs', async () => {
    const project = await load();
    const top = project.models.find((m) => m.name === 'top')!;
    expect(top.fqn).toEqual(['proj', 'top']);
    expect(top.config).toEqual({
      enabled: true,
      materialized: 'view',
      tags: ['base'],
      meta: {},
      pre_hook: [],
      post_hook: ['grant select on {{ this }} to reporter'],
    });
  });

  it('applies folder configs, deeper winning, and descends into model names', async () => {
    const project = await load();
    const byName = new Map(project.models.map((m) => [m.name, m]));
    expect(byName.get('stg_orders')!.fqn).toEqual(['proj', 'staging', 'stg_orders']);
    expect(byName.get('stg_orders')!.config).toMatchObject({
      materialized: 'view',
      schema: 'stg',
      tags: ['base', 'a'],
    });
    expect(byName.get('stg_special')!.config).toMatchObject({ materialized: 'ephemeral', schema: 'stg' });
  });

  it('accumulates tags and hooks and merges meta down the folders', async () => {
    const project = await load();
    const revenue = project.models.find((m) => m.name === 'revenue')!;
    expect(revenue.fqn).toEqual(['proj', 'marts', 'finance', 'revenue']);
    expect(revenue.config).toMatchObject({
      materialized: 'table',
      tags: ['base', 'marts', 'b'],
      meta: { owner: 'finance', tier: 2 },
      pre_hook: ["set work_mem = '64MB'"],
      post_hook: ['grant select on {{ this }} to reporter'],
    });
  });

  it('keeps +enabled: false models, marked disabled', async () => {
    const project = await load();
    const old = project.models.find((m) => m.name === 'old')!;
    expect(old.config.enabled).toBe(false);
  });

  it('notes config paths that match no model', async () => {
    const project = await load();
    expect(project.notes.some((n) => n.includes('proj.nowhere') && n.includes('matches no resource'))).toBe(
      true,
    );
  });

  it('treats a bare key that names a folder as a folder, even when it is a config name', async () => {
    const project = await loadProject(
      writeProject(
        { 'models/tags/x.sql': 'select 1', 'models/y.sql': 'select 1' },
        'name: proj\nmodels:\n  proj:\n    tags:\n      +materialized: table\n',
      ),
    );
    expect(project.models.find((m) => m.name === 'x')!.config).toMatchObject({
      materialized: 'table',
      tags: [],
    });
    expect(project.models.find((m) => m.name === 'y')!.config.materialized).toBe('view');
  });

  it('applies seeds, snapshots and singular-test trees', async () => {
    const project = await loadProject(
      writeProject(
        {
          'seeds/lookups/countries.csv': 'code,name\nfr,France\n',
          'snapshots/orders_snap.sql': '{% snapshot orders_snapshot %}select 1{% endsnapshot %}',
          'tests/assert_x.sql': 'select 1 where false',
        },
        [
          'name: proj',
          'seeds:',
          '  proj:',
          '    lookups:',
          '      +schema: ref_data',
          '      +column_types: {code: text}',
          'snapshots:',
          '  proj:',
          '    +target_schema: snapshots',
          'data_tests:',
          '  proj:',
          '    +severity: warn',
        ].join('\n'),
      ),
    );
    expect(project.seeds[0].config).toMatchObject({
      materialized: 'seed',
      schema: 'ref_data',
      column_types: { code: 'text' },
    });
    expect(project.snapshots[0]).toMatchObject({
      name: 'orders_snapshot',
      fqn: ['proj', 'orders_snap', 'orders_snapshot'],
      snapshotNames: ['orders_snapshot'],
      config: { materialized: 'snapshot', target_schema: 'snapshots' },
    });
    expect(project.singularTests[0].config).toMatchObject({ materialized: 'test', severity: 'warn' });
  });

  it('resolves tree configs for nodes generated later (generic tests)', async () => {
    const project = await loadProject(
      writeProject(
        { 'models/staging/schema.yml': 'models: []\n', 'models/staging/a.sql': 'select 1' },
        'name: proj\ndata_tests:\n  proj:\n    staging:\n      +severity: warn\n      +store_failures: true\n',
      ),
    );
    expect(
      resolveTreeConfig(project, 'data_tests', 'proj', ['proj', 'staging', 'not_null_a_id']),
    ).toMatchObject({
      materialized: 'test',
      severity: 'warn',
      store_failures: true,
    });
    expect(resolveTreeConfig(project, 'data_tests', 'proj', ['proj', 'other', 't']).severity).toBe('ERROR');
  });

  it('reads legacy tests: as data_tests with a note', async () => {
    const project = await loadProject(
      writeProject({ 'tests/t.sql': 'select 1' }, 'name: proj\ntests:\n  proj:\n    +severity: warn\n'),
    );
    expect(project.singularTests[0].config.severity).toBe('warn');
    expect(project.notes.some((n) => n.includes('legacy name'))).toBe(true);
  });
});
