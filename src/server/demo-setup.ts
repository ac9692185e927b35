/**
 * What `martql start` (the README's `npm start`) does before serving the example project: on a
 * database without InnovateCorp's raw data it generates some, and when an exposed model was never
 * built it builds the project. On an already-built database it does neither and the server starts
 * at once; staleness is then the refresh-on-read path's business. Deciding is separate from doing
 * (`planStart` only reads), so the decision is tested on its own.
 */
import { generate, RAW_TABLES, type ProgressListener } from '../generate';
import { exposedModels } from '../graphql/schema';
import type { Manifest } from '../graph/types';
import type { TargetInfo } from '../jinja/context/node-context';
import { runProject } from '../run/runner';
import type { RunEvent } from '../run/types';
import { openStateStore } from '../state';
import type { Warehouse } from '../warehouse';

/** The size `npm run demo` has always generated: a few seconds on PGlite. */
export const DEMO_CUSTOMERS = 3000;
export const DEMO_DAYS = 180;
export const DEMO_SEED = 42;

export interface StartPlan {
  generate: boolean;
  build: boolean;
  /** Why, one line each, for the console. */
  reasons: string[];
}

export interface StartPlanOptions {
  /** Where the raw sources live (`raw`, or the project's `raw_schema` var). */
  rawSchema: string;
  stateSchema?: string;
}

async function missingRawTables(warehouse: Warehouse, schema: string): Promise<string[]> {
  const placeholders = RAW_TABLES.map((_, i) => `$${i + 2}`).join(', ');
  const { rows } = await warehouse.query<{ table_name: string }>(
    `select table_name from information_schema.tables where table_schema = $1 and table_name in (${placeholders})`,
    [schema, ...RAW_TABLES],
  );
  const present = new Set(rows.map((r) => r.table_name));
  return RAW_TABLES.filter((t) => !present.has(t));
}

export async function planStart(
  warehouse: Warehouse,
  manifest: Manifest,
  options: StartPlanOptions,
): Promise<StartPlan> {
  const reasons: string[] = [];
  const missing = await missingRawTables(warehouse, options.rawSchema);
  const needsData = missing.length > 0;
  if (needsData)
    reasons.push(`no raw data: ${missing.map((t) => `${options.rawSchema}.${t}`).join(', ')} missing`);

  const store = await openStateStore(warehouse, { schema: options.stateSchema });
  const exposed = exposedModels(manifest).map((m) => m.uniqueId);
  const states = await store.getModelState(exposed);
  const unbuilt = exposed.filter((id) => !states.get(id)?.builtAt);
  if (unbuilt.length > 0) reasons.push(`never built: ${unbuilt.length} of ${exposed.length} exposed models`);
  // Fresh data makes any earlier build stale in full: build it in one go rather than on first reads.
  return { generate: needsData, build: needsData || unbuilt.length > 0, reasons };
}

export interface StartSetupOptions extends StartPlanOptions {
  projectDir: string;
  customers?: number;
  days?: number;
  seed?: number;
  target?: TargetInfo;
  vars?: Record<string, unknown> | string;
  noParseCache?: boolean;
  onProgress?: ProgressListener;
  onEvent?: (event: RunEvent) => void;
}

/** Carries a plan out; returns whether the build (when there was one) succeeded. */
export async function carryOutStart(
  warehouse: Warehouse,
  plan: StartPlan,
  options: StartSetupOptions,
): Promise<{ buildSucceeded: boolean }> {
  if (plan.generate) {
    await generate(warehouse, {
      customers: options.customers ?? DEMO_CUSTOMERS,
      days: options.days ?? DEMO_DAYS,
      seed: options.seed ?? DEMO_SEED,
      schema: options.rawSchema,
      onProgress: options.onProgress,
    });
  }
  if (!plan.build) return { buildSucceeded: true };
  const summary = await runProject({
    projectDir: options.projectDir,
    command: 'build',
    warehouse,
    target: options.target,
    stateSchema: options.stateSchema,
    vars: options.vars,
    noParseCache: options.noParseCache,
    onEvent: options.onEvent,
  });
  return { buildSucceeded: summary.success };
}
