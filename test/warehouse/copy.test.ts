import { MartqlError } from '../../src/errors';
import { qualify } from '../../src/warehouse';
import { openTestWarehouse, type TestWarehouse } from '../helpers/warehouse';

let t: TestWarehouse;
let n = 0;
beforeAll(async () => {
  t = await openTestWarehouse();
});
afterAll(() => t?.cleanup());

/** A new table `(id int, name text, note text)`; returns its name. */
async function freshTable(): Promise<{ schema: string; name: string }> {
  const table = { schema: t.schema, name: `load_${++n}` };
  await t.wh.query(`create table ${qualify(table.schema, table.name)} (id int, name text, note text)`);
  return table;
}

async function rowsOf(table: { schema: string; name: string }) {
  return (await t.wh.query(`select * from ${qualify(table.schema, table.name)} order by id`)).rows;
}

async function* chunks(...parts: (string | Buffer)[]) {
  for (const part of parts) yield part;
}

describe('copyFrom', () => {
  it('loads CSV with quoted fields, embedded newlines and quotes; empty is NULL, "" is empty', async () => {
    const table = await freshTable();
    const csv = '1,"Smith, John","line one\nline two"\n2,"say ""hi""",\n3,"",x\n';
    expect(await t.wh.copyFrom(table, ['id', 'name', 'note'], csv)).toBe(3);
    expect(await rowsOf(table)).toEqual([
      { id: 1, name: 'Smith, John', note: 'line one\nline two' },
      { id: 2, name: 'say "hi"', note: null },
      { id: 3, name: '', note: 'x' },
    ]);
  });

  it('loads a subset of columns from chunks split anywhere, strings and Buffers mixed', async () => {
    const table = await freshTable();
    const loaded = await t.wh.copyFrom(
      table,
      ['name', 'id'],
      chunks('a', 'lpha,1\nbe', Buffer.from('ta,2\n"gam\nma",3\n')),
    );
    expect(loaded).toBe(3);
    expect((await rowsOf(table)).map((r) => r.name)).toEqual(['alpha', 'beta', 'gam\nma']);
  });

  it('honours delimiter and nullString', async () => {
    const table = await freshTable();
    await t.wh.copyFrom(table, ['id', 'name', 'note'], '1|a|NA\n2||b\n', {
      delimiter: '|',
      nullString: 'NA',
    });
    expect(await rowsOf(table)).toEqual([
      { id: 1, name: 'a', note: null },
      { id: 2, name: '', note: 'b' },
    ]);
  });

  it('loads 100k rows', async () => {
    const table = await freshTable();
    async function* rows() {
      for (let i = 0; i < 100_000; i++) yield `${i},name ${i},"note, ${i}"\n`;
    }
    const started = Date.now();
    expect(await t.wh.copyFrom(table, ['id', 'name', 'note'], rows())).toBe(100_000);
    const ms = Date.now() - started;
    const { rows: stats } = await t.wh.query(
      `select count(*) as c, sum(id) as s from ${qualify(table.schema, table.name)}`,
    );
    expect(stats[0]).toEqual({ c: 100_000, s: 4999950000 });
    expect(ms).toBeLessThan(30_000);
  });

  it('fails with the SQLSTATE on bad data and loads nothing', async () => {
    const table = await freshTable();
    const err = await t.wh.copyFrom(table, ['id', 'name'], '1,a\nnot-a-number,b\n').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MartqlError);
    expect((err as MartqlError).data?.sqlstate).toBe('22P02');
    expect(await rowsOf(table)).toEqual([]);
    expect((await t.wh.query('select 1 as ok')).rows).toEqual([{ ok: 1 }]);
  });

  it('aborts when the input fails, loading nothing', async () => {
    const table = await freshTable();
    async function* failing() {
      yield '1,a,b\n';
      throw new Error('the source broke');
    }
    await expect(t.wh.copyFrom(table, ['id', 'name', 'note'], failing())).rejects.toThrow('the source broke');
    expect(await rowsOf(table)).toEqual([]);
  });

  it('aborts when the input fails after several batches are in flight, and the connection stays usable', async () => {
    const table = await freshTable();
    const line = `1,${'x'.repeat(100)},y\n`;
    async function* failingLate() {
      for (let i = 0; i < 40_000; i++) yield line; // ~4 MB: several 1 MB batches sent before the failure
      throw new Error('the source broke late');
    }
    await expect(t.wh.copyFrom(table, ['id', 'name', 'note'], failingLate())).rejects.toThrow(
      'the source broke late',
    );
    expect(await rowsOf(table)).toEqual([]);
    expect(await t.wh.copyFrom(table, ['id', 'name', 'note'], '2,b,c\n')).toBe(1);
    expect((await rowsOf(table)).map((r) => r.id)).toEqual([2]);
  });

  it('loads into a table created in the same transaction, atomically', async () => {
    const table = { schema: t.schema, name: 'seeded' };
    const target = qualify(table.schema, table.name);
    await t.wh.transaction(async (tx) => {
      await tx.query(`create table ${target} (id int, name text)`);
      expect(await tx.copyFrom(table, ['id', 'name'], '1,a\n2,b\n')).toBe(2);
    });
    expect(await rowsOf(table)).toEqual([
      { id: 1, name: 'a' },
      { id: 2, name: 'b' },
    ]);
    await t.wh
      .transaction(async (tx) => {
        await tx.query(`truncate ${target}`);
        await tx.copyFrom(table, ['id', 'name'], '3,c\n');
        throw new Error('undo');
      })
      .catch(() => undefined);
    expect((await rowsOf(table)).map((r) => r.id)).toEqual([1, 2]);
  });
});
