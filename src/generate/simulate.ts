/**
 * `simulate`: advances the simulated clock and appends what arrived meanwhile, as production would.
 *
 * The histories are functions of the seed (see prng.ts), so the next slice of arrivals is exactly
 * the rows whose `_loaded_at` falls in [previous horizon, new horizon): new customers, their and
 * everyone's new touchpoints, orders and usage, touchpoints that happened long ago but arrive now
 * (late: `touched_at` before the previous horizon, often before an order already loaded), and
 * refunds of orders already loaded, applied as UPDATEs in place (status, revenue, updated_at and
 * _loaded_at change; one row per order, as stg_orders expects). New ids continue from the tables'
 * maxima. The result depends only on the recorded state and the window, so it is deterministic.
 */
import { MartqlError } from '../errors';
import { qualify, quoteIdent, type Session, type Warehouse } from '../warehouse';
import { csvChunks, formatTimestamp } from './csv-stream';
import { customersBefore } from './customers';
import { copyPass, progressReporter, type RowCounts, toEpochSeconds, writeParams } from './generate';
import { type GeneratorState, type ParamRow, stateFromRows } from './params';
import { orderUpdatePass, type PassInput } from './passes';
import type { ProgressListener } from './progress';
import { PARAMS_TABLE, RAW_TABLES } from './tables';

export interface SimulateOptions {
  /** Days to advance the clock by; 1 by default. */
  days?: number;
  schema?: string;
  /** Advance the clock to this instant instead of by `days` (must be after the current horizon). */
  now?: Date | string;
  onProgress?: ProgressListener;
}

export interface SimulateSummary {
  schema: string;
  /** The previous horizon: rows that arrived from here on were appended. */
  from: Date;
  /** The new horizon. */
  to: Date;
  /** Rows appended per table. */
  rows: RowCounts;
  /** Orders whose status and revenue changed (UPDATE in place). */
  updatedOrders: number;
  /** Appended touchpoints that happened before `from`. */
  lateTouchpoints: number;
}

const UPDATES_TABLE = 'martql_order_updates';

async function readState(tx: Session, schema: string): Promise<GeneratorState> {
  const table = qualify(schema, PARAMS_TABLE);
  if (!(await tx.getRelation(schema, PARAMS_TABLE))) {
    throw new MartqlError('DATABASE', `${table} does not exist`, { hint: 'run `martql generate` first' });
  }
  const result = await tx.query<ParamRow>(`select model, parameter, value from ${table}`);
  return stateFromRows(result.rows, table);
}

async function nextId(tx: Session, schema: string, table: string, column: string): Promise<number> {
  const result = await tx.query<{ next: number }>(
    `select coalesce(max(${quoteIdent(column)}), 0) + 1 as next from ${qualify(schema, table)}`,
  );
  return Number(result.rows[0].next);
}

export async function simulate(
  warehouse: Warehouse,
  options: SimulateOptions = {},
): Promise<SimulateSummary> {
  const schema = options.schema ?? 'raw';
  const days = options.days ?? 1;
  if (options.now === undefined && !(Number.isSafeInteger(days) && days >= 1)) {
    throw new MartqlError('PROJECT_CONFIG', `days must be a whole number of at least 1, not ${days}`);
  }
  const passes = [...RAW_TABLES, 'updates'] as const;
  const report = progressReporter(passes, options.onProgress);

  return warehouse.withLock(`martql.generate.${schema}`, () =>
    warehouse.transaction(async (tx) => {
      const state = await readState(tx, schema);
      const fromSec = state.horizonSec;
      const toSec = options.now === undefined ? fromSec + days * 86400 : toEpochSeconds('now', options.now);
      if (toSec <= fromSec) {
        throw new MartqlError(
          'PROJECT_CONFIG',
          `now (${formatTimestamp(toSec)}) must be after the data's horizon ${formatTimestamp(fromSec)}`,
        );
      }
      const input: PassInput = {
        state,
        window: { fromSec, toSec },
        customers: customersBefore(state, toSec),
        customersBefore: customersBefore(state, fromSec),
        ids: {
          order: await nextId(tx, schema, 'orders', 'order_id'),
          touchpoint: await nextId(tx, schema, 'touchpoints', 'touchpoint_id'),
          event: await nextId(tx, schema, 'product_usage', 'event_id'),
        },
      };
      const rows = {} as RowCounts;
      for (const table of RAW_TABLES) rows[table] = await copyPass(tx, schema, table, input, report);
      const updatedOrders = await applyOrderUpdates(tx, schema, input, (done, total) =>
        report('updates', done, total),
      );
      const late = await tx.query<{ n: number }>(
        `select count(*) as n from ${qualify(schema, 'touchpoints')} where _loaded_at >= $1 and touched_at < $1`,
        [new Date(fromSec * 1000)],
      );
      await writeParams(tx, schema, { ...state, horizonSec: toSec });
      return {
        schema,
        from: new Date(fromSec * 1000),
        to: new Date(toSec * 1000),
        rows,
        updatedOrders,
        lateTouchpoints: Number(late.rows[0].n),
      };
    }),
  );
}

/** COPYs the window's order updates into a temporary table, then applies them in one UPDATE. */
async function applyOrderUpdates(
  tx: Session,
  schema: string,
  input: PassInput,
  progress: (done: number, total: number) => void,
): Promise<number> {
  await tx.query(
    `create temporary table ${UPDATES_TABLE} (customer_id integer, ordered_at timestamptz, revenue numeric(12,2), status text, updated_at timestamptz, _loaded_at timestamptz) on commit drop`,
  );
  const columns = ['customer_id', 'ordered_at', 'revenue', 'status', 'updated_at', '_loaded_at'];
  const lines = orderUpdatePass(input, (done) => progress(done, input.customers));
  const staged = await tx.copyFrom({ schema: 'pg_temp', name: UPDATES_TABLE }, columns, csvChunks(lines));
  if (staged === 0) return 0;
  const result = await tx.query(
    `update ${qualify(schema, 'orders')} o
        set revenue = u.revenue, status = u.status, updated_at = u.updated_at, _loaded_at = u._loaded_at
       from pg_temp.${UPDATES_TABLE} u
      where o.customer_id = u.customer_id and o.ordered_at = u.ordered_at`,
  );
  return result.rowCount;
}
