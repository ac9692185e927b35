/**
 * A test warehouse plus a target that builds into its unique schema, and a cleanup that also drops
 * the `<schema>_<custom>` schemas that `+schema` configs and `store_failures` create beside it.
 */
import { targetFromEnv } from '../../src/compile/target';
import { runProject, type RunRequest } from '../../src/run/runner';
import type { RunSummary } from '../../src/run/types';
import type { TargetInfo } from '../../src/jinja/context/node-context';
import { quoteIdent } from '../../src/warehouse';
import { openTestWarehouse, type TestWarehouse } from './warehouse';

export interface ProjectWarehouse extends TestWarehouse {
  target: TargetInfo;
  stateSchema: string;
}

export async function openProjectWarehouse(): Promise<ProjectWarehouse> {
  const tw = await openTestWarehouse();
  const target = { ...targetFromEnv(), schema: tw.schema };
  const stateSchema = `${tw.schema}_state`;
  return {
    ...tw,
    target,
    stateSchema,
    async cleanup() {
      const { rows } = await tw.wh.query<{ nspname: string }>(
        "select nspname from pg_namespace where nspname like $1 || '\\_%'",
        [tw.schema],
      );
      for (const { nspname } of rows)
        await tw.wh.query(`drop schema if exists ${quoteIdent(nspname)} cascade`);
      await tw.cleanup();
    },
  };
}

/**
 * A `martql run` (or the `command` given) of the project in `projectDir` on this warehouse, with
 * the run state in the test's state schema and no parse cache.
 */
export function runOn(
  pw: ProjectWarehouse,
  projectDir: string,
  extra: Partial<RunRequest> = {},
): Promise<RunSummary> {
  return runProject({
    projectDir,
    command: 'run',
    warehouse: pw.wh,
    target: pw.target,
    stateSchema: pw.stateSchema,
    noParseCache: true,
    ...extra,
  });
}
