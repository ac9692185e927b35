import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MartqlError } from '../../src/errors';
import { loadSeed, type SeedLoadRequest } from '../../src/seed';
import { qualify } from '../../src/warehouse';
import { openTestWarehouse, type TestWarehouse } from '../helpers/warehouse';

let t: TestWarehouse;
let dir: string;
beforeAll(async () => {
  t = await openTestWarehouse();
  dir = mkdtempSync(path.join(os.tmpdir(), 'martql-seed-test-'));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await t?.cleanup();
});

function seed(identifier: string, text: string, extra: Partial<SeedLoadRequest> = {}) {
  return loadSeed({
    warehouse: t.wh,
    relation: { schema: t.schema, identifier },
    path: `seeds/${identifier}.csv`,
    csv: { text },
    fullRefresh: false,
    ...extra,
  });
}

const rows = async (sql: string) => (await t.wh.query(sql)).rows;
const table = (name: string) => qualify(t.schema, name);
const relations = async () => (await t.wh.listRelations(t.schema)).map((r) => r.name).sort();

async function failure(p: Promise<unknown>): Promise<MartqlError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(MartqlError);
    return err as MartqlError;
  }
  throw new Error('expected the load to fail');
}

describe('loadSeed', () => {
  it('loads quoted commas, newlines, doubled quotes, empty as NULL ("" too), unicode', async () => {
    const csv =
      '\ufeffid,name,note,amount,day,at,ok\r\n' +
      '1,"Smith, John","line one\r\nline two",1.50,2024-01-02,2024-01-02 03:04:05,true\r\n' +
      '2,"say ""hi""","",,,,\r\n' +
      '3,Zoë 🚀,"日本, 東京",-2,2024-02-29,2024-02-29T23:59:59.5,FALSE\r\n';
    const result = await seed('basic', csv);
    expect(result.kind).toBe('create');
    expect(result.rows).toBe(3);
    expect(result.columns).toEqual([
      { name: 'id', type: 'integer' },
      { name: 'name', type: 'text' },
      { name: 'note', type: 'text' },
      { name: 'amount', type: 'numeric' },
      { name: 'day', type: 'date' },
      { name: 'at', type: 'timestamp' },
      { name: 'ok', type: 'boolean' },
    ]);
    const loaded = await rows(
      `select id, name, note, amount::text, day::text, at::text, ok from ${table('basic')} order by id`,
    );
    expect(loaded).toEqual([
      {
        id: 1,
        name: 'Smith, John',
        note: 'line one\r\nline two',
        amount: '1.50',
        day: '2024-01-02',
        at: '2024-01-02 03:04:05',
        ok: true,
      },
      { id: 2, name: 'say "hi"', note: null, amount: null, day: null, at: null, ok: null },
      {
        id: 3,
        name: 'Zoë 🚀',
        note: '日本, 東京',
        amount: '-2',
        day: '2024-02-29',
        at: '2024-02-29 23:59:59.5',
        ok: false,
      },
    ]);
  });

  it('infers bigint and timestamptz and applies column_types case-insensitively', async () => {
    const csv = 'Big,At,Zip\n1,2024-01-01 00:00:00+00,01234\n3000000000,2024-06-01T12:00:00Z,99999\n';
    const result = await seed('typed', csv, { columnTypes: { zip: 'varchar(5)' } });
    expect(result.columns).toEqual([
      { name: 'Big', type: 'bigint' },
      { name: 'At', type: 'timestamptz' },
      { name: 'Zip', type: 'varchar(5)' },
    ]);
    const cols = await t.wh.getColumns(t.schema, 'typed');
    expect(cols.map((c) => [c.name, c.dataType])).toEqual([
      ['Big', 'bigint'],
      ['At', 'timestamp with time zone'],
      ['Zip', 'character varying(5)'],
    ]);
    expect(await rows(`select "Zip" from ${table('typed')} order by "Big"`)).toEqual([
      { Zip: '01234' },
      { Zip: '99999' },
    ]);
  });

  it('folds column names when quote_columns is false and honours the delimiter', async () => {
    const result = await seed('piped', 'Id|Full Name\n1|"a|b"\n', { quoteColumns: false, delimiter: '|' });
    expect(result.columns.map((c) => c.name)).toEqual(['id', 'full name']);
    expect(await rows(`select * from ${table('piped')}`)).toEqual([{ id: 1, 'full name': 'a|b' }]);
  });

  it("loads a record that reads like COPY's end marker, and mixed line ends", async () => {
    await seed('marker', 'v\r\n\\.\nb\r\n""\n');
    expect(await rows(`select v from ${table('marker')}`)).toEqual([{ v: '\\.' }, { v: 'b' }, { v: null }]);
  });

  it('loads a header-only seed as an empty text table', async () => {
    const result = await seed('empty_rows', 'a,b\n');
    expect(result).toMatchObject({
      rows: 0,
      columns: [
        { name: 'a', type: 'text' },
        { name: 'b', type: 'text' },
      ],
    });
    expect(await rows(`select count(*)::int as n from ${table('empty_rows')}`)).toEqual([{ n: 0 }]);
  });

  it('re-seeds the same shape by truncate + insert, keeping a dependent view working', async () => {
    await seed('orders', 'id,amount\n1,10\n2,20\n');
    await t.wh.query(
      `create view ${table('orders_total')} as select sum(amount)::int as total from ${table('orders')}`,
    );
    const again = await seed('orders', 'id,amount\n1,10\n2,20\n3,30\n');
    expect(again.kind).toBe('truncate-insert');
    expect(await rows(`select total from ${table('orders_total')}`)).toEqual([{ total: 60 }]);
    expect(await relations()).not.toContainEqual(expect.stringMatching(/__seed_/));
  });

  it('recreates on full refresh and when columns or types change', async () => {
    await seed('shape', 'id,name\n1,a\n');
    expect((await seed('shape', 'id,name\n1,a\n', { fullRefresh: true })).kind).toBe('recreate');
    const changedType = await seed('shape', 'id,name\nx1,a\n');
    expect(changedType.kind).toBe('recreate');
    expect(changedType.columns[0]).toEqual({ name: 'id', type: 'text' });
    const changedColumns = await seed('shape', 'id,name,extra\n1,a,b\n');
    expect(changedColumns.kind).toBe('recreate');
    expect(await rows(`select * from ${table('shape')}`)).toEqual([{ id: 1, name: 'a', extra: 'b' }]);
    expect((await relations()).filter((n) => n.includes('__seed_'))).toEqual([]);
  });

  it('replaces a view of the same name with the seed table', async () => {
    await t.wh.query(`create view ${table('was_view')} as select 1 as x`);
    const result = await seed('was_view', 'x,y\n1,2\n');
    expect(result.kind).toBe('recreate');
    expect((await t.wh.getRelation(t.schema, 'was_view'))?.type).toBe('table');
  });

  it('leaves the previous table as it was when the CSV is malformed, naming file and line', async () => {
    await seed('stable', 'id,name\n1,a\n2,b\n');
    await t.wh.query(`create view ${table('stable_v')} as select count(*)::int as n from ${table('stable')}`);
    for (const [csv, line, reason] of [
      ['id,name\n1,a\n2,b\n3,"unterminated\n', 4, /unterminated quoted field/],
      ['id,name\n1,a\n2,b,c\n', 3, /expected 2 fields/],
      ['id,name\n1,a\n2,b"c\n', 3, /quote inside an unquoted field/],
    ] as const) {
      const err = await failure(seed('stable', csv, { fullRefresh: true }));
      expect(err.code).toBe('SEED');
      expect(err.location).toMatchObject({ file: 'seeds/stable.csv', line });
      expect(err.message).toMatch(reason);
    }
    expect(await rows(`select * from ${table('stable')} order by id`)).toEqual([
      { id: 1, name: 'a' },
      { id: 2, name: 'b' },
    ]);
    expect(await rows(`select n from ${table('stable_v')}`)).toEqual([{ n: 2 }]);
    expect((await relations()).filter((n) => n.includes('__seed_'))).toEqual([]);
  });

  it('names the file, line and column when COPY rejects a value, and keeps the old table', async () => {
    await seed('strict', 'id,code\n1,a\n');
    const csv = 'id,code\n1,a\n2,"multi\nline"\n\nnot-a-number,c\n';
    const err = await failure(seed('strict', csv, { columnTypes: { id: 'integer' } }));
    expect(err.code).toBe('SEED');
    expect(err.location).toMatchObject({ file: 'seeds/strict.csv', line: 6 });
    expect(err.message).toMatch(/column "id" \(integer, from column_types\).*not-a-number/);
    expect(await rows(`select * from ${table('strict')}`)).toEqual([{ id: 1, code: 'a' }]);
  });

  it('rejects an empty file and a bad delimiter', async () => {
    expect((await failure(seed('nothing', ''))).message).toMatch(/empty/);
    expect((await failure(seed('nothing', 'a\n1\n', { delimiter: '||' }))).code).toBe('SEED');
    expect(await t.wh.getRelation(t.schema, 'nothing')).toBeNull();
  });

  it('streams a 100k-row file, re-typing columns the start of the file mistypes', async () => {
    const file = path.join(dir, 'big.csv');
    const lines = ['id,label,amount,seen_at,sparse'];
    for (let i = 1; i <= 100_000; i++) {
      const amount = i === 99_990 ? '12.5' : String(i % 1000); // integer until the very end
      const sparse = i > 99_000 ? String(i) : ''; // empty (so text) in the part types are guessed from
      lines.push(
        `${i},"label, ${i % 97}",${amount},2024-01-${String((i % 28) + 1).padStart(2, '0')} 10:00:00,${sparse}`,
      );
    }
    writeFileSync(file, lines.join('\n') + '\n');
    const result = await loadSeed({
      warehouse: t.wh,
      relation: { schema: t.schema, identifier: 'big' },
      path: 'seeds/big.csv',
      csv: { file },
      fullRefresh: false,
    });
    expect(result.rows).toBe(100_000);
    expect(result.columns.map((c) => c.type)).toEqual(['integer', 'text', 'numeric', 'timestamp', 'integer']);
    expect(
      await rows(`select count(*)::int as n, sum(amount)::text as s, max(label) as l from ${table('big')}`),
    ).toEqual([{ n: 100_000, s: String(sumAmounts()), l: 'label, 96' }]);
    expect((await relations()).filter((n) => n.includes('__seed_'))).toEqual([]);
  });
});

function sumAmounts(): number {
  let s = 0;
  for (let i = 1; i <= 100_000; i++) s += i === 99_990 ? 12.5 : i % 1000;
  return s;
}
