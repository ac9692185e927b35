/**
 * `martql start` (`npm start`): the example project from nothing to a running API. Generates
 * InnovateCorp's raw data when the database has none, builds when an exposed model was never
 * built, then serves; on an already-built database it serves at once (see server/demo-setup.ts).
 */
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parseProjectDir } from '../../compile/compile-project';
import { MartqlError } from '../../errors';
import { terminalProgressBar } from '../../generate';
import { carryOutStart, DEMO_CUSTOMERS, DEMO_DAYS, planStart } from '../../server/demo-setup';
import { createProgressPrinter } from '../progress-printer';
import { openProjectWarehouse } from '../warehouse-from-env';
import { serverFlags, serveWarehouse, type ServeCommandOptions } from './serve';

export interface StartCommandOptions extends ServeCommandOptions {
  customers?: string;
  days?: string;
}

function count(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new MartqlError('PROJECT_CONFIG', `--${flag} takes a whole number of at least 1, not '${value}'`);
  }
  return n;
}

/** The `raw_schema` var the sources read (--vars, then dbt_project.yml), else the generator's default. */
function rawSchemaOf(cliVars: string | undefined, projectVars: Record<string, unknown>): string {
  const given = cliVars ? (parseYaml(cliVars) as Record<string, unknown> | null) : null;
  const value = given?.raw_schema ?? projectVars.raw_schema;
  return typeof value === 'string' && value !== '' ? value : 'raw';
}

export async function startCommand(options: StartCommandOptions): Promise<void> {
  const projectDir = path.resolve(options.projectDir);
  const flags = serverFlags(options);
  const customers = count('customers', options.customers, DEMO_CUSTOMERS);
  const days = count('days', options.days, DEMO_DAYS);
  const stateSchema = process.env.MARTQL_STATE_SCHEMA || undefined;
  const warehouse = await openProjectWarehouse(projectDir);
  try {
    const { project, manifest } = await parseProjectDir(projectDir, {
      session: warehouse,
      vars: options.vars,
    });
    const rawSchema = rawSchemaOf(options.vars, project.config.vars);
    const plan = await planStart(warehouse, manifest, { rawSchema, stateSchema });
    for (const reason of plan.reasons) process.stdout.write(`martql start: ${reason}\n`);
    if (plan.generate)
      process.stdout.write(`martql start: generating ${customers} customers over ${days} days\n`);
    if (plan.build) process.stdout.write('martql start: building the project\n');
    const bar = plan.generate ? terminalProgressBar() : undefined;
    const { buildSucceeded } = await carryOutStart(warehouse, plan, {
      projectDir,
      rawSchema,
      stateSchema,
      customers,
      days,
      vars: options.vars,
      onProgress: bar?.listener,
      onEvent: createProgressPrinter(),
    }).finally(() => bar?.finish());
    if (!buildSucceeded)
      process.stdout.write('martql start: the build had failures (above); serving what was built\n');
  } catch (err) {
    await warehouse.close();
    throw err;
  }
  await serveWarehouse(warehouse, projectDir, flags);
}
