/**
 * Project variables: parsing `--vars` and looking a variable up with dbt's precedence.
 *
 * A `vars:` block mixes global variables with per-package scopes (`vars: {start: 1, my_pkg: {x: 2}}`).
 * A key is a scope when it names a loaded package and holds a mapping. For a node of package P,
 * dbt looks in order at: `--vars`, the root project's `P:` scope, the root project's globals, then
 * P's own `dbt_project.yml` (its `P:` scope, then its globals). The root project always wins over a
 * package, so a project can override a package's defaults without forking it.
 */
import { MartqlError } from '../errors';
import type { Project } from './types';
import { isMapping, parseYaml } from './yaml-file';

/** Parses `--vars` given as YAML or JSON text (JSON is YAML), or passes a mapping through. */
export function parseCliVars(vars: Record<string, unknown> | string | undefined): Record<string, unknown> {
  if (vars === undefined) return {};
  if (typeof vars !== 'string') return { ...vars };
  if (vars.trim() === '') return {};
  let value: unknown;
  try {
    value = parseYaml(vars, '--vars').value;
  } catch (err) {
    throw new MartqlError('PROJECT_CONFIG', '--vars is not valid YAML or JSON', {
      cause: err,
      hint: `for example --vars '{start_date: "2024-01-01"}'`,
    });
  }
  if (value === null) return {};
  if (!isMapping(value)) {
    throw new MartqlError('PROJECT_CONFIG', '--vars must be a mapping of names to values', {
      hint: `for example --vars '{start_date: "2024-01-01"}'`,
    });
  }
  return value;
}

export interface VarLookup {
  found: boolean;
  value: unknown;
}

/** The value of `name` as seen by nodes of `packageName`; `found: false` when nothing defines it. */
export function resolveVar(project: Project, packageName: string, name: string): VarLookup {
  if (Object.prototype.hasOwnProperty.call(project.cliVars, name)) {
    return { found: true, value: project.cliVars[name] };
  }
  const packageNames = new Set(project.packages.map((p) => p.name));
  const root = project.packages.find((p) => p.isRoot) ?? project.packages[0];
  const layers: Record<string, unknown>[] = [];
  const pushProject = (vars: Record<string, unknown>): void => {
    const scope = vars[packageName];
    if (isMapping(scope)) layers.push(scope);
    const globals: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(vars)) {
      if (!(packageNames.has(key) && isMapping(value))) globals[key] = value;
    }
    layers.push(globals);
  };
  if (root) pushProject(root.config.vars);
  const own = project.packages.find((p) => p.name === packageName);
  if (own && own !== root) pushProject(own.config.vars);
  for (const layer of layers) {
    if (Object.prototype.hasOwnProperty.call(layer, name)) return { found: true, value: layer[name] };
  }
  return { found: false, value: undefined };
}
