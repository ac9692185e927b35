/**
 * `generate` on Postgres: the raw tables load through two connections at once, into a staging
 * schema, and then move into place in one short transaction.
 *
 * Why: one COPY stream keeps one Postgres backend busy while this thread generates the rows, so the
 * load runs at the speed of the slower of the two; with two streams two backends parse and insert
 * side by side (each table still arrives in one stream, in generation order, so ids and rows are
 * what one stream loads). Two connections cannot share a transaction, so atomicity comes from the
 * staging schema instead: readers keep seeing the old tables until the swap (drop the old tables,
 * `alter table ... set schema` the new ones) commits, and a failed or interrupted load only drops
 * the staging schema. A staging schema left behind by a crash is dropped by the next run, which holds
 * the same lock. PGlite has one connection, so it keeps the single-transaction load.
 */
import { createHash } from 'node:crypto';
import { qualify, quoteIdent, type Session, type Warehouse } from '../warehouse';
import { createTablesSql, dropTablesSql, PARAMS_TABLE, RAW_TABLES, type RawTable } from './tables';

/**
 * The tables of each stream, balanced by bytes (touchpoints ~45%, usage ~45%, orders ~8% and
 * customers ~4% of the CSV). A table and the one at the same place in the other stream are written
 * by one walk over the customers (`twin-passes.ts`), so they load side by side.
 */
export const STREAMS: readonly (readonly RawTable[])[] = [
  ['touchpoints', 'customers'],
  ['product_usage', 'orders'],
];

/** Loads one stream's tables into `staging`; should stop (throw) soon after `signal` aborts. */
export type StreamLoader = (
  session: Session,
  staging: string,
  tables: readonly RawTable[],
  signal: AbortSignal,
) => Promise<void>;

/**
 * `<schema>__martql_load`; a name too long for Postgres's 63 bytes is cut (by whole characters) and
 * gets a hash of the full name, so two long schemas alike at the start never share a staging schema.
 */
export function stagingSchemaOf(schema: string): string {
  const suffix = '__martql_load';
  if (Buffer.byteLength(schema) + suffix.length <= 63) return schema + suffix;
  const hashed = `_${createHash('sha256').update(schema).digest('hex').slice(0, 8)}${suffix}`;
  const chars = Array.from(schema);
  while (Buffer.byteLength(chars.join('')) + hashed.length > 63) chars.pop();
  return chars.join('') + hashed;
}

/**
 * Runs `load` for each stream in parallel on its own connection, then swaps the staged tables into
 * `schema`; `finish` runs in the swap transaction (after the move) for the small writes that follow.
 * Call under the generator's lock for `schema`.
 */
export async function stagedLoad(
  warehouse: Warehouse,
  schema: string,
  load: StreamLoader,
  finish: (tx: Session) => Promise<void>,
): Promise<void> {
  const staging = stagingSchemaOf(schema);
  const dropStaging = `drop schema if exists ${quoteIdent(staging)} cascade`;
  await warehouse.exec(`${dropStaging};\ncreate schema ${quoteIdent(staging)};\n${createTablesSql(staging)}`);
  try {
    const abort = new AbortController();
    const results = await Promise.allSettled(
      STREAMS.map((tables) =>
        warehouse
          .transaction((tx) => load(tx, staging, tables, abort.signal))
          .catch((err: unknown) => {
            abort.abort(err); // the other stream stops too, rather than loading for nothing
            throw err;
          }),
      ),
    );
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    await warehouse.transaction(async (tx) => {
      const move = [...RAW_TABLES, PARAMS_TABLE].map(
        (t) => `alter table ${qualify(staging, t)} set schema ${quoteIdent(schema)}`,
      );
      await tx.exec(`${dropTablesSql(schema)};\n${move.join(';\n')}`);
      await finish(tx);
    });
  } finally {
    await warehouse.exec(dropStaging).catch(() => undefined);
  }
}
