import * as path from 'node:path';
import { loadProject, parseCliVars, resolveVar } from '../../src/project';
import { cleanUp, rejection, writeFiles } from './helpers';

afterAll(cleanUp);

function workspace(): string {
  const ws = writeFiles({
    'root/dbt_project.yml': [
      'name: root',
      'vars:',
      '  shared: root_global',
      '  only_root: 1',
      '  pkg:',
      '    scoped: root_scoped_for_pkg',
      '  root:',
      '    own_scoped: root_scoped_for_root',
    ].join('\n'),
    'root/packages.yml': 'packages:\n  - local: ../pkg\n',
    'pkg/dbt_project.yml': [
      'name: pkg',
      'vars:',
      '  shared: pkg_global',
      '  scoped: pkg_global_scoped',
      '  pkg_only: pkg_default',
      '  pkg_scoped_only: pkg_global',
      '  pkg:',
      '    pkg_scoped_only: pkg_scoped',
    ].join('\n'),
  });
  return path.join(ws, 'root');
}

describe('vars', () => {
  it("follows dbt's precedence: --vars, root scoped, root global, package scoped, package global", async () => {
    const project = await loadProject(workspace(), { vars: '{shared: from_cli}' });
    expect(resolveVar(project, 'pkg', 'shared')).toEqual({ found: true, value: 'from_cli' });
    expect(resolveVar(project, 'pkg', 'scoped')).toEqual({ found: true, value: 'root_scoped_for_pkg' });
    expect(resolveVar(project, 'pkg', 'only_root')).toEqual({ found: true, value: 1 });
    expect(resolveVar(project, 'pkg', 'pkg_scoped_only')).toEqual({ found: true, value: 'pkg_scoped' });
    expect(resolveVar(project, 'pkg', 'pkg_only')).toEqual({ found: true, value: 'pkg_default' });
    expect(resolveVar(project, 'pkg', 'missing')).toEqual({ found: false, value: undefined });
  });

  it('keeps root nodes away from package vars and other scopes', async () => {
    const project = await loadProject(workspace());
    expect(resolveVar(project, 'root', 'shared')).toEqual({ found: true, value: 'root_global' });
    expect(resolveVar(project, 'root', 'own_scoped')).toEqual({ found: true, value: 'root_scoped_for_root' });
    expect(resolveVar(project, 'root', 'scoped').found).toBe(false);
    expect(resolveVar(project, 'root', 'pkg_only').found).toBe(false);
    expect(resolveVar(project, 'root', 'pkg').found).toBe(false);
  });

  it('parses --vars as YAML or JSON, or takes a mapping', async () => {
    expect(parseCliVars('{"a": 1, "b": [1, 2]}')).toEqual({ a: 1, b: [1, 2] });
    expect(parseCliVars('a: 1\nb: yes')).toEqual({ a: 1, b: true });
    expect(parseCliVars({ a: 1 })).toEqual({ a: 1 });
    expect(parseCliVars('')).toEqual({});
    expect(() => parseCliVars('[1, 2]')).toThrow(/mapping/);
    expect(() => parseCliVars('{a: [')).toThrow(/not valid YAML/);
    const project = await loadProject(workspace(), { vars: { x: null } });
    expect(resolveVar(project, 'root', 'x')).toEqual({ found: true, value: null });
    expect(project.cliVars).toEqual({ x: null });
  });

  it('rejects --vars that are not a mapping when loading', async () => {
    const err = await rejection(loadProject(workspace(), { vars: '- a' }));
    expect(err.code).toBe('PROJECT_CONFIG');
  });
});
