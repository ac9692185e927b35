/**
 * TypeScript models: a `.ts` file under a model path whose default export is `defineModel({...})`.
 *
 * Some marts need computation SQL does badly (maximum-likelihood fits, Markov chains). Such a model
 * declares what it reads (`refs`, `sources`) and the columns it returns, and `run()` computes its
 * rows; MartQL stores them with COPY and swaps them in like a table model, so it takes part in the
 * DAG, selection, tests, history and (later) GraphQL exactly as a SQL model does.
 *
 *     import { defineModel } from 'martql';
 *     export default defineModel({
 *       refs: ['stg_orders'],
 *       columns: { customer_id: 'integer', predicted_clv: 'double precision' },
 *       async run(ctx) {
 *         const orders = await ctx.query(`select customer_id, revenue from ${ctx.ref('stg_orders')}`);
 *         return computeClv(orders);
 *       },
 *     });
 */
import type { TargetInfo } from '../jinja/context/node-context';

export interface TsModelContext {
  /** The rendered relation of a model or seed (`"schema"."name"`), as `ref()` in SQL. */
  ref(name: string, packageName?: string): string;
  /** The rendered relation of a source table. */
  source(sourceName: string, tableName: string): string;
  /** Runs a query (values as `$1` parameters) and returns its rows. */
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** A project variable, as `var()` in SQL. */
  var(name: string, fallback?: unknown): unknown;
  /** This model's relation, rendered. */
  readonly this: string;
  readonly target: TargetInfo;
  readonly config: Record<string, unknown>;
  log(message: string): void;
}

/** A row: one value per declared column (missing keys are NULL). */
export type TsModelRow = Record<string, unknown>;

export interface TsModelDefinition<Row extends TsModelRow = TsModelRow> {
  /** Models and seeds read, by name or as `[package, name]`. */
  refs?: (string | [string, string])[];
  /** Sources read, as `[source, table]`. */
  sources?: [string, string][];
  /** Config as `config()` would set it; the model is always built as a table. */
  config?: Record<string, unknown>;
  /** The columns `run` returns, in order, with their Postgres types. */
  columns: Record<string, string>;
  run(ctx: TsModelContext): Promise<Row[]>;
}

export function defineModel<Row extends TsModelRow>(
  definition: TsModelDefinition<Row>,
): TsModelDefinition<Row> {
  return definition;
}
