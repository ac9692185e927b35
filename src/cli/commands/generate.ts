/**
 * `martql generate` and `martql simulate`: write InnovateCorp's raw sources into the project's
 * warehouse (schema `raw` unless --schema), with a progress bar on a terminal, then print a summary.
 * Options arrive as commander strings and are checked here; the work is in `src/generate`.
 */
import * as path from 'node:path';
import { MartqlError } from '../../errors';
import {
  generate,
  type GeneratorSummary,
  simulate,
  type SimulateSummary,
  terminalProgressBar,
} from '../../generate';
import { openProjectWarehouse } from '../warehouse-from-env';

export interface GenerateCommandOptions {
  projectDir: string;
  customers?: string | number;
  days?: string | number;
  seed?: string | number;
  startDate?: string;
  schema?: string;
}

export interface SimulateCommandOptions {
  projectDir: string;
  days?: string | number;
  now?: string;
  schema?: string;
}

function whole(flag: string, value: string | number | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min) {
    throw new MartqlError(
      'PROJECT_CONFIG',
      `--${flag} takes a whole number of at least ${min}, not '${value}'`,
    );
  }
  return n;
}

function printRows(rows: Record<string, number>): string {
  return Object.entries(rows)
    .map(([table, n]) => `${table} ${n.toLocaleString('en-US')}`)
    .join(', ');
}

export function formatGenerateSummary(s: GeneratorSummary, seconds: number): string {
  const { bgnbd, gammaGamma } = s.params;
  return [
    `Generated ${s.schema} (seed ${s.seed}, ${s.customers} customers, ${s.startDate.toISOString()} to ${s.endDate.toISOString()}) in ${seconds.toFixed(1)}s:`,
    `  ${printRows(s.rows)}`,
    `  BG/NBD r=${bgnbd.r} alpha=${bgnbd.alpha} a=${bgnbd.a} b=${bgnbd.b} (days); Gamma-Gamma p=${gammaGamma.p} q=${gammaGamma.q} gamma=${gammaGamma.gamma}`,
    `  (recorded in ${s.schema}.generator_params)`,
  ].join('\n');
}

export function formatSimulateSummary(s: SimulateSummary, seconds: number): string {
  return [
    `Simulated ${s.schema} from ${s.from.toISOString()} to ${s.to.toISOString()} in ${seconds.toFixed(1)}s:`,
    `  appended ${printRows(s.rows)}`,
    `  ${s.lateTouchpoints} late touchpoints, ${s.updatedOrders} orders updated`,
  ].join('\n');
}

export async function generateCommand(options: GenerateCommandOptions): Promise<void> {
  const customers = whole('customers', options.customers, 10_000, 1);
  const days = whole('days', options.days, 365, 1);
  const seed = whole('seed', options.seed, 42, 0);
  const warehouse = await openProjectWarehouse(path.resolve(options.projectDir));
  const bar = terminalProgressBar();
  const started = performance.now();
  let summary: GeneratorSummary;
  try {
    summary = await generate(warehouse, {
      customers,
      days,
      seed,
      startDate: options.startDate,
      schema: options.schema,
      onProgress: bar?.listener,
    });
  } finally {
    bar?.finish();
    await warehouse.close();
  }
  process.stdout.write(`${formatGenerateSummary(summary, (performance.now() - started) / 1000)}\n`);
}

export async function simulateCommand(options: SimulateCommandOptions): Promise<void> {
  const days = whole('days', options.days, 1, 1);
  const warehouse = await openProjectWarehouse(path.resolve(options.projectDir));
  const bar = terminalProgressBar();
  const started = performance.now();
  let summary: SimulateSummary;
  try {
    summary = await simulate(warehouse, {
      days,
      now: options.now,
      schema: options.schema,
      onProgress: bar?.listener,
    });
  } finally {
    bar?.finish();
    await warehouse.close();
  }
  process.stdout.write(`${formatSimulateSummary(summary, (performance.now() - started) / 1000)}\n`);
}
