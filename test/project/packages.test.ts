import * as path from 'node:path';
import { loadProject } from '../../src/project';
import { cleanUp, rejection, writeFiles, writeProject } from './helpers';

afterAll(cleanUp);

/** A workspace holding a root project, a local package, an npm package and a nested dependency. */
function workspace(): string {
  const ws = writeFiles({
    'app/dbt_project.yml': [
      'name: app',
      'models:',
      '  app:',
      '    +materialized: table',
      '  helpers:',
      '    +tags: [from_root]',
      '    reports:',
      '      +materialized: table',
    ].join('\n'),
    'app/packages.yml': 'packages:\n  - local: ../libs/helpers\n  - npm: "@acme/dbt-metrics"\n',
    'app/models/a.sql': 'select 1',
    'libs/helpers/dbt_project.yml': [
      'name: helpers',
      'models:',
      '  helpers:',
      '    +materialized: ephemeral',
      '    +tags: [helpers]',
      '    reports:',
      '      +schema: reporting',
    ].join('\n'),
    'libs/helpers/packages.yml': 'packages:\n  - local: ../base\n',
    'libs/helpers/models/reports/report.sql': 'select 1',
    'libs/helpers/models/util.sql': 'select 1',
    'libs/helpers/macros/h.sql': '{% macro h() %}1{% endmacro %}',
    'libs/base/dbt_project.yml': 'name: base\n',
    'libs/base/macros/b.sql': '{% macro b() %}1{% endmacro %}',
    // The npm package also depends on base: it must be loaded once.
    'app/node_modules/@acme/dbt-metrics/dbt_project.yml': 'name: metrics\n',
    'app/node_modules/@acme/dbt-metrics/package.json': '{"name": "@acme/dbt-metrics"}',
    'app/node_modules/@acme/dbt-metrics/packages.yml': 'packages:\n  - local: ../../../../libs/base\n',
    'app/node_modules/@acme/dbt-metrics/macros/m.sql': '{% macro m() %}1{% endmacro %}',
  });
  return path.join(ws, 'app');
}

describe('packages', () => {
  it('loads local and npm packages and their dependencies, each once, root first', async () => {
    const project = await loadProject(workspace());
    expect(project.packages.map((p) => [p.name, p.isRoot])).toEqual([
      ['app', true],
      ['helpers', false],
      ['metrics', false],
      ['base', false],
    ]);
    expect(project.macros.map((m) => `${m.package}:${m.path}`)).toEqual([
      'helpers:macros/h.sql',
      'metrics:macros/m.sql',
      'base:macros/b.sql',
    ]);
  });

  it("applies a package's own tree, then the root project's tree for it (root wins)", async () => {
    const project = await loadProject(workspace());
    const byName = new Map(project.models.map((m) => [m.name, m]));
    expect(byName.get('a')!.config.materialized).toBe('table');
    expect(byName.get('util')!.config).toMatchObject({
      materialized: 'ephemeral',
      tags: ['helpers', 'from_root'],
    });
    expect(byName.get('report')!.config).toMatchObject({ materialized: 'table', schema: 'reporting' });
    expect(byName.get('report')!.fqn).toEqual(['helpers', 'reports', 'report']);
  });

  it('resolves hub packages installed in node_modules or dbt_packages', async () => {
    const dir = writeProject({
      'packages.yml':
        'packages:\n  - package: dbt-labs/dbt_utils\n    version: [">=1.0.0"]\n  - package: calogica/dbt_date\n',
      'node_modules/dbt_utils/dbt_project.yml': 'name: dbt_utils\n',
      'dbt_packages/dbt_date/dbt_project.yml': 'name: dbt_date\n',
    });
    const project = await loadProject(dir);
    expect(project.packages.map((p) => p.name)).toEqual(['proj', 'dbt_utils', 'dbt_date']);
  });

  it('says how to install a hub package that is not installed', async () => {
    const err = await rejection(
      loadProject(
        writeProject({ 'packages.yml': 'packages:\n  - package: dbt-labs/dbt_utils\n    version: 1.1.1\n' }),
      ),
    );
    expect(err.code).toBe('PROJECT_CONFIG');
    expect(err.message).toContain('dbt-labs/dbt_utils');
    expect(err.hint).toMatch(/install/);
    expect(err.location).toMatchObject({ file: 'packages.yml', line: 2 });
  });

  it('fails on a missing local package with the packages.yml line', async () => {
    const err = await rejection(
      loadProject(writeProject({ 'packages.yml': 'packages:\n  - local: ../nope\n' })),
    );
    expect(err).toMatchObject({ code: 'PROJECT_CONFIG', location: { file: 'packages.yml', line: 2 } });
    expect(err.message).toContain('../nope');
  });

  it('fails on an npm package that is not installed, saying npm install', async () => {
    const err = await rejection(
      loadProject(writeProject({ 'dependencies.yml': 'packages:\n  - npm: "@acme/missing"\n' })),
    );
    expect(err.code).toBe('PROJECT_CONFIG');
    expect(err.hint).toContain('npm install @acme/missing');
  });

  it('rejects a package entry of an unknown kind', async () => {
    const err = await rejection(loadProject(writeProject({ 'packages.yml': 'packages:\n  - svn: x\n' })));
    expect(err.code).toBe('PROJECT_CONFIG');
  });
});
