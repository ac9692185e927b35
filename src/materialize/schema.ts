/**
 * Creating the model's schema on first use, as dbt does before building into it. Parallel builds
 * into one new schema can race on CREATE SCHEMA IF NOT EXISTS (a unique violation in the catalog),
 * so a failure is only an error when the schema still does not exist afterwards.
 */
import type { Warehouse } from '../warehouse';

export async function ensureSchema(warehouse: Warehouse, schema: string): Promise<void> {
  if (await warehouse.schemaExists(schema)) return;
  try {
    await warehouse.createSchema(schema);
  } catch (err) {
    if (!(await warehouse.schemaExists(schema))) throw err;
  }
}
