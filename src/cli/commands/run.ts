/** `martql run | seed | test | build`: execute the selection against the warehouse. */
import * as path from 'node:path';
import { MartqlError } from '../../errors';
import { runProject, type RunRequest } from '../../run/runner';
import { createProgressPrinter } from '../progress-printer';
import { openProjectWarehouse } from '../warehouse-from-env';

export interface RunCommandOptions {
  projectDir: string;
  select?: string[];
  exclude?: string[];
  vars?: string;
  fullRefresh?: boolean;
  threads?: string;
  failFast?: boolean;
}

function parseThreads(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    throw new MartqlError('PROJECT_CONFIG', `--threads takes a whole number of at least 1, not '${value}'`);
  }
  return n;
}

export function runCommand(command: RunRequest['command']) {
  return async (options: RunCommandOptions): Promise<void> => {
    const projectDir = path.resolve(options.projectDir);
    const warehouse = await openProjectWarehouse(projectDir);
    try {
      const summary = await runProject({
        projectDir,
        command,
        warehouse,
        select: options.select,
        exclude: options.exclude,
        vars: options.vars,
        fullRefresh: options.fullRefresh,
        threads: parseThreads(options.threads),
        failFast: options.failFast,
        stateSchema: process.env.MARTQL_STATE_SCHEMA || undefined,
        onEvent: createProgressPrinter(),
      });
      if (!summary.success) process.exitCode = 1;
    } finally {
      await warehouse.close();
    }
  };
}
