import { qualify } from '../../src/warehouse';
import { openTestWarehouse, type TestWarehouse, uniqueSchemaName } from '../helpers/warehouse';

let t: TestWarehouse;
beforeAll(async () => {
  t = await openTestWarehouse();
  const s = (name: string) => qualify(t.schema, name);
  await t.wh.exec(`
    create table ${s('orders')} (
      id integer primary key,
      code character varying(20),
      amount numeric(10,2) not null,
      placed_at timestamp,
      "Mixed Col" text,
      dropped int,
      tags text[]
    );
    alter table ${s('orders')} drop column dropped;
    create view ${s('big_orders')} as select id, amount from ${s('orders')} where amount > 100;
    create materialized view ${s('order_totals')} as select sum(amount) as total from ${s('orders')};
    create table ${s('events')} (id int, at date) partition by range (at);
  `);
});
afterAll(() => t?.cleanup());

describe('relations', () => {
  it('finds tables, views, materialized and partitioned tables', async () => {
    expect(await t.wh.getRelation(t.schema, 'orders')).toEqual({
      schema: t.schema,
      name: 'orders',
      type: 'table',
    });
    expect(await t.wh.getRelation(t.schema, 'big_orders')).toMatchObject({ type: 'view' });
    expect(await t.wh.getRelation(t.schema, 'order_totals')).toMatchObject({ type: 'materialized_view' });
    expect(await t.wh.getRelation(t.schema, 'events')).toMatchObject({ type: 'partitioned_table' });
  });

  it('is exact and case-sensitive, and null when missing', async () => {
    expect(await t.wh.getRelation(t.schema, 'ORDERS')).toBeNull();
    expect(await t.wh.getRelation(t.schema, 'nope')).toBeNull();
    expect(await t.wh.getRelation('no_such_schema', 'orders')).toBeNull();
    expect(t.wh.getRelationSync(t.schema, 'orders')?.type).toBe('table');
    expect(t.wh.getRelationSync(t.schema, 'nope')).toBeNull();
  });

  it('lists the relations of a schema by name', async () => {
    const names = (await t.wh.listRelations(t.schema)).map((r) => `${r.name}:${r.type}`);
    expect(names).toEqual([
      'big_orders:view',
      'events:partitioned_table',
      'order_totals:materialized_view',
      'orders:table',
    ]);
    expect(await t.wh.listRelations(uniqueSchemaName('absent'))).toEqual([]);
  });
});

describe('columns', () => {
  it('reports format_type, dense ordinals and nullability, skipping dropped columns', async () => {
    expect(await t.wh.getColumns(t.schema, 'orders')).toEqual([
      { name: 'id', dataType: 'integer', ordinal: 1, nullable: false },
      { name: 'code', dataType: 'character varying(20)', ordinal: 2, nullable: true },
      { name: 'amount', dataType: 'numeric(10,2)', ordinal: 3, nullable: false },
      { name: 'placed_at', dataType: 'timestamp without time zone', ordinal: 4, nullable: true },
      { name: 'Mixed Col', dataType: 'text', ordinal: 5, nullable: true },
      { name: 'tags', dataType: 'text[]', ordinal: 6, nullable: true },
    ]);
  });

  it('works for views, synchronously too, and is empty for a missing relation', async () => {
    expect(t.wh.getColumnsSync(t.schema, 'big_orders').map((c) => [c.name, c.dataType])).toEqual([
      ['id', 'integer'],
      ['amount', 'numeric(10,2)'],
    ]);
    expect(await t.wh.getColumns(t.schema, 'missing')).toEqual([]);
  });

  it('sees a table created inside an open transaction through the transaction session', async () => {
    await t.wh
      .transaction(async (tx) => {
        await tx.query(`create table ${qualify(t.schema, 'fresh')} (x bigint)`);
        expect(tx.getColumnsSync(t.schema, 'fresh')).toEqual([
          { name: 'x', dataType: 'bigint', ordinal: 1, nullable: true },
        ]);
        expect(await tx.getRelation(t.schema, 'fresh')).toMatchObject({ type: 'table' });
        throw new Error('roll back');
      })
      .catch(() => undefined);
    expect(await t.wh.getRelation(t.schema, 'fresh')).toBeNull();
  });
});

describe('schemas', () => {
  it('creates a schema once and reports its existence', async () => {
    const name = uniqueSchemaName('Odd "Schema"');
    expect(await t.wh.schemaExists(name)).toBe(false);
    await t.wh.createSchema(name);
    await t.wh.createSchema(name);
    expect(await t.wh.schemaExists(name)).toBe(true);
    await t.wh.query(`drop schema ${qualify(name, 'x').split('.')[0]}`);
  });

  it('reports a server version number, asking the server once', async () => {
    const spy = jest.spyOn(t.wh, 'query');
    try {
      const version = await t.wh.serverVersionNum();
      expect(version).toBeGreaterThanOrEqual(150000);
      const { rows } = await t.wh.query<{ v: string }>("select current_setting('server_version_num') as v");
      expect(version).toBe(Number(rows[0].v));
      spy.mockClear();
      expect(await Promise.all([t.wh.serverVersionNum(), t.wh.serverVersionNum()])).toEqual([
        version,
        version,
      ]);
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });
});
