/**
 * `target/run_results.json` in dbt's shape (v6), for tools that read it. Written atomically at the
 * end of every invocation, failed ones included.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { NodeResult, RunSummary } from './types';

const SCHEMA_VERSION = 'https://schemas.getdbt.com/dbt/run-results/v6.json';

function resultJson(r: NodeResult): Record<string, unknown> {
  const compileEnd = new Date(r.startedAt.getTime() + r.compileMs);
  return {
    status: r.status,
    timing: [
      { name: 'compile', started_at: r.startedAt.toISOString(), completed_at: compileEnd.toISOString() },
      { name: 'execute', started_at: compileEnd.toISOString(), completed_at: r.completedAt.toISOString() },
    ],
    thread_id: r.thread ? `Thread-${r.thread}` : 'main',
    execution_time: (r.completedAt.getTime() - r.startedAt.getTime()) / 1000,
    adapter_response: r.rowsAffected === null ? {} : { _message: r.message, rows_affected: r.rowsAffected },
    message: r.message,
    failures: r.failures ?? null,
    unique_id: r.uniqueId,
    compiled: r.compiledSql !== undefined,
    compiled_code: r.compiledSql ?? null,
    relation_name: r.relation ?? null,
  };
}

export async function writeRunResults(
  summary: RunSummary,
  targetDir: string,
  projectRoot: string,
): Promise<string> {
  const file = path.join(targetDir, 'run_results.json');
  const body = {
    metadata: {
      dbt_schema_version: SCHEMA_VERSION,
      dbt_version: '1.9.0',
      generated_at: new Date().toISOString(),
      invocation_id: summary.invocationId,
      env: {},
    },
    results: summary.results.map(resultJson),
    elapsed_time: summary.elapsedMs / 1000,
    args: { which: summary.command, project_dir: projectRoot },
  };
  await fs.mkdir(targetDir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(tmp, JSON.stringify(body, null, 2));
  await fs.rename(tmp, file);
  return file;
}
