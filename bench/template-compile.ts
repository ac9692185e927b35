/**
 * Template-compile micro benchmark: compile (never render) 2,000 distinct dbt model templates with
 * MartQL's Jinja engine and, as the baseline, with plain nunjucks 3.2.4 (`new nunjucks.Template(src,
 * env, path, true)`, what `Environment.getTemplate` does: lex, parse, generate code, `new Function`).
 *
 * Three sets of 2,000 models:
 * - `plain refs` and `macro-heavy`: the model files of bench/compile.ts `generateProject`;
 * - `varied`: models assembled from random (seeded) pieces — CTEs, `{% if is_incremental() %}`,
 *   loops over column lists of different lengths, `{% set %}`, filters, comments, whitespace
 *   control — so almost no two share a structure (the worst case for MartQL's code cache, which
 *   shares one generated function between templates that differ only in text, literals and
 *   positions).
 *
 * Times are process CPU time (user + system: other processes on a shared machine inflate wall time
 * far more), wall time in parentheses. Every measurement runs in a fresh child process (a CLI invocation: cold JIT, empty caches, no
 * V8 eval cache), the median of `--repeat` runs (default 3). "second engine" is a new engine in the
 * same process compiling the same sources again (the next invocation of a long-lived process).
 *
 * Run: `npx tsx bench/template-compile.ts [--models 2000] [--repeat 3]`. Measures dist/ when it is
 * built and newer than src/jinja/engine (`npm run build`), else the TypeScript sources.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import nunjucks from 'nunjucks';
import { generateProject } from './compile';
import { printTable, type BenchRow } from './table';

type SetName = 'plain refs' | 'macro-heavy' | 'varied';
const SETS: SetName[] = ['plain refs', 'macro-heavy', 'varied'];

/** A measurement: process CPU time (user + system, robust to other load) and wall time, in ms. */
interface Timing {
  cpu: number;
  wall: number;
}

interface ChildResult {
  martqlCold: Timing;
  martqlSecond: Timing;
  nunjucks: Timing;
  measuring: string;
}

function timed(fn: () => void): Timing {
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  fn();
  const wall = performance.now() - started;
  const cpu = process.cpuUsage(cpu0);
  return { cpu: (cpu.user + cpu.system) / 1000, wall };
}

/** mulberry32: a small seeded PRNG so the varied set is the same in every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Structurally varied dbt models (all valid for both MartQL and plain nunjucks). */
export function variedModels(n: number): string[] {
  const rand = prng(42);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)];
  const cols = ['id', 'customer_id', 'order_id', 'amount', 'status', 'created_at', 'updated_at', 'region'];
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const parts: string[] = [];
    const parent = `model_${Math.floor(i / 2)}`;
    if (rand() < 0.5) {
      parts.push(
        `{{ config(materialized='${pick(['view', 'table', 'incremental'])}'${rand() < 0.5 ? `, tags=['t${i % 7}']` : ''}) }}`,
      );
    }
    if (rand() < 0.3) parts.push(`{# model ${i}: generated for the benchmark #}`);
    const k = 1 + Math.floor(rand() * 5);
    const chosen = cols.slice(0, k);
    if (rand() < 0.5) {
      parts.push(`{%- set cols = [${chosen.map((c) => `'${c}'`).join(', ')}] -%}`);
    }
    parts.push(`with source_${i} as (\n  select * from {{ ref('${parent}') }}\n)`);
    if (rand() < 0.4) {
      parts.push(`, extra as (\n  select * from {{ source('raw', 'table_${i % 50}') }}\n)`);
    }
    const select: string[] = [];
    for (let c = 0; c < k; c++) {
      const r = rand();
      if (r < 0.5) select.push(chosen[c]);
      else if (r < 0.7) select.push(`{{ cents_to_dollars('${chosen[c]}') }} as ${chosen[c]}_usd`);
      else if (r < 0.85) select.push(`{{ safe_id('${chosen[c]}') }} as ${chosen[c]}_safe`);
      else select.push(`{{ '"' ~ '${chosen[c]}' ~ '"' }}`);
    }
    if (rand() < 0.4) {
      select.push(
        `{% for c in [${chosen.map((c) => `'${c}'`).join(', ')}] %}\n  max({{ c }}) as max_{{ c }}{{ ',' if not loop.last }}\n{% endfor %}`,
      );
    }
    parts.push(`select\n  ${select.join(',\n  ')}\nfrom source_${i}`);
    if (rand() < 0.4) {
      parts.push(
        `{% if is_incremental() %}\n  where updated_at > (select max(updated_at) from {{ this }})\n{% endif %}`,
      );
    }
    if (rand() < 0.3) parts.push(`{{ "-- " ~ var('run_label', 'default') | upper }}`);
    if (rand() < 0.2) parts.push(`limit {{ ${1 + Math.floor(rand() * 1000)} }}`);
    out.push(`${parts.join('\n')}\n`);
  }
  return out;
}

function modelSources(set: SetName, models: number): string[] {
  if (set === 'varied') return variedModels(models);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'martql-bench-tc-'));
  try {
    generateProject(dir, models, set === 'macro-heavy');
    const out: string[] = [];
    for (let i = 0; i < models; i++) {
      out.push(fs.readFileSync(path.join(dir, 'models', `model_${i}.sql`), 'utf8'));
    }
    return out;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** dist/ when it is built from the current sources, else src/ (through tsx). */
function loadEngine(): {
  createJinjaEngine: typeof import('../src/jinja/engine').createJinjaEngine;
  measuring: string;
} {
  const root = path.resolve(__dirname, '..');
  const dist = path.join(root, 'dist', 'jinja', 'engine', 'index.js');
  const srcDir = path.join(root, 'src', 'jinja', 'engine');
  const newestSrc = (dir: string): number =>
    Math.max(
      ...fs.readdirSync(dir, { withFileTypes: true }).map((e) => {
        const p = path.join(dir, e.name);
        return e.isDirectory() ? newestSrc(p) : fs.statSync(p).mtimeMs;
      }),
    );
  /* eslint-disable @typescript-eslint/no-require-imports */
  // A/B comparisons: MARTQL_BENCH_ENGINE=/path/to/other/dist/jinja/engine/index.js
  const other = process.env.MARTQL_BENCH_ENGINE;
  if (other) return { createJinjaEngine: require(other).createJinjaEngine, measuring: other };
  if (fs.existsSync(dist) && fs.statSync(dist).mtimeMs >= newestSrc(srcDir)) {
    return { createJinjaEngine: require(dist).createJinjaEngine, measuring: 'dist/ (compiled)' };
  }
  return {
    createJinjaEngine: require('../src/jinja/engine').createJinjaEngine,
    measuring: 'src/ through tsx',
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
}

/** One measurement, in this (fresh) process. */
function child(set: SetName, models: number, engineFirst: boolean): ChildResult {
  const sources = modelSources(set, models);
  const { createJinjaEngine, measuring } = loadEngine();
  const timeMartql = (): Timing => {
    const engine = createJinjaEngine();
    return timed(() => {
      for (let i = 0; i < sources.length; i++) engine.compile(sources[i], `models/model_${i}.sql`);
    });
  };
  const timeNunjucks = (): Timing => {
    const env = new nunjucks.Environment(null, { autoescape: false });
    return timed(() => {
      for (let i = 0; i < sources.length; i++) {
        new nunjucks.Template(sources[i], env, `models/model_${i}.sql`, true);
      }
    });
  };
  // The order alternates between runs so neither side always gets the warmer JIT.
  let martqlCold: Timing;
  let martqlSecond: Timing;
  let nj: Timing;
  if (engineFirst) {
    martqlCold = timeMartql();
    martqlSecond = timeMartql();
    nj = timeNunjucks();
  } else {
    nj = timeNunjucks();
    martqlCold = timeMartql();
    martqlSecond = timeMartql();
  }
  return { martqlCold, martqlSecond, nunjucks: nj, measuring };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function main(): void {
  const arg = (name: string, dflt: number): number => {
    const idx = process.argv.indexOf(name);
    return idx > 0 ? Number(process.argv[idx + 1]) : dflt;
  };
  const models = arg('--models', 2000);
  const childIdx = process.argv.indexOf('--child');
  if (childIdx > 0) {
    const set = process.argv[childIdx + 1] as SetName;
    const result = child(set, models, process.argv.includes('--engine-first'));
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return;
  }
  const repeat = arg('--repeat', 3);
  const rows: BenchRow[] = [];
  let measuring = '';
  for (const set of SETS) {
    const runs: ChildResult[] = [];
    for (let r = 0; r < repeat; r++) {
      const out = execFileSync(
        process.execPath,
        [
          ...process.execArgv,
          __filename,
          '--child',
          set,
          '--models',
          String(models),
          ...(r % 2 === 0 ? ['--engine-first'] : []),
        ],
        { encoding: 'utf8' },
      );
      runs.push(JSON.parse(out.trim().split('\n').pop()!));
    }
    measuring = runs[0].measuring;
    const pick = (f: (r: ChildResult) => Timing): Timing => ({
      cpu: median(runs.map((r) => f(r).cpu)),
      wall: median(runs.map((r) => f(r).wall)),
    });
    const show = (t: Timing): string => `${t.cpu.toFixed(0)} ms (wall ${t.wall.toFixed(0)})`;
    const cold = pick((r) => r.martqlCold);
    const second = pick((r) => r.martqlSecond);
    const nj = pick((r) => r.nunjucks);
    rows.push({
      what: `compile ${models} ${set} models, new process`,
      martql: `${show(cold)}, ${((cold.cpu / models) * 1000).toFixed(0)} us each`,
      baseline: `${show(nj)} plain nunjucks`,
      ratio: cold.cpu / nj.cpu,
      target: 'faster than plain nunjucks',
    });
    rows.push({
      what: `same sources, second engine in the process`,
      martql: show(second),
      baseline: `${show(nj)} plain nunjucks`,
      ratio: second.cpu / nj.cpu,
      target: 'cache hit: no lex/parse/codegen',
    });
  }
  printTable(
    `template compile: CPU ms (wall) — ${measuring}; median of ${repeat} processes; load ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores`,
    rows,
  );
}

if (require.main === module) main();
