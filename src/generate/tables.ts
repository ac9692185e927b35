/**
 * The raw tables the generator writes, their columns and DDL, and the window of arrival times a
 * pass emits. Column names are the ones `models/staging/*.sql` select; every table has `_loaded_at`,
 * the instant the row (or its latest version) arrived in the warehouse.
 */
import { qualify } from '../warehouse';

export type RawTable = 'customers' | 'orders' | 'touchpoints' | 'product_usage';
export const RAW_TABLES: readonly RawTable[] = ['customers', 'orders', 'touchpoints', 'product_usage'];
export const PARAMS_TABLE = 'generator_params';

const DEFINITIONS: Record<RawTable, [string, string][]> = {
  customers: [
    ['customer_id', 'integer not null'],
    ['signup_at', 'timestamptz not null'],
    ['country', 'text not null'],
    ['plan', 'text not null'],
    ['acquisition_channel', 'text not null'],
    ['_loaded_at', 'timestamptz not null'],
  ],
  orders: [
    ['order_id', 'integer not null'],
    ['customer_id', 'integer not null'],
    ['ordered_at', 'timestamptz not null'],
    ['revenue', 'numeric(12,2) not null'],
    ['status', 'text not null'],
    ['updated_at', 'timestamptz not null'],
    ['_loaded_at', 'timestamptz not null'],
  ],
  touchpoints: [
    ['touchpoint_id', 'bigint not null'],
    ['customer_id', 'integer not null'],
    ['touched_at', 'timestamptz not null'],
    ['channel', 'text not null'],
    ['campaign', 'text'],
    ['_loaded_at', 'timestamptz not null'],
  ],
  product_usage: [
    ['event_id', 'bigint not null'],
    ['customer_id', 'integer not null'],
    ['used_at', 'timestamptz not null'],
    ['feature', 'text not null'],
    ['_loaded_at', 'timestamptz not null'],
  ],
};

export function columnsOf(table: RawTable): string[] {
  return DEFINITIONS[table].map(([name]) => name);
}

/**
 * CREATE TABLE statements for the raw tables and the parameters. No primary keys or indexes: the
 * raw layer is an append target and COPY into bare heaps is what makes a million rows cheap; the
 * sources' `unique`/`not_null` tests check the keys instead.
 */
export function createTablesSql(schema: string): string {
  const raw = RAW_TABLES.map(
    (t) =>
      `create table ${qualify(schema, t)} (${DEFINITIONS[t].map(([n, type]) => `${n} ${type}`).join(', ')})`,
  );
  const params = `create table ${qualify(schema, PARAMS_TABLE)} (model text not null, parameter text not null, value double precision not null, primary key (model, parameter))`;
  return [...raw, params].join(';\n');
}

export function dropTablesSql(schema: string): string {
  return [...RAW_TABLES, PARAMS_TABLE].map((t) => `drop table if exists ${qualify(schema, t)}`).join(';\n');
}

/**
 * The rows a pass writes are those whose arrival (`_loaded_at`) falls in [fromSec, toSec): the
 * initial `generate` is (-inf, horizon), each `simulate` the next slice. Events happen before they
 * arrive, so a pass only needs events that happened before `toSec`.
 */
export interface LoadWindow {
  fromSec: number;
  toSec: number;
}

export function arrives(loadedSec: number, window: LoadWindow): boolean {
  return loadedSec >= window.fromSec && loadedSec < window.toSec;
}

/** The next id of each table, advanced as rows are emitted (ids follow emission order). */
export interface IdCounters {
  order: number;
  touchpoint: number;
  event: number;
}
