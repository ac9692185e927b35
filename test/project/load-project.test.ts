import { rmSync } from 'node:fs';
import { loadProject } from '../../src/project';
import { cleanUp, rejection, writeProject } from './helpers';

afterAll(cleanUp);

describe('loadProject', () => {
  it("uses dbt's default paths and settings", async () => {
    const project = await loadProject(writeProject({}, 'name: proj\n'));
    expect(project.name).toBe('proj');
    expect(project.config).toMatchObject({
      modelPaths: ['models'],
      macroPaths: ['macros'],
      seedPaths: ['seeds'],
      testPaths: ['tests'],
      analysisPaths: ['analyses'],
      snapshotPaths: ['snapshots'],
      docsPaths: ['models', 'seeds', 'analyses', 'tests', 'macros', 'snapshots'],
      targetPath: 'target',
      vars: {},
      onRunStart: [],
      onRunEnd: [],
      dispatch: [],
      quoting: {},
    });
    expect(project.packages).toEqual([
      { name: 'proj', root: project.root, isRoot: true, config: project.config },
    ]);
    expect(project.notes).toEqual([]);
  });

  it('reads settings, hooks, dispatch and quoting, and notes what it ignores', async () => {
    const yml = [
      'name: proj',
      'version: "2.1"',
      'config-version: 2',
      'profile: warehouse',
      'require-dbt-version: ">=1.7.0"',
      'model-paths: ["transform"]',
      'docs-paths: ["docs"]',
      'target-path: build',
      'on-run-start: "create schema if not exists audit"',
      'on-run-end: ["grant usage on schema {{ target.schema }} to bi", "select 1"]',
      'dispatch:',
      '  - macro_namespace: dbt_utils',
      '    search_order: [proj, dbt_utils]',
      'quoting: {identifier: true, schema: false}',
      'something_new: 1',
    ].join('\n');
    const project = await loadProject(
      writeProject({ 'transform/m.sql': 'select 1', 'docs/d.md': '{% docs d %}x{% enddocs %}' }, yml),
    );
    expect(project.config).toMatchObject({
      version: '2.1',
      configVersion: 2,
      profile: 'warehouse',
      modelPaths: ['transform'],
      docsPaths: ['docs'],
      targetPath: 'build',
      onRunStart: ['create schema if not exists audit'],
      onRunEnd: ['grant usage on schema {{ target.schema }} to bi', 'select 1'],
      dispatch: [{ macroNamespace: 'dbt_utils', searchOrder: ['proj', 'dbt_utils'] }],
      quoting: { identifier: true, schema: false },
    });
    expect(project.models.map((m) => m.path)).toEqual(['transform/m.sql']);
    expect(project.docs.map((d) => d.path)).toEqual(['docs/d.md']);
    expect(project.notes).toEqual([
      expect.stringContaining('profile is ignored'),
      expect.stringContaining('require-dbt-version is ignored'),
      expect.stringContaining('unknown key `something_new`'),
    ]);
  });

  it('sorts files into node kinds, skipping dotfiles, target/, dbt_packages/ and node_modules/', async () => {
    const project = await loadProject(
      writeProject({
        'models/a.sql': 'select 1',
        'models/.hidden.sql': 'select 1',
        'models/.tmp/b.sql': 'select 1',
        'models/target/c.sql': 'select 1',
        'models/dbt_packages/d.sql': 'select 1',
        'models/node_modules/e.sql': 'select 1',
        'models/py_model.py': 'def model(dbt, session): pass',
        'models/readme.txt': 'hello',
        'models/overview.md': '{% docs __overview__ %}hi{% enddocs %}',
        'analyses/an.sql': 'select 1',
        'snapshots/s.sql': '{% snapshot snap_a %}select 1{% endsnapshot %}',
        'tests/t.sql': 'select 1 where false',
        'tests/generic/my_test.sql': '{% test my_test(model) %}select 1{% endtest %}',
        'seeds/x.csv': 'a\n1\n',
        'macros/m.sql': '{% macro m() %}{% endmacro %}',
        'target/compiled/z.sql': 'select 1',
      }),
    );
    expect(project.models.map((m) => m.path)).toEqual(['models/a.sql']);
    expect(project.models[0]).toMatchObject({
      package: 'proj',
      name: 'a',
      resourceType: 'model',
      contents: 'select 1',
    });
    expect(project.models[0].checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(project.analyses.map((m) => [m.name, m.resourceType])).toEqual([['an', 'analysis']]);
    expect(project.snapshots.map((m) => m.name)).toEqual(['snap_a']);
    expect(project.singularTests.map((m) => [m.name, m.fqn, m.resourceType])).toEqual([
      ['t', ['proj', 't'], 'test'],
    ]);
    expect(project.seeds.map((m) => [m.name, m.resourceType])).toEqual([['x', 'seed']]);
    expect(project.macros.map((m) => m.path)).toEqual(['macros/m.sql', 'tests/generic/my_test.sql']);
    expect(project.docs.map((m) => m.path)).toEqual(['models/overview.md']);
    expect(project.notes).toEqual([
      expect.stringMatching(/models\/py_model.py: Python models are not supported/),
    ]);
  });

  it('fails on two enabled models with one name, naming both paths', async () => {
    const err = await rejection(
      loadProject(writeProject({ 'models/a/orders.sql': 'select 1', 'models/b/orders.sql': 'select 2' })),
    );
    expect(err.code).toBe('DUPLICATE_NODE');
    expect(err.message).toContain('models/a/orders.sql');
    expect(err.message).toContain('models/b/orders.sql');
  });

  it('allows a duplicate name when one of the two is disabled', async () => {
    const project = await loadProject(
      writeProject(
        { 'models/a/orders.sql': 'select 1', 'models/b/orders.sql': 'select 2' },
        'name: proj\nmodels:\n  proj:\n    b:\n      +enabled: false\n',
      ),
    );
    expect(project.models.map((m) => [m.path, m.config.enabled])).toEqual([
      ['models/a/orders.sql', true],
      ['models/b/orders.sql', false],
    ]);
  });

  it('fails on a model and a seed sharing a name (ref could not tell them apart)', async () => {
    const err = await rejection(
      loadProject(writeProject({ 'models/x.sql': 'select 1', 'seeds/x.csv': 'a\n1\n' })),
    );
    expect(err.code).toBe('DUPLICATE_NODE');
  });

  it.each([
    ['no dbt_project.yml', null, 'PROJECT_CONFIG', undefined],
    ['no name', 'version: 1\n', 'PROJECT_CONFIG', undefined],
    ['a bad name', 'name: my-project\n', 'PROJECT_CONFIG', 1],
    ['config-version 1', 'name: p\nconfig-version: 1\n', 'PROJECT_CONFIG', 2],
    ['legacy source-paths', 'name: p\nsource-paths: [models]\n', 'PROJECT_CONFIG', 2],
    ['paths that are not strings', 'name: p\nmodel-paths: [{a: 1}]\n', 'PROJECT_CONFIG', 2],
    ['a bad dispatch', 'name: p\ndispatch:\n  - macro_namespace: x\n', 'PROJECT_CONFIG', 3],
    ['broken YAML', 'name: p\nmodels: {a: [\n', 'YAML_SYNTAX', 3],
  ])('rejects a dbt_project.yml with %s', async (_what, yml, code, line) => {
    const dir = yml === null ? writeProject({}) : writeProject({}, yml);
    if (yml === null) rmSync(`${dir}/dbt_project.yml`);
    const err = await rejection(loadProject(dir));
    expect(err.code).toBe(code);
    if (line !== undefined) expect(err.location).toMatchObject({ file: 'dbt_project.yml', line });
  });
});
