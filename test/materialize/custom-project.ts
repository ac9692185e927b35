/**
 * A small project for the custom-materialization tests: the test's warehouse and schema, a source
 * `raw.items` in that schema, the example `custom_incremental` block, and whatever files a test
 * adds; `run` builds it through the runner and returns the one model's result.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RunRequest } from '../../src/run/runner';
import type { NodeResult } from '../../src/run/types';
import { qualify } from '../../src/warehouse';
import { openProjectWarehouse, runOn, type ProjectWarehouse } from '../helpers/project-warehouse';
import { tempProject } from '../helpers/temp-project';

export const ROOT = path.resolve(__dirname, '..', '..');

/** The example project's block, as a project copies it into its own macros. */
export const CUSTOM_INCREMENTAL = fs.readFileSync(
  path.join(ROOT, 'macros', 'materializations', 'custom_incremental.sql'),
  'utf8',
);

export interface CustomProject {
  pw: ProjectWarehouse;
  dir: string;
  /** `"schema"."name"` in the test schema. */
  rel(name: string): string;
  /** Writes (or replaces) a project file. */
  write(file: string, text: string): void;
  run(extra?: Partial<RunRequest>): Promise<NodeResult>;
  rows(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

export async function openCustomProject(files: Record<string, string>): Promise<CustomProject> {
  const pw = await openProjectWarehouse();
  const project = tempProject({
    'macros/materializations/custom_incremental.sql': CUSTOM_INCREMENTAL,
    'models/sources.yml': `sources:\n  - name: raw\n    schema: ${pw.schema}\n    tables: [{name: items}]\n`,
    ...files,
  });
  return {
    pw,
    dir: project.dir,
    rel: (name) => qualify(pw.schema, name),
    write(file, text) {
      fs.mkdirSync(path.dirname(path.join(project.dir, file)), { recursive: true });
      fs.writeFileSync(path.join(project.dir, file), text);
    },
    async run(extra = {}) {
      const summary = await runOn(pw, project.dir, extra);
      if (summary.results.length !== 1) throw new Error(`expected one result, got ${summary.results.length}`);
      return summary.results[0];
    },
    async rows(sql, params) {
      return (await pw.wh.query(sql, params)).rows;
    },
    async close() {
      project.cleanup();
      await pw.cleanup();
    },
  };
}
