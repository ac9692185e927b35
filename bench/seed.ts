/**
 * Seed benchmark: a generated 1,000,000-row CSV (ids, text with commas and quotes, integers,
 * numerics, dates, timestamps, booleans, some empty values) loaded with `loadSeed` against Postgres,
 * and, as the baseline in the same run, `psql \copy` of the same file into a table with the same
 * columns. `loadSeed` does more than `\copy` (it reads the file a second time to validate it and
 * infer types, and swaps the table in atomically); the target is 80% of `\copy`'s throughput.
 *
 * Measured: a first load (create), a re-seed of the same shape (truncate + COPY in one transaction,
 * against `BEGIN; TRUNCATE; \copy; COMMIT` in psql), and a file whose every record holds a quoted
 * empty string (the path that rewrites records before COPY, against `\copy` of the same file, which
 * loads '' instead of NULL). MartQL and psql alternate turn by turn (`--runs` rounds each, default
 * 3; who goes first swaps every round), each turn after a CHECKPOINT so neither inherits the other's
 * dirty buffers or a checkpoint mid-load. Each figure is the best turn; the ratio is best against
 * best, and every round's own ratio is printed too (the machine is shared, so their spread matters).
 *
 * Run alone: `npx tsx bench/seed.ts [--rows 1000000] [--runs 3]` with DATABASE_URL (default
 * postgres://postgres@127.0.0.1:5432/test) and `psql` on the PATH.
 */
import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadSeed } from '../src/seed';
import { openWarehouse, qualify, quoteIdent, type Warehouse } from '../src/warehouse';
import { type BenchRow, printTable } from './table';

const URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const HEADER = 'id,customer,amount,quantity,order_date,updated_at,is_active,note';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

async function generateCsv(file: string, rows: number, quotedEmpty: boolean): Promise<void> {
  const out = createWriteStream(file);
  const write = (s: string) =>
    out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', r));
  await write(`${HEADER}\n`);
  let batch = '';
  for (let i = 1; i <= rows; i++) {
    const customer = i % 7 === 0 ? `"Smith, ""Jr."""` : `cust_${i % 5000}`;
    const amount = i % 11 === 0 ? '' : (((i * 37) % 100000) / 100).toFixed(2);
    const day = String((i % 28) + 1).padStart(2, '0');
    const month = String((i % 12) + 1).padStart(2, '0');
    const ts = `2024-${month}-${day} ${String(i % 24).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00`;
    const note = quotedEmpty ? '""' : i % 3 === 0 ? `"a, b"` : `n${i % 100}`;
    batch += `${i},${customer},${amount},${i % 100},2024-${month}-${day},${ts},${i % 2 === 0 ? 'true' : 'false'},${note}\n`;
    if (batch.length > 1 << 16) {
      await write(batch);
      batch = '';
    }
  }
  await write(batch);
  await new Promise<void>((resolve, reject) =>
    out.end((err?: Error | null) => (err ? reject(err) : resolve())),
  );
}

function psql(sql: string[]): number {
  const started = performance.now();
  execFileSync('psql', [URL, '-X', '-q', '-v', 'ON_ERROR_STOP=1', ...sql.flatMap((s) => ['-c', s])], {
    stdio: 'pipe',
  });
  return performance.now() - started;
}

interface Turns {
  martql: number;
  baseline: number;
  /** Each round's baseline time over MartQL's (a throughput ratio). */
  rounds: number[];
}

/** `runs` rounds of one MartQL turn and one baseline turn, the order swapped every round. */
async function alternate(
  runs: number,
  martql: () => Promise<number>,
  baseline: () => Promise<number>,
): Promise<Turns> {
  const turns: Turns = { martql: Infinity, baseline: Infinity, rounds: [] };
  for (let i = 0; i < runs; i++) {
    let m = 0;
    let b = 0;
    for (const side of i % 2 === 0 ? ['martql', 'baseline'] : ['baseline', 'martql']) {
      psql(['checkpoint']);
      if (side === 'martql') m = await martql();
      else b = await baseline();
    }
    turns.martql = Math.min(turns.martql, m);
    turns.baseline = Math.min(turns.baseline, b);
    turns.rounds.push(b / m);
  }
  return turns;
}

/** Runs the seed benchmark; returns one row per measurement (for `npm run bench`). */
export async function benchSeed(rows = 1_000_000, runs = 3): Promise<BenchRow[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'martql-bench-seed-'));
  const schema = `bench_seed_${process.pid}`;
  const wh: Warehouse = await openWarehouse({ url: URL });
  try {
    const plain = path.join(dir, 'orders.csv');
    const quoted = path.join(dir, 'orders_quoted_empty.csv');
    await generateCsv(plain, rows, false);
    await generateCsv(quoted, rows, true);
    const mb = (f: string) => (statSync(f).size / 1e6).toFixed(0);
    console.log(`generated ${rows} rows: ${mb(plain)} MB and ${mb(quoted)} MB in ${dir}`);
    console.log(
      `load average at the start: ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    await wh.createSchema(schema);

    const seed = (file: string, identifier: string, fullRefresh: boolean) =>
      loadSeed({
        warehouse: wh,
        relation: { schema, identifier },
        path: `seeds/${path.basename(file)}`,
        csv: { file },
        fullRefresh,
      });
    const first = await seed(plain, 'orders', false); // also gives the column types for psql's table
    const columns = first.columns.map((c) => `${quoteIdent(c.name)} ${c.type}`).join(', ');
    const copyTo = (table: string, file: string) =>
      `\\copy ${qualify(schema, table)} from '${file}' with (format csv, header true)`;
    const recreate = (table: string) =>
      `drop table if exists ${qualify(schema, table)}; create table ${qualify(schema, table)} (${columns})`;

    const results: ({ what: string } & Turns)[] = [];
    results.push({
      what: `first load, ${mb(plain)} MB (create)`,
      ...(await alternate(
        runs,
        async () => {
          await wh.query(`drop table if exists ${qualify(schema, 'orders')}`);
          return (await seed(plain, 'orders', false)).ms;
        },
        async () => {
          psql([recreate('psql_orders')]);
          return psql([copyTo('psql_orders', plain)]);
        },
      )),
    });
    psql([recreate('psql_orders')]);
    results.push({
      what: 're-seed, same shape (truncate + COPY)',
      ...(await alternate(
        runs,
        async () => (await seed(plain, 'orders', false)).ms,
        async () =>
          psql([
            'begin',
            `truncate ${qualify(schema, 'psql_orders')}`,
            copyTo('psql_orders', plain),
            'commit',
          ]),
      )),
    });
    results.push({
      what: 'first load, every record has "" (rewritten)',
      ...(await alternate(
        runs,
        async () => {
          await wh.query(`drop table if exists ${qualify(schema, 'orders_q')}`);
          return (await seed(quoted, 'orders_q', false)).ms;
        },
        async () => {
          psql([recreate('psql_orders_q')]);
          return psql([copyTo('psql_orders_q', quoted)]);
        },
      )),
    });
    for (const r of results)
      console.log(`${r.what}: round ratios ${r.rounds.map((x) => x.toFixed(2)).join(', ')}`);

    const perSecond = (ms: number) => `${Math.round(rows / (ms / 1000)).toLocaleString('en-US')} rows/s`;
    return results.map((r) => ({
      what: `${r.what}; rounds ${r.rounds.map((x) => `${x.toFixed(2)}x`).join(' ')}`,
      martql: perSecond(r.martql),
      baseline: `${perSecond(r.baseline)} (psql \\copy)`,
      ratio: r.baseline / r.martql,
      target: '>= 0.80x',
    }));
  } finally {
    await wh.query(`drop schema if exists ${quoteIdent(schema)} cascade`).catch(() => undefined);
    await wh.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const rows = arg('rows', 1_000_000);
  const table = await benchSeed(rows, arg('runs', 3));
  const load = os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
  printTable(
    `seed: ${rows.toLocaleString('en-US')} rows, loadSeed vs psql \\copy (throughput ratio, higher is better; load average ${load} at the end)`,
    table,
  );
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
