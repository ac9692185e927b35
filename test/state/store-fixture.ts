/**
 * A state store for one test file: a fresh warehouse (PGlite, or Postgres at DATABASE_URL), a
 * schema for the test's own tables (`t.schema`), and a uniquely named state schema, both dropped
 * by `cleanup`.
 */
import { openStateStore, type StateStore, type StateStoreOptions } from '../../src/state';
import { quoteIdent } from '../../src/warehouse';
import { openTestWarehouse, uniqueSchemaName, type TestWarehouse } from '../helpers/warehouse';

export interface TestStore extends TestWarehouse {
  store: StateStore;
  stateSchema: string;
}

export async function openTestStore(options: Omit<StateStoreOptions, 'schema'> = {}): Promise<TestStore> {
  const t = await openTestWarehouse();
  const stateSchema = uniqueSchemaName('state');
  const store = await openStateStore(t.wh, { ...options, schema: stateSchema });
  return {
    ...t,
    store,
    stateSchema,
    async cleanup() {
      try {
        await t.wh.query(`drop schema if exists ${quoteIdent(stateSchema)} cascade`);
      } finally {
        await t.cleanup();
      }
    },
  };
}

/** A RunRecord with defaults, for tests that care about a few fields. */
export function run(
  overrides: Partial<import('../../src/state').RunRecord> & { uniqueId: string },
): import('../../src/state').RunRecord {
  return {
    invocationId: 'inv-1',
    resourceType: 'model',
    kind: 'full',
    status: 'success',
    trigger: 'cli',
    startedAt: new Date(Date.now() - 1000),
    completedAt: new Date(),
    durationMs: 1000,
    ...overrides,
  };
}
