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
 * loads '' instead of NULL). Each figure is the best of `--runs` (default 2).
 *
 * Run alone: `npx tsx bench/seed.ts [--rows 1000000] [--runs 2]` with DATABASE_URL (default
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

async function best(runs: number, once: () => Promise<number>): Promise<number> {
  let min = Infinity;
  for (let i = 0; i < runs; i++) min = Math.min(min, await once());
  return min;
}

/** Runs the seed benchmark; returns one row per measurement (for `npm run bench`). */
export async function benchSeed(rows = 1_000_000, runs = 2): Promise<BenchRow[]> {
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

    const results: { what: string; martql: number; baseline: number }[] = [];
    results.push({
      what: `first load, ${mb(plain)} MB (create)`,
      martql: await best(runs, async () => {
        await wh.query(`drop table if exists ${qualify(schema, 'orders')}`);
        return (await seed(plain, 'orders', false)).ms;
      }),
      baseline: await best(runs, async () => {
        psql([recreate('psql_orders')]);
        return psql([copyTo('psql_orders', plain)]);
      }),
    });
    results.push({
      what: 're-seed, same shape (truncate + COPY)',
      martql: await best(runs, async () => (await seed(plain, 'orders', false)).ms),
      baseline: await best(runs, async () =>
        psql(['begin', `truncate ${qualify(schema, 'psql_orders')}`, copyTo('psql_orders', plain), 'commit']),
      ),
    });
    results.push({
      what: 'first load, every record has "" (rewritten)',
      martql: await best(runs, async () => {
        await wh.query(`drop table if exists ${qualify(schema, 'orders_q')}`);
        return (await seed(quoted, 'orders_q', false)).ms;
      }),
      baseline: await best(runs, async () => {
        psql([recreate('psql_orders_q')]);
        return psql([copyTo('psql_orders_q', quoted)]);
      }),
    });

    const perSecond = (ms: number) => `${Math.round(rows / (ms / 1000)).toLocaleString('en-US')} rows/s`;
    return results.map((r) => ({
      what: r.what,
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
  const table = await benchSeed(rows, arg('runs', 2));
  printTable(
    `seed: ${rows.toLocaleString('en-US')} rows, loadSeed vs psql \\copy (throughput ratio, higher is better)`,
    table,
  );
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
