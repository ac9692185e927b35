import { MartqlError } from '../../src/errors';
import { currentVersion, LATEST_VERSION, openStateStore } from '../../src/state';
import { checkMigrations } from '../../src/state/migrate';
import { MIGRATIONS, type Migration } from '../../src/state/migrations';
import { openWarehouse, quoteIdent, type Warehouse } from '../../src/warehouse';
import { DATABASE_URL, describePostgres, uniqueSchemaName } from '../helpers/warehouse';

let wh: Warehouse;
const schemas: string[] = [];
beforeAll(async () => {
  wh = await openWarehouse({ url: DATABASE_URL });
});
afterAll(async () => {
  for (const schema of schemas) await wh.query(`drop schema if exists ${quoteIdent(schema)} cascade`);
  await wh.close();
});

function newSchema(): string {
  const schema = uniqueSchemaName('state');
  schemas.push(schema);
  return schema;
}

const versions = async (schema: string) =>
  (
    await wh.query<{ version: number; name: string }>(
      `select version, name from ${quoteIdent(schema)}.schema_version order by version`,
    )
  ).rows;

const tables = async (schema: string) => (await wh.listRelations(schema)).map((r) => r.name).sort();

describe('migrate', () => {
  it('creates the schema and every table from nothing', async () => {
    const schema = newSchema();
    expect(await wh.schemaExists(schema)).toBe(false);
    expect(await currentVersion(wh, schema)).toBe(0);

    const store = await openStateStore(wh, { schema });

    expect(store.migration).toEqual({
      from: 0,
      to: LATEST_VERSION,
      applied: MIGRATIONS.map((m) => m.version),
    });
    expect(await currentVersion(wh, schema)).toBe(LATEST_VERSION);
    expect(await versions(schema)).toEqual([{ version: 1, name: 'initial' }]);
    expect(await tables(schema)).toEqual([
      'invocations',
      'model_state',
      'run_history',
      'schema_version',
      'source_versions',
      'test_results',
    ]);
  });

  it('does nothing when opened again', async () => {
    const schema = newSchema();
    await openStateStore(wh, { schema });
    const again = await openStateStore(wh, { schema });
    expect(again.migration).toEqual({ from: LATEST_VERSION, to: LATEST_VERSION, applied: [] });
    expect(await versions(schema)).toHaveLength(MIGRATIONS.length);
  });

  it('migrates once when several stores open at once in one process', async () => {
    const schema = newSchema();
    const stores = await Promise.all([1, 2, 3].map(() => openStateStore(wh, { schema })));
    expect(stores.map((s) => s.migration.applied.length).sort()).toEqual([0, 0, MIGRATIONS.length]);
    expect(await versions(schema)).toHaveLength(MIGRATIONS.length);
  });

  it('refuses a state schema from a newer MartQL', async () => {
    const schema = newSchema();
    await openStateStore(wh, { schema });
    await wh.query(
      `insert into ${quoteIdent(schema)}.schema_version (version, name) values ($1, 'from the future')`,
      [LATEST_VERSION + 1],
    );
    const err = await openStateStore(wh, { schema }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MartqlError);
    expect((err as MartqlError).message).toBe(
      `the state schema "${schema}" is at version ${LATEST_VERSION + 1}, but this MartQL knows versions up to ${LATEST_VERSION}`,
    );
    expect((err as MartqlError).data).toMatchObject({
      reason: 'state-schema-too-new',
      found: LATEST_VERSION + 1,
    });
  });

  it('applies only the migrations above the current version, recording each', async () => {
    const schema = newSchema();
    await openStateStore(wh, { schema });
    const second: Migration = {
      version: 2,
      name: 'add_notes',
      statements: (s) => [`alter table ${s}.invocations add column notes text`],
    };
    const store = await openStateStore(wh, {
      schema,
      migrations: [...MIGRATIONS, second],
      martqlVersion: '9.9.9',
    });
    expect(store.migration).toEqual({ from: 1, to: 2, applied: [2] });
    expect(await versions(schema)).toEqual([
      { version: 1, name: 'initial' },
      { version: 2, name: 'add_notes' },
    ]);
    const cols = (await wh.getColumns(schema, 'invocations')).map((c) => c.name);
    expect(cols).toContain('notes');
    // This code (which knows only version 1) now refuses the schema.
    await expect(openStateStore(wh, { schema })).rejects.toThrow(/is at version 2/);
  });

  it('rolls a failing migration back entirely', async () => {
    const schema = newSchema();
    await openStateStore(wh, { schema });
    const broken: Migration = {
      version: 2,
      name: 'broken',
      statements: (s) => [`create table ${s}.half_done (id int)`, `select 1/0`],
    };
    await expect(openStateStore(wh, { schema, migrations: [...MIGRATIONS, broken] })).rejects.toThrow();
    expect(await currentVersion(wh, schema)).toBe(1);
    expect(await wh.getRelation(schema, 'half_done')).toBeNull();
  });

  it('rolls back the first migration too, leaving no schema behind', async () => {
    const schema = newSchema();
    const broken: Migration = { version: 1, name: 'broken', statements: () => ['select 1/0'] };
    await expect(openStateStore(wh, { schema, migrations: [broken] })).rejects.toThrow();
    expect(await wh.schemaExists(schema)).toBe(false);
  });

  it('requires migration versions 1, 2, 3, ...', () => {
    const m = (version: number): Migration => ({ version, name: `m${version}`, statements: () => [] });
    expect(() => checkMigrations([m(1), m(2)])).not.toThrow();
    expect(() => checkMigrations([m(1), m(3)])).toThrow('state migration "m3" has version 3, expected 2');
    expect(() => checkMigrations([m(2)])).toThrow(MartqlError);
  });
});

describePostgres('migrate across processes (Postgres)', () => {
  it('migrates once when several warehouses open one store at once', async () => {
    const schema = newSchema();
    const others = await Promise.all(
      [1, 2, 3, 4].map(() => openWarehouse({ url: DATABASE_URL, poolSize: 2 })),
    );
    try {
      const stores = await Promise.all(others.map((other) => openStateStore(other, { schema })));
      expect(stores.map((s) => s.migration.applied.length).sort()).toEqual([0, 0, 0, MIGRATIONS.length]);
      expect(await versions(schema)).toHaveLength(MIGRATIONS.length);
    } finally {
      await Promise.all(others.map((other) => other.close()));
    }
  });
});
