/** Shared by the generator tests: a warehouse with extra schemas, and a database-independent table hash. */
import { createHash } from 'node:crypto';
import { qualify, quoteIdent, type Warehouse } from '../../src/warehouse';
import { RAW_TABLES } from '../../src/generate';
import { openTestWarehouse, type TestWarehouse } from '../helpers/warehouse';

/** The sort key of each raw table (its id). */
export const KEYS: Record<string, string> = {
  customers: 'customer_id',
  orders: 'order_id',
  touchpoints: 'touchpoint_id',
  product_usage: 'event_id',
  generator_params: 'model, parameter',
};

/**
 * sha256 of a table's rows in key order, with timestamps as epoch seconds and numerics as text, so
 * the hash does not depend on the session's time zone or the driver: the same on PGlite and Postgres.
 */
export async function tableHash(wh: Warehouse, schema: string, table: string): Promise<string> {
  const columns = await wh.getColumns(schema, table);
  const select = columns
    .map((c) =>
      c.dataType.startsWith('timestamp')
        ? `extract(epoch from ${quoteIdent(c.name)})::bigint::text`
        : `${quoteIdent(c.name)}::text`,
    )
    .join(', ');
  const result = await wh.query(`select ${select} from ${qualify(schema, table)} order by ${KEYS[table]}`);
  const hash = createHash('sha256');
  for (const row of result.rows) hash.update(`${JSON.stringify(Object.values(row))}\n`);
  return hash.digest('hex');
}

/** `tableHash` of every raw table and of `generator_params`, by table. */
export async function tableHashes(wh: Warehouse, schema: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of [...RAW_TABLES, 'generator_params']) out[table] = await tableHash(wh, schema, table);
  return out;
}

export interface GeneratorTestWarehouse extends TestWarehouse {
  /** A further fresh schema, dropped by cleanup. */
  extraSchema(suffix: string): Promise<string>;
}

export async function openGeneratorWarehouse(): Promise<GeneratorTestWarehouse> {
  const t = await openTestWarehouse();
  const extras: string[] = [];
  return {
    ...t,
    async extraSchema(suffix: string) {
      const schema = `${t.schema}_${suffix}`;
      await t.wh.createSchema(schema);
      extras.push(schema);
      return schema;
    },
    async cleanup() {
      for (const schema of extras) await t.wh.query(`drop schema if exists ${quoteIdent(schema)} cascade`);
      await t.cleanup();
    },
  };
}

export async function count(wh: Warehouse, sql: string, params?: unknown[]): Promise<number> {
  const result = await wh.query<{ n: number }>(sql, params);
  return Number(result.rows[0].n);
}
