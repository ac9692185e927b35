/**
 * `generate`: writes InnovateCorp's raw sources from scratch, deterministically for a seed.
 *
 * Under a lock named after the schema, the tables are replaced atomically: readers see the old
 * tables until the new ones are complete, and a failed or interrupted run leaves the old ones in
 * place. On PGlite they are dropped, recreated and loaded by COPY inside one transaction; on Postgres
 * they load through two connections at once into a staging schema that is then swapped in
 * (`staged-load.ts`). Rows stream from the per-table passes into COPY; memory does not grow with the
 * number of rows.
 */
import { MartqlError } from '../errors';
import { qualify, type Session, type Warehouse } from '../warehouse';
import { customersBefore } from './customers';
import { DEFAULT_PARAMS, type GeneratorState, stateToRows, type TrueParams, validateParams } from './params';
import { passChunks, passSize, type PassInput } from './passes';
import type { ProgressListener } from './progress';
import { stagedLoad } from './staged-load';
import { TWINS, twinChunks } from './twin-passes';
import {
  columnsOf,
  createTablesSql,
  dropTablesSql,
  type IdCounters,
  PARAMS_TABLE,
  RAW_TABLES,
  type RawTable,
} from './tables';

export const DEFAULT_START_DATE = '2025-01-01T00:00:00Z';

export interface GenerateOptions {
  customers: number;
  days: number;
  seed: number;
  /** The first signup instant; 2025-01-01 UTC by default (a fixed date keeps runs reproducible). */
  startDate?: Date | string;
  schema?: string;
  /** Overrides of the true BG/NBD and Gamma-Gamma parameters. */
  params?: { bgnbd?: Partial<TrueParams['bgnbd']>; gammaGamma?: Partial<TrueParams['gammaGamma']> };
  onProgress?: ProgressListener;
}

export type RowCounts = Record<RawTable, number>;

export interface GeneratorSummary {
  schema: string;
  seed: number;
  customers: number;
  days: number;
  startDate: Date;
  /** The simulated "now": every row arrived (`_loaded_at`) before it. */
  endDate: Date;
  rows: RowCounts;
  params: TrueParams;
}

/** How much of a run each table's pass takes, for one progress fraction across passes. */
export const PASS_WEIGHT: Record<RawTable | 'updates', number> = {
  customers: 0.05,
  orders: 0.15,
  touchpoints: 0.5,
  product_usage: 0.3,
  updates: 0.1,
};

function wholeNumber(name: string, value: number, min: number): number {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new MartqlError(
      'PROJECT_CONFIG',
      `${name} must be a whole number of at least ${min}, not ${value}`,
    );
  }
  return value;
}

export function toEpochSeconds(name: string, date: Date | string): number {
  const ms = new Date(date).getTime();
  if (!Number.isFinite(ms) || ms < 0)
    throw new MartqlError('PROJECT_CONFIG', `${name} is not a valid date: ${date}`);
  return Math.floor(ms / 1000);
}

/** Streams one pass into COPY, reporting progress within the run's [offset, offset + weight). */
export async function copyPass(
  session: Session,
  schema: string,
  table: RawTable,
  input: PassInput,
  report: (table: RawTable, done: number, total: number) => void,
): Promise<number> {
  const total = passSize(table, input);
  const chunks = passChunks(table, input, (done) => report(table, done, total));
  return session.copyFrom({ schema, name: table }, columnsOf(table), chunks);
}

export async function writeParams(session: Session, schema: string, state: GeneratorState): Promise<void> {
  const csv = stateToRows(state)
    .map((r) => `${r.model},${r.parameter},${r.value}\n`)
    .join('');
  await session.query(`delete from ${qualify(schema, PARAMS_TABLE)}`);
  await session.copyFrom({ schema, name: PARAMS_TABLE }, ['model', 'parameter', 'value'], csv);
}

export async function generate(warehouse: Warehouse, options: GenerateOptions): Promise<GeneratorSummary> {
  const schema = options.schema ?? 'raw';
  const customers = wholeNumber('customers', options.customers, 1);
  const days = wholeNumber('days', options.days, 1);
  const seed = wholeNumber('seed', options.seed, 0);
  const params: TrueParams = {
    bgnbd: { ...DEFAULT_PARAMS.bgnbd, ...options.params?.bgnbd },
    gammaGamma: { ...DEFAULT_PARAMS.gammaGamma, ...options.params?.gammaGamma },
  };
  validateParams(params);
  const startSec = toEpochSeconds('startDate', options.startDate ?? DEFAULT_START_DATE);
  const horizonSec = startSec + days * 86400;
  const state: GeneratorState = { seed, customers, days, startSec, horizonSec, params };
  const input: PassInput = {
    state,
    window: { fromSec: -Infinity, toSec: horizonSec },
    customers: customersBefore(state, horizonSec),
    customersBefore: 0,
    ids: { order: 1, touchpoint: 1, event: 1 } satisfies IdCounters,
  };
  const report = progressReporter(RAW_TABLES, options.onProgress);

  await warehouse.createSchema(schema);
  const counts = {} as RowCounts;
  await warehouse.withLock(`martql.generate.${schema}`, async () => {
    if (warehouse.kind === 'pglite') {
      await warehouse.transaction(async (tx) => {
        await tx.exec(`${dropTablesSql(schema)};\n${createTablesSql(schema)}`);
        for (const table of RAW_TABLES) counts[table] = await copyPass(tx, schema, table, input, report);
        await writeParams(tx, schema, state);
      });
      return;
    }
    // Each stream's table comes with its twin in the other stream from one walk over the customers.
    let twins: Map<RawTable, AsyncIterable<Buffer>> | undefined;
    await stagedLoad(
      warehouse,
      schema,
      async (tx, staging, tables, signal) => {
        twins ??= new Map(
          TWINS.flatMap((pair) => {
            // Checked at each progress report (every 500 customers): a stream failed.
            const chunks = twinChunks(
              pair,
              input,
              (table, done) => {
                signal.throwIfAborted();
                report(table, done, passSize(table, input));
              },
              signal,
            );
            return [
              [pair[0], chunks[0]],
              [pair[1], chunks[1]],
            ];
          }),
        );
        for (const table of tables) {
          const chunks = twins.get(table);
          if (!chunks) throw new Error(`no twin pass writes ${table}`);
          counts[table] = await tx.copyFrom({ schema: staging, name: table }, columnsOf(table), chunks);
        }
      },
      (tx) => writeParams(tx, schema, state),
    );
  });
  const rows = Object.fromEntries(RAW_TABLES.map((t) => [t, counts[t]])) as RowCounts;
  return {
    schema,
    seed,
    customers,
    days,
    startDate: new Date(startSec * 1000),
    endDate: new Date(horizonSec * 1000),
    rows,
    params,
  };
}

/**
 * Maps each pass's customer count to one fraction of the whole run for the listener: the weighted
 * sum of every pass's own fraction, so it only grows even when passes run side by side.
 */
export function progressReporter(
  passes: readonly (RawTable | 'updates')[],
  listener: ProgressListener | undefined,
): (table: RawTable | 'updates', done: number, total: number) => void {
  const weights = passes.map((p) => PASS_WEIGHT[p]);
  const sum = weights.reduce((s, w) => s + w, 0);
  const within = passes.map(() => 0);
  return (table, done, total) => {
    if (!listener) return;
    within[passes.indexOf(table)] = total > 0 ? done / total : 1;
    const reached = weights.reduce((s, w, i) => s + w * within[i], 0);
    listener({ table, done, total, fraction: Math.min(1, reached / sum) });
  };
}
