/**
 * Version ranges in packages.yml: transitive npm and local packages resolved with their installed
 * versions, conflicting ranges and installed versions outside a range reported with both sides,
 * and the `martql deps` record (target/packages.json) with what changed since the last one.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { resolveDeps } from '../../src/project/deps';
import { loadProject } from '../../src/project';
import { cleanUp, rejection, writeFiles } from './helpers';

afterAll(cleanUp);

/**
 * app -> npm @acme/metrics (^1.2.0) and local ../libs/helpers; helpers -> npm dbt_utils (given
 * range); metrics -> npm dbt_utils (>=1.0.0 <2.0.0). dbt_utils is installed at `utilsVersion`.
 */
function workspace(helpersRange: string, utilsVersion = '1.3.0'): string {
  const npm = (dir: string, name: string, version: string, deps = '') => ({
    [`${dir}/package.json`]: JSON.stringify({ name, version }),
    [`${dir}/dbt_project.yml`]: `name: ${name.replace(/^@acme\//, '')}\nversion: "${version}"\n`,
    ...(deps ? { [`${dir}/packages.yml`]: deps } : {}),
  });
  const ws = writeFiles({
    'app/dbt_project.yml': 'name: app\n',
    'app/packages.yml': [
      'packages:',
      '  - npm: "@acme/metrics"',
      '    version: "^1.2.0"',
      '  - local: ../libs/helpers',
      '',
    ].join('\n'),
    'libs/helpers/dbt_project.yml': 'name: helpers\nversion: "0.3.0"\n',
    'libs/helpers/packages.yml': `packages:\n  - package: dbt-labs/dbt_utils\n    version: ${helpersRange}\n`,
    ...npm(
      'app/node_modules/@acme/metrics',
      '@acme/metrics',
      '1.4.2',
      'packages:\n  - npm: dbt_utils\n    version: [">=1.0.0", "<2.0.0"]\n',
    ),
    // Found from libs/helpers by walking up to the workspace's node_modules, as Node does.
    ...npm('node_modules/dbt_utils', 'dbt_utils', utilsVersion),
    // The metrics package finds it in the app's node_modules, a second copy of the same name.
    ...npm('app/node_modules/dbt_utils', 'dbt_utils', utilsVersion),
  });
  return path.join(ws, 'app');
}

describe('package versions', () => {
  it('resolves transitive npm and local packages and records them', async () => {
    const dir = workspace('[">=1.1.0"]');
    const project = await loadProject(dir);
    expect(project.packages.map((p) => p.name)).toEqual(['app', 'metrics', 'helpers', 'dbt_utils']);
    const { record, recordPath, changes } = await resolveDeps(dir);
    expect(changes).toEqual([]);
    expect(record.packages.map((p) => [p.name, p.version, p.source, p.path])).toEqual([
      ['metrics', '1.4.2', 'npm', 'node_modules/@acme/metrics'],
      ['helpers', '0.3.0', 'local', '../libs/helpers'],
      ['dbt_utils', '1.3.0', 'npm', 'node_modules/dbt_utils'],
    ]);
    // Both requirers of dbt_utils are kept with their ranges, the one copy loaded serves both.
    expect(record.packages[2].requiredBy.map((r) => [r.package, r.version])).toEqual([
      ['metrics', '>=1.0.0 <2.0.0'],
      ['helpers', '>=1.1.0'],
    ]);
    expect(JSON.parse(readFileSync(recordPath, 'utf8'))).toEqual(record);
    expect(path.relative(dir, recordPath)).toBe(path.join('target', 'packages.json'));
  });

  it('reports two requirers whose ranges cannot both hold, with the installed version', async () => {
    const err = await rejection(loadProject(workspace('">=2.0.0"')));
    expect(err.code).toBe('PROJECT_CONFIG');
    expect(err.message).toContain('package dbt_utils has incompatible version requirements');
    expect(err.message).toContain('metrics requires >=1.0.0 <2.0.0');
    expect(err.message).toContain('helpers requires >=2.0.0');
    expect(err.message).toContain('installed: version 1.3.0 at node_modules/dbt_utils');
    expect(err.location).toMatchObject({ file: '../libs/helpers/packages.yml', line: 2 });
  });

  it('reports an installed version outside a range, naming the requirer and the range', async () => {
    const err = await rejection(resolveDeps(workspace('">=1.1.0"', '1.0.5')));
    expect(err.code).toBe('PROJECT_CONFIG');
    expect(err.message).toMatch(/package dbt_utils 1\.0\.5 at node_modules\/dbt_utils is outside the range/);
    expect(err.message).toContain('helpers requires >=1.1.0 (../libs/helpers/packages.yml:2)');
    expect(err.hint).toContain('>=1.1.0');
  });

  it('says what changed since the last martql deps', async () => {
    const dir = workspace('">=1.1.0"');
    await resolveDeps(dir);
    writeFiles(
      {
        'node_modules/@acme/metrics/package.json': JSON.stringify({
          name: '@acme/metrics',
          version: '1.5.0',
        }),
      },
      dir,
    );
    const { changes } = await resolveDeps(dir);
    expect(changes).toEqual([
      'metrics 1.4.2 (node_modules/@acme/metrics) -> 1.5.0 (node_modules/@acme/metrics)',
    ]);
  });

  it('rejects a version that is not a range, at its line', async () => {
    const dir = writeFiles({
      'dbt_project.yml': 'name: proj\n',
      'packages.yml': 'packages:\n  - npm: x\n    version: "not a version"\n',
    });
    const err = await rejection(loadProject(dir));
    expect(err).toMatchObject({ code: 'PROJECT_CONFIG', location: { file: 'packages.yml', line: 2 } });
  });

  it('notes a range it cannot check on a package without a version', async () => {
    const ws = writeFiles({
      'proj/dbt_project.yml': 'name: proj\n',
      'proj/packages.yml': 'packages:\n  - local: ../lib\n    version: ">=1.0.0"\n',
      'lib/dbt_project.yml': 'name: lib\n',
    });
    const project = await loadProject(path.join(ws, 'proj'));
    expect(project.notes.join('\n')).toMatch(
      /package lib .* has no version; proj requires >=1.0.0 .* could not be checked/,
    );
  });
});
