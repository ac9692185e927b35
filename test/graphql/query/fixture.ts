/**
 * The table every query test runs on: a few hundred seeded random rows with every column kind and
 * NULLs in every column but the key, created in the test warehouse's schema. Rows are read back
 * from the database so the oracle sees exactly the values the driver decodes.
 */
import type { ModelColumns, ColumnKind } from '../../../src/graphql/query';
import { qualify, type Warehouse } from '../../../src/warehouse';

import { prng } from '../../helpers/prng';

export { prng };

export type Rng = () => number;
export const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)];
export const int = (rng: Rng, lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo + 1));

export type Row = Record<string, unknown>;

export const COLUMNS: { name: string; kind: ColumnKind; sqlType: string }[] = [
  { name: 'id', kind: 'int', sqlType: 'int primary key' },
  { name: 'n', kind: 'int', sqlType: 'int' },
  { name: 'big', kind: 'bigint', sqlType: 'bigint' },
  { name: 'x', kind: 'float', sqlType: 'float8' },
  { name: 'amount', kind: 'decimal', sqlType: 'numeric(12,2)' },
  // collate "C": byte order, which the oracle reproduces exactly whatever the server's locale.
  { name: 'name', kind: 'text', sqlType: 'text collate "C"' },
  { name: 'flag', kind: 'boolean', sqlType: 'boolean' },
  { name: 'd', kind: 'date', sqlType: 'date' },
  { name: 'ts', kind: 'timestamp', sqlType: 'timestamp' },
  { name: 'tstz', kind: 'timestamptz', sqlType: 'timestamptz' },
  { name: 'payload', kind: 'json', sqlType: 'jsonb' },
];

export const NAMES = [
  'alpha',
  'beta',
  'Beta',
  'BETA',
  'gamma',
  'al_pha',
  'a%b',
  'x\\y',
  '',
  'delta',
  'Alphabet',
  "o'neil",
];

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Instants around DST changes in America/New_York, Europe/Paris and Australia/Sydney. */
const TSTZ_BASES = [
  Date.UTC(2024, 2, 10, 0),
  Date.UTC(2024, 2, 31, 0),
  Date.UTC(2024, 3, 7, 0),
  Date.UTC(2024, 10, 3, 0),
  Date.UTC(2024, 11, 31, 20),
];

function randomRow(rng: Rng, id: number): Row {
  const nul = () => rng() < 0.15;
  const dayMs = 86_400_000;
  const d = new Date(Date.UTC(2023, 10, 1) + int(rng, 0, 500) * dayMs);
  const ts = new Date(Date.UTC(2024, 0, 1) + int(rng, 0, 400 * 24) * 3_600_000 + int(rng, 0, 59) * 60_000);
  const tstz = new Date(pick(rng, TSTZ_BASES) + int(rng, -30, 30) * 3_600_000 + int(rng, 0, 3) * 15 * 60_000);
  return {
    id,
    n: nul() ? null : int(rng, -20, 20),
    big: nul() ? null : (int(rng, -5, 5) * 1_000_000_007 * 997).toString(),
    x: nul() ? null : int(rng, -10000, 10000) / 100,
    amount: nul() ? null : (int(rng, -100000, 100000) / 100).toFixed(2),
    name: nul() ? null : rng() < 0.7 ? pick(rng, NAMES) : pick(rng, NAMES) + int(rng, 0, 9),
    flag: nul() ? null : rng() < 0.5,
    d: nul() ? null : d.toISOString().slice(0, 10),
    ts: nul()
      ? null
      : `${ts.toISOString().slice(0, 10)} ${pad(ts.getUTCHours())}:${pad(ts.getUTCMinutes())}:00`,
    tstz: nul() ? null : tstz.toISOString(),
    payload: nul() ? null : JSON.stringify({ k: int(rng, 0, 5) }),
  };
}

export function modelFor(schema: string, identifier = 't'): ModelColumns {
  return {
    relation: { schema, identifier },
    columns: COLUMNS.map(({ name, kind }) => ({ name, kind })),
    key: ['id'],
  };
}

/** Creates `schema.table` with `count` seeded rows (plus `extra` rows as given) and returns the rows as read back. */
export async function seedTable(
  wh: Warehouse,
  schema: string,
  { table = 't', seed = 42, count = 300, extra = [] as Row[] } = {},
): Promise<Row[]> {
  const rel = qualify(schema, table);
  await wh.query(`create table ${rel} (${COLUMNS.map((c) => `"${c.name}" ${c.sqlType}`).join(', ')})`);
  const rng = prng(seed);
  const rows = [...Array.from({ length: count }, (_, i) => randomRow(rng, i + 1)), ...extra];
  for (let start = 0; start < rows.length; start += 200) {
    const batch = rows.slice(start, start + 200);
    const params: unknown[] = [];
    const tuples = batch.map((row) => {
      const cells = COLUMNS.map((c) => {
        params.push(row[c.name] ?? null);
        return `$${params.length}::${c.sqlType.split(' ')[0]}`;
      });
      return `(${cells.join(', ')})`;
    });
    await wh.query(`insert into ${rel} values ${tuples.join(', ')}`, params);
  }
  return (await wh.query(`select * from ${rel} order by id`)).rows;
}
