/** `martql query "<sql>"` and `martql show <model>`: print a result set as a table or JSON. */
import * as path from 'node:path';
import { parseProjectDir } from '../../compile/compile-project';
import { NodeCompiler } from '../../compile/node-compiler';
import { closestName, MartqlError } from '../../errors';
import type { QueryResult } from '../../warehouse';
import { openProjectWarehouse } from '../warehouse-from-env';

export type OutputFormat = 'table' | 'json';

function cell(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export function formatResult(result: QueryResult, format: OutputFormat): string {
  if (format === 'json')
    return JSON.stringify(result.rows, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2);
  const names = result.fields.map((f) => f.name);
  const rows = result.rows.map((row) => names.map((n) => cell(row[n])));
  const widths = names.map((n, i) => Math.max(n.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  const out = [line(names), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)];
  out.push(`(${result.rows.length} row${result.rows.length === 1 ? '' : 's'})`);
  return out.join('\n');
}

export async function queryCommand(
  sql: string,
  options: { projectDir: string; format?: OutputFormat },
): Promise<void> {
  const warehouse = await openProjectWarehouse(path.resolve(options.projectDir));
  try {
    const result = await warehouse.query(sql);
    process.stdout.write(`${formatResult(result, options.format ?? 'table')}\n`);
  } finally {
    await warehouse.close();
  }
}

export async function showCommand(
  model: string,
  options: { projectDir: string; limit?: string; format?: OutputFormat; vars?: string },
): Promise<void> {
  const projectDir = path.resolve(options.projectDir);
  const { session, manifest } = await parseProjectDir(projectDir, { vars: options.vars, which: 'show' });
  const candidates = [...manifest.nodes.values()].filter(
    (n) => n.resourceType === 'model' || n.resourceType === 'seed',
  );
  const node = candidates.find((n) => n.name === model);
  if (!node) {
    const close = closestName(
      model,
      candidates.map((n) => n.name),
    );
    throw new MartqlError('UNKNOWN_REF', `no model or seed named '${model}'`, {
      hint: close ? `did you mean '${close}'?` : undefined,
    });
  }
  const relation = new NodeCompiler(session, manifest).relationOf(node);
  const limit = Math.max(1, Math.min(Number(options.limit ?? 10), 100_000));
  const warehouse = await openProjectWarehouse(projectDir);
  try {
    const result = await warehouse.query(`select * from ${relation.render()} limit ${limit}`);
    process.stdout.write(`${formatResult(result, options.format ?? 'table')}\n`);
  } finally {
    await warehouse.close();
  }
}
