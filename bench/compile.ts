/**
 * Compile benchmark: the shape of dbt-core's own parse benchmark — N models (default 2,000), each
 * with `unique`, `not_null` and `relationships` tests — plus a variant where most models call
 * macros. Measures a cold parse + compile (no parse cache, nothing written), a warm one (parse
 * cache hit), and, as the baseline in the same run, plain nunjucks rendering the same model files
 * with no dbt context at all (the floor any nunjucks-based engine pays).
 *
 * Every measurement runs in a fresh process, as a `martql compile` does (cold JIT, empty template
 * caches, V8 tuned as the compile command tunes it: compile-v8.ts), and reports process CPU time
 * (user + system, all threads: V8 compiles and collects garbage on background threads; other work
 * on a shared machine inflates wall time far more), wall time in parentheses, the median of
 * `--repeat` runs (default 5), the kinds alternating run by run. A second cold kind calls the same
 * build without the tuning (as a program embedding MartQL would), to tell the two gains apart.
 * `--against <dist/index.js>` adds another build of MartQL (say, the previous commit's) measured in
 * the same alternation, run as that build's own compile command runs, for a before/after ratio.
 *
 * Run alone: `npm run bench:compile` (or `npx tsx bench/compile.ts --models 2000 --repeat 5`).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import nunjucks from 'nunjucks';
import { martql, measuring, tuneLikeCompileCommand } from './martql';
import { printTable, type BenchRow } from './table';

export function generateProject(dir: string, models: number, withMacros: boolean): void {
  mkdirSync(path.join(dir, 'models'), { recursive: true });
  mkdirSync(path.join(dir, 'macros'), { recursive: true });
  writeFileSync(
    path.join(dir, 'dbt_project.yml'),
    `name: bench\nversion: "1.0"\nconfig-version: 2\nmodels:\n  bench:\n    +materialized: view\n`,
  );
  writeFileSync(
    path.join(dir, 'macros', 'helpers.sql'),
    `{% macro cents_to_dollars(col, scale=2) %}round({{ col }} / 100.0, {{ scale }}){% endmacro %}\n` +
      `{% macro columns_list(cols) %}{% for c in cols %}{{ c }}{{ ', ' if not loop.last }}{% endfor %}{% endmacro %}\n` +
      `{% macro safe_id(col) %}{{ return(adapter.dispatch('safe_id')(col)) }}{% endmacro %}\n` +
      `{% macro default__safe_id(col) %}coalesce({{ col }}, -1){% endmacro %}\n`,
  );
  const yaml: string[] = ['version: 2', 'models:'];
  for (let i = 0; i < models; i++) {
    const name = `model_${i}`;
    const parent = i === 0 ? null : `model_${Math.floor(i / 2)}`;
    let sql: string;
    if (parent === null) sql = `select 1 as id, 100 as amount_cents`;
    else if (withMacros && i % 10 !== 0) {
      sql =
        `{{ config(tags=['generated']) }}\n` +
        `select {{ safe_id('id') }} as id, {{ cents_to_dollars('amount_cents') }} as amount, amount_cents,\n` +
        `  {{ columns_list(['id', 'amount_cents']) }}\nfrom {{ ref('${parent}') }}\n` +
        `where {{ dbt.current_timestamp() }} is not null`;
    } else {
      sql = `select id, amount_cents\nfrom {{ ref('${parent}') }}`;
    }
    writeFileSync(path.join(dir, 'models', `${name}.sql`), `${sql}\n`);
    yaml.push(
      `  - name: ${name}`,
      `    columns:`,
      `      - name: id`,
      `        data_tests:`,
      `          - unique`,
      `          - not_null`,
    );
    if (parent)
      yaml.push(
        `          - relationships:`,
        `              to: ref('${parent}')`,
        `              field: id`,
      );
  }
  writeFileSync(path.join(dir, 'models', 'schema.yml'), `${yaml.join('\n')}\n`);
}

type Kind =
  | 'cold'
  | 'untuned'
  | 'warm'
  | 'fill'
  | 'nunjucks'
  | 'against'
  | 'cli'
  | 'cli-against'
  | 'cli-again'
  | 'cli-against-again';

interface Timing {
  cpu: number;
  wall: number;
}

async function timed(fn: () => unknown): Promise<Timing> {
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  await fn();
  const wall = performance.now() - started;
  const cpu = process.cpuUsage(cpu0);
  return { cpu: (cpu.user + cpu.system) / 1000, wall };
}

/** Plain nunjucks rendering each model's kind of SQL with a stub `ref`: the floor. */
function plainNunjucks(models: number): void {
  const env = new nunjucks.Environment(null, { autoescape: false });
  for (let i = 0; i < models; i++) {
    const src = `select id, amount_cents from {{ ref('model_${i}') }}`;
    env.renderString(src, { ref: (n: string) => `"public"."${n}"`, config: () => '' });
  }
}

/** One measurement in this (fresh) process. */
async function child(kind: Kind, dir: string, models: number, against?: string): Promise<Timing> {
  if (kind === 'nunjucks') return timed(() => plainNunjucks(models));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const api: typeof martql = kind === 'against' ? require(against!) : martql;
  if (kind === 'cold' || kind === 'warm') tuneLikeCompileCommand();
  if (kind === 'against') {
    // The other build as its own `martql compile` runs: tuned if it has the tuning.
    const tuning = path.join(path.dirname(against!), 'cli', 'commands', 'compile-v8.js');
    if (existsSync(tuning)) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      (require(tuning) as { tuneV8ForOneShotCompile: () => void }).tuneV8ForOneShotCompile();
    }
  }
  const options = { projectDir: dir, noParseCache: kind !== 'warm' && kind !== 'fill', write: false };
  let nodes = 0;
  const timing = await timed(async () => {
    nodes = (await api.compileProject(options)).manifest.nodes.size;
  });
  if (nodes !== models * 4 - 1) throw new Error(`expected ${models * 4 - 1} nodes, got ${nodes}`);
  return timing;
}

/**
 * The whole `martql compile` command in a process of its own: Node's start, loading MartQL, the
 * compile, writing target/compiled and target/manifest.json; CPU and wall from the process start.
 * Offline (no warehouse), on a copy of the project whose target/ (and parse cache) is removed first.
 */
const CLI_WRAPPER = `
const [main, ...rest] = process.argv.slice(1);
process.argv = [process.argv[0], main, ...rest];
process.on('exit', () => {
  const c = process.cpuUsage();
  process.stderr.write('\\n' + JSON.stringify({ cpu: (c.user + c.system) / 1000, wall: performance.now() }) + '\\n');
});
require(main);
`;

/**
 * `again`: a second compile of the unchanged project, target/ (compiled files, parse cache) left
 * as the last compile of that kind of build wrote it (a first one runs unmeasured when there was none).
 */
function runCli(cliMain: string, dir: string, models: number, again = false): Timing {
  const target = path.join(dir, 'target');
  if (!again) rmSync(target, { recursive: true, force: true });
  else if (!existsSync(path.join(target, 'manifest.json'))) runCli(cliMain, dir, models);
  const args = ['-e', CLI_WRAPPER, cliMain, 'compile', '--offline', '--project-dir', dir];
  const result = spawnSync(process.execPath, args, { encoding: 'utf8' });
  const compiled = /Compiled (\d+) node/.exec(result.stdout);
  if (result.status !== 0 || !compiled || Number(compiled[1]) !== models * 4 - 1)
    throw new Error(`martql compile failed: ${result.stdout}${result.stderr}`);
  return JSON.parse(result.stderr.trim().split('\n').pop()!) as Timing;
}

function runChild(kind: Kind, dir: string, models: number, against?: string): Timing {
  const args = [...process.execArgv, __filename, '--child', kind, dir, '--models', String(models)];
  if (against) args.push('--against', against);
  const out = execFileSync(process.execPath, args, { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!) as Timing;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const show = (t: Timing): string => `${t.cpu.toFixed(0)} ms CPU (wall ${t.wall.toFixed(0)})`;

export async function benchCompile(models: number, repeat = 5, against?: string): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const cliMain = path.resolve(__dirname, '..', 'dist', 'cli', 'main.js');
  const cliAgainst = against && path.join(path.dirname(against), 'cli', 'main.js');
  const kinds: Kind[] = [
    'cold',
    'untuned',
    'nunjucks',
    'warm',
    ...(against ? (['against'] as Kind[]) : []),
    // The command line needs a build (dist/), not the TypeScript sources.
    ...(existsSync(cliMain) ? (['cli'] as Kind[]) : []),
    ...(cliAgainst && existsSync(cliAgainst) ? (['cli-against'] as Kind[]) : []),
  ];
  if (kinds.includes('cli')) kinds.push('cli-again');
  if (kinds.includes('cli-against')) kinds.push('cli-against-again');
  for (const withMacros of [false, true]) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'martql-bench-compile-'));
    const cliDir = `${dir}-cli`;
    // Each build's second compiles in a project of their own: the other build's parse cache misses.
    const againDir = `${dir}-again`;
    const againAgainstDir = `${dir}-again-against`;
    try {
      generateProject(dir, models, withMacros);
      for (const copy of [cliDir, againDir, againAgainstDir]) cpSync(dir, copy, { recursive: true });
      // The parse cache is only written by a compile that uses it: fill it for the warm runs.
      await martql.compileProject({ projectDir: dir, write: false });
      const runs = new Map<Kind, Timing[]>(kinds.map((k) => [k, []]));
      for (let r = 0; r < repeat; r++) {
        // Rotate the order, so no kind always runs right after another on a shared machine.
        for (let k = 0; k < kinds.length; k++) {
          const kind = kinds[(k + r) % kinds.length];
          const timing =
            kind === 'cli' || kind === 'cli-against'
              ? runCli(kind === 'cli' ? cliMain : cliAgainst!, cliDir, models)
              : kind === 'cli-again'
                ? runCli(cliMain, againDir, models, true)
                : kind === 'cli-against-again'
                  ? runCli(cliAgainst!, againAgainstDir, models, true)
                  : runChild(kind, dir, models, against);
          runs.get(kind)!.push(timing);
        }
      }
      const pick = (kind: Kind): Timing => ({
        cpu: median(runs.get(kind)!.map((t) => t.cpu)),
        wall: median(runs.get(kind)!.map((t) => t.wall)),
      });
      const cold = pick('cold');
      const label = withMacros ? 'macro-heavy' : 'plain refs';
      rows.push({
        what: `parse + compile ${models} models + ${models * 3 - 1} tests (${label}), cold, no writes`,
        martql: show(cold),
        baseline: `${show(pick('nunjucks'))} plain nunjucks`,
        ratio: cold.cpu / pick('nunjucks').cpu,
        target: '< 1000 ms (dbt-core: 44-72 s)',
      });
      rows.push({
        what: `same, without the compile command's V8 tuning`,
        martql: show(pick('untuned')),
        baseline: `${show(cold)} tuned`,
        ratio: pick('untuned').cpu / cold.cpu,
        target: '—',
      });
      rows.push({
        what: `same, parse cache warm`,
        martql: show(pick('warm')),
        baseline: `${show(cold)} cold`,
        ratio: pick('warm').cpu / cold.cpu,
        target: 're-parses nothing',
      });
      if (against) {
        rows.push({
          what: `same cold, against ${against}`,
          martql: show(cold),
          baseline: show(pick('against')),
          ratio: cold.cpu / pick('against').cpu,
          target: 'lower is better',
        });
      }
      if (kinds.includes('cli')) {
        const cli = pick('cli');
        rows.push({
          what: `the whole \`martql compile --offline\` (Node start, module loading, writing ${models * 4 - 1} files + manifest.json), cold`,
          martql: show(cli),
          baseline: kinds.includes('cli-against') ? `${show(pick('cli-against'))} ${against}` : '—',
          ratio: kinds.includes('cli-against') ? cli.cpu / pick('cli-against').cpu : Number.NaN,
          target: '—',
        });
        const again = pick('cli-again');
        rows.push({
          what: `same, again: the project unchanged, target/ (compiled files, parse cache) kept`,
          martql: show(again),
          baseline: kinds.includes('cli-against-again')
            ? `${show(pick('cli-against-again'))} ${against}`
            : '—',
          ratio: kinds.includes('cli-against-again') ? again.cpu / pick('cli-against-again').cpu : Number.NaN,
          target: '—',
        });
      }
    } finally {
      for (const d of [dir, cliDir, againDir, againAgainstDir]) rmSync(d, { recursive: true, force: true });
    }
  }
  return rows;
}

if (require.main === module) {
  const arg = (name: string): string | undefined => {
    const idx = process.argv.indexOf(name);
    return idx > 0 ? process.argv[idx + 1] : undefined;
  };
  const models = Number(arg('--models') ?? 2000);
  const childKind = arg('--child') as Kind | undefined;
  const against = arg('--against') ? path.resolve(arg('--against')!) : undefined;
  const main = childKind
    ? child(childKind, arg(childKind)!, models, against).then((t) => console.log(JSON.stringify(t)))
    : benchCompile(models, Number(arg('--repeat') ?? 5), against).then((rows) => {
        console.log(`measuring ${measuring}`);
        printTable('compile', rows);
      });
  main.catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
