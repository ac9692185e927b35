/**
 * Compile benchmark: the shape of dbt-core's own parse benchmark — N models (default 2,000), each
 * with `unique`, `not_null` and `relationships` tests — plus a variant where most models call
 * macros. Measures a cold parse + compile, a warm one (parse cache hit), and, as the baseline in the
 * same run, plain nunjucks rendering the same model files with no dbt context at all (the floor any
 * nunjucks-based engine pays).
 *
 * Run alone: `npm run bench:compile` (or `npx tsx bench/compile.ts --models 2000`).
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import nunjucks from 'nunjucks';
import { martql } from './martql';
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

async function timeCompile(dir: string, noParseCache: boolean): Promise<{ ms: number; nodes: number }> {
  const started = performance.now();
  const result = await martql.compileProject({ projectDir: dir, noParseCache, write: true });
  return { ms: performance.now() - started, nodes: result.manifest.nodes.size };
}

function timePlainNunjucks(dir: string, models: number): number {
  const env = new nunjucks.Environment(null, { autoescape: false });
  const started = performance.now();
  for (let i = 0; i < models; i++) {
    const src = `select id, amount_cents from {{ ref('model_${i}') }}`;
    env.renderString(src, { ref: (n: string) => `"public"."${n}"`, config: () => '' });
  }
  return performance.now() - started;
}

export async function benchCompile(models: number): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const withMacros of [false, true]) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'martql-bench-compile-'));
    try {
      generateProject(dir, models, withMacros);
      const cold = await timeCompile(dir, true);
      await timeCompile(dir, false); // fills the parse cache
      const warm = await timeCompile(dir, false);
      const baseline = timePlainNunjucks(dir, models);
      const label = withMacros ? 'macro-heavy' : 'plain refs';
      rows.push({
        what: `compile ${models} models + ${cold.nodes - models} tests (${label}), cold`,
        martql: `${cold.ms.toFixed(0)} ms`,
        baseline: `${baseline.toFixed(0)} ms plain nunjucks`,
        ratio: cold.ms / baseline,
        target: '< 1000 ms (dbt-core: 44-72 s)',
      });
      rows.push({
        what: `same, parse cache warm`,
        martql: `${warm.ms.toFixed(0)} ms`,
        baseline: `${cold.ms.toFixed(0)} ms cold`,
        ratio: warm.ms / cold.ms,
        target: 're-parses nothing',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return rows;
}

if (require.main === module) {
  const idx = process.argv.indexOf('--models');
  const models = idx > 0 ? Number(process.argv[idx + 1]) : 2000;
  benchCompile(models)
    .then((rows) => printTable('compile', rows))
    .catch((err) => {
      console.error(err);
      process.exitCode = 1;
    });
}
