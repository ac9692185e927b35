/**
 * Generator benchmark: `generate` writing ~1,000,000 touchpoints (108,000 customers over 365 days,
 * about 2.5 million rows in all) on PGlite (a data directory on disk, as the CLI uses) and on
 * Postgres, with throughput and peak RSS. Baselines, in the same run, load the same rows from CSV
 * files written beforehand: on Postgres `psql \copy` of each file in one transaction; on PGlite the
 * COPY of the files through the same warehouse API (there is no psql for PGlite). The baselines do
 * no generating at all, so the ratio is what generating costs on top of loading.
 *
 * Each measurement runs in a fresh child process so its peak RSS (`process.resourceUsage().maxRSS`,
 * which for PGlite includes the database's WebAssembly heap) is its own; psql's is from GNU time.
 * On Postgres, `generate` and psql alternate for `--rounds` rounds (default 3; who goes first swaps
 * every round), each turn after a CHECKPOINT; figures are the best turns, and each round's own ratio
 * is printed. PGlite is measured once (informational).
 *
 * Run: `npx tsx bench/generate.ts [--customers 108000] [--days 365] [--rounds 3]` with DATABASE_URL
 * (default postgres://postgres@127.0.0.1:5432/test) and `psql` on the PATH; `--skip-postgres` for
 * PGlite only, `--skip-pglite` for Postgres only.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generate } from '../src/generate';
import { customersBefore } from '../src/generate/customers';
import { DEFAULT_PARAMS, type GeneratorState } from '../src/generate/params';
import { passChunks, type PassInput } from '../src/generate/passes';
import { columnsOf, createTablesSql, dropTablesSql, RAW_TABLES } from '../src/generate/tables';
import { openWarehouse, qualify, quoteIdent, type Warehouse } from '../src/warehouse';
import { type BenchRow, printTable } from './table';

const URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const SEED = 42;
const START = Date.UTC(2025, 0, 1) / 1000;

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

interface Measurement {
  ms: number;
  rows: Record<string, number>;
  peakRssMb: number;
}

/** Writes the exact rows `generate` produces to one CSV file per table. */
async function writeCsvFiles(dir: string, customers: number, days: number): Promise<void> {
  const state: GeneratorState = {
    seed: SEED,
    customers,
    days,
    startSec: START,
    horizonSec: START + days * 86400,
    params: DEFAULT_PARAMS,
  };
  const input: PassInput = {
    state,
    window: { fromSec: -Infinity, toSec: state.horizonSec },
    customers: customersBefore(state, state.horizonSec),
    customersBefore: 0,
    ids: { order: 1, touchpoint: 1, event: 1 },
  };
  for (const table of RAW_TABLES) {
    const out = createWriteStream(path.join(dir, `${table}.csv`));
    for await (const chunk of passChunks(table, input, () => undefined)) {
      if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
    }
    await new Promise<void>((resolve, reject) =>
      out.end((err?: Error | null) => (err ? reject(err) : resolve())),
    );
  }
}

async function openTarget(target: string, dir: string): Promise<Warehouse> {
  return target === 'postgres'
    ? openWarehouse({ url: URL })
    : openWarehouse({ dataDir: path.join(dir, `pglite-${process.pid}`) });
}

/** One measurement in this (child) process; prints it as JSON. */
async function scenario(kind: string, target: string, dir: string, customers: number, days: number) {
  const wh = await openTarget(target, dir);
  const schema = `bench_generate_${process.pid}`;
  try {
    const started = performance.now();
    let rows: Record<string, number>;
    if (kind === 'generate') {
      rows = (await generate(wh, { customers, days, seed: SEED, schema })).rows;
    } else {
      await wh.createSchema(schema);
      rows = await wh.transaction(async (tx) => {
        await tx.exec(`${dropTablesSql(schema)};\n${createTablesSql(schema)}`);
        const counts: Record<string, number> = {};
        for (const table of RAW_TABLES) {
          const file = createReadStream(path.join(dir, `${table}.csv`), { highWaterMark: 1 << 17 });
          counts[table] = await tx.copyFrom({ schema, name: table }, columnsOf(table), file);
        }
        return counts;
      });
    }
    const ms = performance.now() - started;
    const m: Measurement = { ms, rows, peakRssMb: process.resourceUsage().maxRSS / 1024 };
    process.stdout.write(`${JSON.stringify(m)}\n`);
  } finally {
    await wh.query(`drop schema if exists ${quoteIdent(schema)} cascade`).catch(() => undefined);
    await wh.close();
  }
}

function child(kind: string, target: string, dir: string, customers: number, days: number): Measurement {
  const result = spawnSync(
    process.execPath,
    [
      ...process.execArgv,
      __filename,
      '--scenario',
      kind,
      '--target',
      target,
      '--dir',
      dir,
      '--customers',
      String(customers),
      '--days',
      String(days),
    ],
    { encoding: 'utf8', maxBuffer: 1 << 24 },
  );
  if (result.status !== 0) throw new Error(`${kind} on ${target} failed:\n${result.stderr}`);
  const last = result.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(last) as Measurement;
}

/** psql \copy of the files in one transaction; wall time and psql's peak RSS (GNU time). */
function psqlCopy(dir: string): Measurement {
  const schema = `bench_generate_psql_${process.pid}`;
  const statements = [
    `create schema if not exists ${schema}`,
    'begin',
    dropTablesSql(schema),
    createTablesSql(schema),
    ...RAW_TABLES.map(
      (t) =>
        `\\copy ${qualify(schema, t)} (${columnsOf(t).join(', ')}) from '${path.join(dir, `${t}.csv`)}' with (format csv)`,
    ),
    'commit',
  ];
  const args = [
    '-f',
    '%M',
    'psql',
    URL,
    '-X',
    '-q',
    '-v',
    'ON_ERROR_STOP=1',
    ...statements.flatMap((s) => ['-c', s]),
  ];
  const started = performance.now();
  const out = spawnSync('/usr/bin/time', args, { encoding: 'utf8' });
  const ms = performance.now() - started;
  if (out.status !== 0) throw new Error(`psql failed: ${out.stderr}`);
  const kb = Number(out.stderr.trim().split('\n').pop());
  execFileSync('psql', [URL, '-X', '-q', '-c', `drop schema ${schema} cascade`], { stdio: 'pipe' });
  return { ms, rows: {}, peakRssMb: kb / 1024 };
}

function rowsTable(target: string, gen: Measurement, base: Measurement, baseName: string): BenchRow[] {
  const total = Object.values(gen.rows).reduce((s, n) => s + n, 0);
  const perSecond = (ms: number) => `${Math.round(total / (ms / 1000)).toLocaleString('en-US')} rows/s`;
  const tpPerSecond = (ms: number) =>
    `${Math.round(gen.rows.touchpoints / (ms / 1000)).toLocaleString('en-US')} touchpoints/s`;
  return [
    {
      what: `${target}: all ${total.toLocaleString('en-US')} rows, ${(gen.ms / 1000).toFixed(1)}s vs ${(base.ms / 1000).toFixed(1)}s`,
      martql: perSecond(gen.ms),
      baseline: `${perSecond(base.ms)} (${baseName})`,
      ratio: base.ms / gen.ms,
      target: '>= 0.33x (throughput)',
    },
    {
      what: `${target}: ${gen.rows.touchpoints.toLocaleString('en-US')} touchpoints`,
      martql: tpPerSecond(gen.ms),
      baseline: tpPerSecond(base.ms),
      ratio: base.ms / gen.ms,
      target: '>= 100,000/s',
    },
    {
      what: `${target}: peak RSS`,
      martql: `${gen.peakRssMb.toFixed(0)} MB`,
      baseline: `${base.peakRssMb.toFixed(0)} MB`,
      ratio: gen.peakRssMb / base.peakRssMb,
      target: '< 1 GB, flat in rows',
    },
  ];
}

async function main(): Promise<void> {
  const customers = Number(arg('customers', '108000'));
  const days = Number(arg('days', '365'));
  const kind = arg('scenario', '');
  if (kind) return scenario(kind, arg('target', 'pglite'), arg('dir', os.tmpdir()), customers, days);

  const dir = mkdtempSync(path.join(os.tmpdir(), 'martql-bench-generate-'));
  try {
    await writeCsvFiles(dir, customers, days);
    const mb = RAW_TABLES.reduce((s, t) => s + statSync(path.join(dir, `${t}.csv`)).size, 0) / 1e6;
    console.log(`${customers} customers x ${days} days; baseline CSV files ${mb.toFixed(0)} MB in ${dir}`);
    console.log(
      `load average: ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} on ${os.cpus().length} CPUs`,
    );
    const rows: BenchRow[] = [];
    if (!process.argv.includes('--skip-pglite')) {
      const pgliteGen = child('generate', 'pglite', dir, customers, days);
      const pgliteCopy = child('copy', 'pglite', dir, customers, days);
      rows.push(...rowsTable('PGlite', pgliteGen, pgliteCopy, 'COPY of CSV files, same warehouse'));
    }
    if (!process.argv.includes('--skip-postgres')) {
      const rounds = Number(arg('rounds', '3'));
      let gen: Measurement | undefined;
      let base: Measurement | undefined;
      const ratios: number[] = [];
      for (let i = 0; i < rounds; i++) {
        let g: Measurement | undefined;
        let b: Measurement | undefined;
        for (const side of i % 2 === 0 ? ['generate', 'psql'] : ['psql', 'generate']) {
          execFileSync('psql', [URL, '-X', '-q', '-c', 'checkpoint'], { stdio: 'pipe' });
          if (side === 'generate') g = child('generate', 'postgres', dir, customers, days);
          else b = psqlCopy(dir);
        }
        if (!g || !b) throw new Error('a turn did not run');
        ratios.push(b.ms / g.ms);
        console.log(
          `round ${i + 1}: generate ${(g.ms / 1000).toFixed(2)} s, psql ${(b.ms / 1000).toFixed(2)} s`,
        );
        if (!gen || g.ms < gen.ms) gen = g;
        if (!base || b.ms < base.ms) base = b;
      }
      if (gen && base) {
        const label = `Postgres (rounds ${ratios.map((r) => `${r.toFixed(2)}x`).join(' ')})`;
        rows.push(...rowsTable(label, gen, base, 'psql \\copy of CSV files'));
      }
    }
    console.log(
      `load average at the end: ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    printTable(
      'generate: martql generate vs loading the same rows from CSV (ratio = throughput, higher is better; RSS ratio lower is better)',
      rows,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
