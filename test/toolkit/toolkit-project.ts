/**
 * Temp dbt projects that install the toolkit as a `local:` package and build with `runProject` on
 * the test warehouse.
 *
 * The repository root is the package, but it is also InnovateCorp's example project: its staging
 * models and sources read `raw.*` tables a consumer does not have, and its marts (TypeScript and SQL
 * models being written alongside) change under these tests. So by default the consumer installs a
 * macros-only copy of the package: the root's dbt_project.yml (same name and vars) and its macros/
 * folder, copied into the temp project. `{ package: 'root' }` installs the repository root itself,
 * with the package's models and sources disabled from the consumer's dbt_project.yml, as a dbt user
 * would do to use only the macros.
 */
import { cpSync } from 'node:fs';
import * as path from 'node:path';
import { runProject, type RunRequest } from '../../src/run/runner';
import type { RunSummary } from '../../src/run/types';
import { openProjectWarehouse, type ProjectWarehouse } from '../helpers/project-warehouse';
import { tempProject } from '../helpers/temp-project';

export const TOOLKIT_ROOT = path.resolve(__dirname, '..', '..');

export function consumerProjectYml(vars: Record<string, unknown> = {}): string {
  return [
    'name: toolkit_consumer',
    'version: "1.0"',
    'config-version: 2',
    'models:',
    '  toolkit_consumer:',
    '    +materialized: table',
    '  analytics_engineering_toolkit:',
    '    +enabled: false',
    'sources:',
    '  analytics_engineering_toolkit:',
    '    +enabled: false',
    `vars: ${JSON.stringify(vars)}`,
    '',
  ].join('\n');
}

export interface ToolkitProject {
  dir: string;
  build(extra?: Partial<RunRequest>): Promise<RunSummary>;
  rows<T = Record<string, unknown>>(sql: string): Promise<T[]>;
  schema: string;
  pw: ProjectWarehouse;
  cleanup(): Promise<void>;
}

/** Files relative to the project; `{{S}}` in queries passed to `rows` is the target schema. */
export async function toolkitProject(
  files: Record<string, string>,
  vars: Record<string, unknown> = {},
  options: { package?: 'macros' | 'root' } = {},
): Promise<ToolkitProject> {
  const pw = await openProjectWarehouse();
  const fromRoot = options.package === 'root';
  const project = tempProject({
    'dbt_project.yml': consumerProjectYml(vars),
    'packages.yml': `packages:\n  - local: ${fromRoot ? JSON.stringify(TOOLKIT_ROOT) : 'toolkit_package'}\n`,
    ...files,
  });
  if (!fromRoot) {
    const pkg = path.join(project.dir, 'toolkit_package');
    cpSync(path.join(TOOLKIT_ROOT, 'dbt_project.yml'), path.join(pkg, 'dbt_project.yml'));
    cpSync(path.join(TOOLKIT_ROOT, 'macros'), path.join(pkg, 'macros'), { recursive: true });
  }
  return {
    dir: project.dir,
    schema: pw.schema,
    pw,
    build: (extra = {}) =>
      runProject({
        projectDir: project.dir,
        command: 'build',
        warehouse: pw.wh,
        target: pw.target,
        stateSchema: pw.stateSchema,
        noParseCache: true,
        ...extra,
      }),
    async rows<T>(sql: string): Promise<T[]> {
      const { rows } = await pw.wh.query<T & Record<string, unknown>>(
        sql.replace(/\{\{S\}\}/g, `"${pw.schema}"`),
      );
      return rows as T[];
    },
    async cleanup() {
      project.cleanup();
      await pw.cleanup();
    },
  };
}

/** Expects every node of a build to have succeeded, naming the ones that did not. */
export function expectAllPassed(summary: RunSummary): void {
  const bad = summary.results
    .filter((r) => r.status !== 'success' && r.status !== 'pass')
    .map((r) => `${r.name}: ${r.status} ${r.message} ${r.error?.message ?? ''}`);
  expect(bad).toEqual([]);
}

export { prng } from '../helpers/prng';

/** 'YYYY-MM-DD HH:MM:SS' of a UTC epoch in ms (seeds load it as a naive timestamp). */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

export function csv(header: string[], rows: unknown[][]): string {
  return (
    [header.join(','), ...rows.map((r) => r.map((v) => (v === null ? '' : String(v))).join(','))].join('\n') +
    '\n'
  );
}
