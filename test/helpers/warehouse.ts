/**
 * A warehouse for a test: in-memory PGlite, or Postgres at DATABASE_URL when it is set. Each call
 * creates a fresh, uniquely named schema (test files run in parallel against one Postgres database)
 * that `cleanup` drops before closing the warehouse.
 */
import { randomBytes } from 'node:crypto';
import { openWarehouse, quoteIdent, type Warehouse, type WarehouseOptions } from '../../src/warehouse';

export const DATABASE_URL = process.env.DATABASE_URL || undefined;

/** `describe` on Postgres only (when DATABASE_URL is set), skipped otherwise. */
export const describePostgres = DATABASE_URL ? describe : describe.skip;

export interface TestWarehouse {
  wh: Warehouse;
  schema: string;
  cleanup(): Promise<void>;
}

export function uniqueSchemaName(prefix = 'test'): string {
  return `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

export async function openTestWarehouse(
  options: Omit<WarehouseOptions, 'url' | 'dataDir'> = {},
): Promise<TestWarehouse> {
  const wh = await openWarehouse({ ...options, url: DATABASE_URL });
  const schema = uniqueSchemaName();
  await wh.createSchema(schema);
  return {
    wh,
    schema,
    async cleanup() {
      try {
        await wh.query(`drop schema if exists ${quoteIdent(schema)} cascade`);
      } finally {
        await wh.close();
      }
    },
  };
}
