import { changeTriggerName, openStateStore } from '../../src/state';
import { qualify, quoteIdent } from '../../src/warehouse';
import { DATABASE_URL, describePostgres, uniqueSchemaName } from '../helpers/warehouse';
import { openWarehouse } from '../../src/warehouse';
import { openTestStore, type TestStore } from './store-fixture';

let t: TestStore;
beforeAll(async () => {
  t = await openTestStore();
});
afterAll(() => t?.cleanup());

async function createTable(name: string): Promise<string> {
  const table = qualify(t.schema, name);
  await t.wh.query(`create table ${table} (id int primary key, v text)`);
  return table;
}

const version = async (name: string) =>
  (await t.store.sourceVersions([{ schema: t.schema, name }]))[0].version;

describe('change triggers', () => {
  it('bump the version once per insert, update, delete and truncate statement', async () => {
    const table = await createTable('orders');
    await t.store.installChangeTrigger(t.schema, 'orders');
    expect(await t.store.sourceVersions([{ schema: t.schema, name: 'orders' }])).toEqual([
      { schema: t.schema, name: 'orders', version: 0, changedAt: null, tracked: true },
    ]);

    await t.wh.query(`insert into ${table} select g, 'v' || g from generate_series(1, 1000) g`);
    expect(await version('orders')).toBe(1);
    await t.wh.query(`update ${table} set v = 'changed' where id <= 500`);
    expect(await version('orders')).toBe(2);
    await t.wh.query(`delete from ${table} where id > 900`);
    expect(await version('orders')).toBe(3);
    await t.wh.query(`truncate ${table}`);
    expect(await version('orders')).toBe(4);
    const [row] = await t.store.sourceVersions([{ schema: t.schema, name: 'orders' }]);
    expect(Date.parse(row.changedAt!)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('count every statement, one per statement, inside a transaction', async () => {
    const table = await createTable('lines');
    await t.store.installChangeTrigger(t.schema, 'lines');
    await t.wh.transaction(async (tx) => {
      await tx.query(`insert into ${table} values (1, 'a'), (2, 'b'), (3, 'c')`);
      await tx.query(`insert into ${table} values (4, 'd')`);
    });
    expect(await version('lines')).toBe(2);
  });

  it('do not bump for a change that rolls back', async () => {
    const table = await createTable('rolled');
    await t.store.installChangeTrigger(t.schema, 'rolled');
    await expect(
      t.wh.transaction(async (tx) => {
        await tx.query(`insert into ${table} values (1, 'a')`);
        throw new Error('abandon');
      }),
    ).rejects.toThrow('abandon');
    expect(await version('rolled')).toBe(0);
  });

  it('can be installed twice without double counting, and removed', async () => {
    const table = await createTable('twice');
    await t.store.installChangeTrigger(t.schema, 'twice');
    await t.store.installChangeTrigger(t.schema, 'twice');
    await t.wh.query(`insert into ${table} values (1, 'a')`);
    expect(await version('twice')).toBe(1);

    await t.store.removeChangeTrigger(t.schema, 'twice');
    await t.wh.query(`insert into ${table} values (2, 'b')`);
    expect(await version('twice')).toBe(1);
  });

  it('quote awkward table names', async () => {
    const name = `Odd "name"; drop table x; --'`;
    const table = await createTable(name);
    await t.store.installChangeTrigger(t.schema, name);
    await t.wh.query(`insert into ${table} values (1, 'a')`);
    expect(await version(name)).toBe(1);
  });

  it('keep one counter per state schema on a shared source table', async () => {
    const table = await createTable('shared');
    const otherSchema = uniqueSchemaName('state');
    const other = await openStateStore(t.wh, { schema: otherSchema });
    try {
      await t.store.installChangeTrigger(t.schema, 'shared');
      await t.wh.query(`insert into ${table} values (1, 'a')`);
      await other.installChangeTrigger(t.schema, 'shared');
      await t.wh.query(`insert into ${table} values (2, 'b')`);
      expect(await version('shared')).toBe(2);
      expect((await other.sourceVersions([{ schema: t.schema, name: 'shared' }]))[0].version).toBe(1);
      expect(changeTriggerName(otherSchema)).not.toBe(changeTriggerName(t.stateSchema));
      expect(changeTriggerName('martql')).toBe('martql_source_version');
    } finally {
      await t.wh.query(`drop schema ${quoteIdent(otherSchema)} cascade`);
    }
  });

  it('bump for a statement that touched no rows: a statement is counted, not its rows', async () => {
    const table = await createTable('no_rows');
    await t.store.installChangeTrigger(t.schema, 'no_rows');
    await t.wh.query(`update ${table} set v = 'x' where false`);
    expect(await version('no_rows')).toBe(1);
  });
});

describePostgres('change triggers across connections (Postgres)', () => {
  it('count concurrent writers to one table once each', async () => {
    const table = await createTable('concurrent');
    await t.store.installChangeTrigger(t.schema, 'concurrent');
    const writers = await Promise.all([1, 2, 3].map(() => openWarehouse({ url: DATABASE_URL, poolSize: 2 })));
    try {
      await Promise.all(
        writers.flatMap((w, i) =>
          [0, 1, 2, 3, 4].map((k) => w.query(`insert into ${table} values ($1, 'x')`, [i * 100 + k])),
        ),
      );
      expect(await version('concurrent')).toBe(15);
    } finally {
      await Promise.all(writers.map((w) => w.close()));
    }
  });

  it('work for a writer with no rights on the state schema (security definer)', async () => {
    const table = await createTable('loaded');
    await t.store.installChangeTrigger(t.schema, 'loaded');
    const role = uniqueSchemaName('loader');
    await t.wh.query(`create role ${quoteIdent(role)}`);
    try {
      await t.wh.query(`grant usage on schema ${quoteIdent(t.schema)} to ${quoteIdent(role)}`);
      await t.wh.query(`grant insert on ${table} to ${quoteIdent(role)}`);
      const { rows } = await t.wh.query<{ usage: boolean }>(
        'select has_schema_privilege($1, $2, $3) as usage',
        [role, t.stateSchema, 'USAGE'],
      );
      expect(rows[0].usage).toBe(false);
      await t.wh.transaction(async (tx) => {
        await tx.query(`set local role ${quoteIdent(role)}`);
        await tx.query(`insert into ${table} values (1, 'a')`);
      });
      expect(await version('loaded')).toBe(1);
    } finally {
      await t.wh.query(`drop owned by ${quoteIdent(role)}`);
      await t.wh.query(`drop role ${quoteIdent(role)}`);
    }
  });
});

describe('sourceVersions', () => {
  it('reads many tables in one call, in the order asked, untracked ones as version 0', async () => {
    const names = Array.from({ length: 40 }, (_, i) => `many_${String(i).padStart(2, '0')}`);
    for (const name of names) await createTable(name);
    for (const name of names.filter((_, i) => i % 2 === 0))
      await t.store.installChangeTrigger(t.schema, name);
    for (const [i, name] of names.entries()) {
      for (let k = 0; k < i % 4; k++)
        await t.wh.query(`insert into ${qualify(t.schema, name)} values (${k}, 'x')`);
    }
    const asked = [...names].reverse().map((name) => ({ schema: t.schema, name }));
    asked.push({ schema: 'no_such_schema', name: 'nothing' });

    const versions = await t.store.sourceVersions(asked);
    expect(versions.map((v) => v.name)).toEqual(asked.map((a) => a.name));
    for (const v of versions.slice(0, names.length)) {
      const i = names.indexOf(v.name);
      expect([v.name, v.version, v.tracked]).toEqual([v.name, i % 2 === 0 ? i % 4 : 0, i % 2 === 0]);
    }
    expect(versions[names.length]).toEqual({
      schema: 'no_such_schema',
      name: 'nothing',
      version: 0,
      changedAt: null,
      tracked: false,
    });
    expect(await t.store.sourceVersions([])).toEqual([]);
  });

  it('counts manual bumps for tables without triggers', async () => {
    expect(await t.store.bumpSourceVersion('ext', 'foreign_orders')).toBe(1);
    expect(await t.store.bumpSourceVersion('ext', 'foreign_orders')).toBe(2);
    expect(await t.store.sourceVersions([{ schema: 'ext', name: 'foreign_orders' }])).toEqual([
      expect.objectContaining({ version: 2, tracked: true }),
    ]);
  });
});
