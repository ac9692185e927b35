/**
 * A one-model project for the server's operational tests: `slow_items`, exposed as `slowItems`,
 * whose build sleeps `sleep_s` seconds (pg_sleep, on PGlite and Postgres alike), so a refresh
 * forced with `cache: NO_CACHE` is slow enough to time out a request or to be in flight during a
 * shutdown. Built once into the test warehouse.
 */
import { runProject } from '../../src/run/runner';
import type { ProjectWarehouse } from '../helpers/project-warehouse';
import { tempProject } from '../helpers/temp-project';

export const SLOW_ITEMS_ID = 'model.demo.slow_items';
export const SLOW_ITEMS_ROWS = [
  { id: 1, label: 'alpha' },
  { id: 2, label: 'beta' },
  { id: 3, label: 'gamma' },
];

const FILES = {
  'models/slow_items.sql': `{{ config(materialized='table') }}
select id, label
from (values ${SLOW_ITEMS_ROWS.map((r) => `(${r.id}, '${r.label}')`).join(', ')}) as v(id, label)
cross join (select pg_sleep({{ var('sleep_s', 0) }})) as pause`,
  'models/_models.yml': `version: 2
models:
  - name: slow_items
    description: Three rows, built slowly on purpose.
    config: { graphql: true }
    columns:
      - { name: id, data_type: int, description: The item. }
      - { name: label, data_type: text }
`,
};

export interface SlowProject {
  dir: string;
  vars: Record<string, unknown>;
  cleanup(): void;
}

export async function buildSlowProject(pw: ProjectWarehouse, sleepS: number): Promise<SlowProject> {
  const project = tempProject(FILES);
  const vars = { sleep_s: sleepS };
  const summary = await runProject({
    projectDir: project.dir,
    command: 'build',
    warehouse: pw.wh,
    target: pw.target,
    stateSchema: pw.stateSchema,
    vars,
    noParseCache: true,
  });
  if (!summary.success) {
    project.cleanup();
    throw new Error(`slow_items did not build: ${JSON.stringify(summary.results.map((r) => r.status))}`);
  }
  return { dir: project.dir, vars, cleanup: project.cleanup };
}

/** Prometheus text as `name{labels}` → value, labels in the order the client writes them. */
export function parseMetrics(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    samples.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return samples;
}
