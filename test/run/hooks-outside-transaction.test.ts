/**
 * Hooks with `transaction: false` (dbt_project.yml `{sql, transaction: false}`, YAML `config:`,
 * `before_begin()` / `after_commit()` in `config()`): they keep their flag through every config
 * layer, the non-transactional pre-hooks run before the build's transaction opens and the
 * non-transactional post-hooks after it commits, in every materialization, snapshots and
 * TypeScript models included.
 *
 * The hooks record `txid_current()` in a log table: the transactional hooks of a build share one
 * transaction id, each non-transactional hook has its own, lower than the build's before it and
 * higher after it. A `vacuum` post-hook, which Postgres and PGlite both refuse inside a
 * transaction block, is the plain proof.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { MartqlError } from '../../src/errors';
import type { RunRequest } from '../../src/run/runner';
import type { NodeResult, RunSummary } from '../../src/run/types';
import { openProjectWarehouse, runOn, type ProjectWarehouse } from '../helpers/project-warehouse';
import { tempProject } from '../helpers/temp-project';
import { MACROS } from './hooks-fixtures';

const TSMODEL = path.resolve(__dirname, '..', '..', 'src', 'tsmodel');

const PROJECT_YML = `
name: demo
version: "1.0"
config-version: 2
models:
  demo:
    +pre-hook:
      - "{{ log_hook(this, 'project pre') }}"
      - sql: "{{ log_hook(this, 'project before_begin') }}"
        transaction: false
    +post-hook:
      - sql: "{{ log_hook(this, 'project after_commit') }}"
        transaction: false
      - "{{ log_hook(this, 'project post') }}"
seeds:
  demo:
    +pre-hook:
      - sql: "{{ log_hook(this, 'project before_begin') }}"
        transaction: false
      - "{{ log_hook(this, 'project pre') }}"
    +post-hook:
      - sql: "vacuum analyze {{ this }}"
        transaction: false
      - "{{ log_hook(this, 'project post') }}"
      - sql: "{{ log_hook(this, 'project after_commit') }}"
        transaction: false
`;

/** A model declaring hooks of both kinds in its `config()` call, on top of the project's and the YAML's. */
function model(materialized: string, extra = ''): string {
  return `{{ config(materialized='${materialized}'${extra},
    pre_hook=[before_begin("{{ log_hook(this, 'sql before_begin') }}"), "{{ log_hook(this, 'sql pre') }}"],
    post_hook=[after_commit("vacuum analyze {{ this }}"), after_commit("{{ log_hook(this, 'sql after_commit') }}"),
               "{{ log_hook(this, 'sql post') }}"]) }}
select {{ var('v', 1) }} as v`;
}

const MODELS = ['m_table', 'm_view', 'm_incremental', 'm_custom'];

const SCHEMA_YML = `
version: 2
models:
${MODELS.map(
  (name) => `  - name: ${name}
    config:
      post_hook:
        - sql: "{{ log_hook(this, 'yaml after_commit') }}"
          transaction: false
        - "{{ log_hook(this, 'yaml post') }}"`,
).join('\n')}
`;

/** Fails when the var `fail` is true; harmless otherwise. */
const MAYBE_FAIL = `{% if var('fail', false) %}select 1 / 0{% else %}select 1{% endif %}`;

const FILES: Record<string, string> = {
  'dbt_project.yml': PROJECT_YML,
  'macros/hooks.sql': MACROS,
  'models/schema.yml': SCHEMA_YML,
  'models/m_table.sql': model('table'),
  'models/m_view.sql': model('view'),
  'models/m_incremental.sql': model('incremental'),
  'models/m_custom.sql': model('logged_table'),
  'seeds/s.csv': 'id\n1\n2\n',
  'seeds/s2.csv': 'id\n1\n',
  'seeds/schema.yml': `
version: 2
seeds:
  - name: s2
    config:
      post_hook: "${MAYBE_FAIL}"
`,
  'models/m_ts.ts': [
    `import { defineModel } from ${JSON.stringify(TSMODEL)};`,
    'export default defineModel({',
    "  columns: { v: 'integer' },",
    '  config: { post_hook: [{ sql: "vacuum analyze {{ this }}", transaction: false }] },',
    '  async run() { return [{ v: 1 }]; },',
    '});',
  ].join('\n'),
  'models/m_after_fail.sql': `{{ config(materialized='table', post_hook=after_commit("${MAYBE_FAIL}")) }}
select {{ var('v', 1) }} as v`,
  'models/m_before_fail.sql': `{{ config(materialized='table', pre_hook=before_begin("${MAYBE_FAIL}")) }}
select {{ var('v', 1) }} as v`,
  'snapshots/snap.sql': `{% snapshot snap %}
{{ config(unique_key='id', strategy='check', check_cols='all',
    pre_hook=[before_begin("{{ log_hook(this, 'sql before_begin') }}"), "{{ log_hook(this, 'sql pre') }}"],
    post_hook=[after_commit("vacuum analyze {{ this }}"), after_commit("{{ log_hook(this, 'sql after_commit') }}"),
               "{{ log_hook(this, 'sql post') }}"]) }}
select 1 as id, {{ var('v', 1) }} as v
{% endsnapshot %}`,
};

/** Every hook of a model, in the order it runs: outside before, inside, inside after, outside after. */
const MODEL_ORDER = [
  'project before_begin',
  'sql before_begin',
  'project pre',
  'sql pre',
  'project post',
  'yaml post',
  'sql post',
  'project after_commit',
  'yaml after_commit',
  'sql after_commit',
];

describe('hooks outside the transaction', () => {
  let pw: ProjectWarehouse;
  let project: { dir: string; cleanup(): void };
  beforeAll(async () => {
    pw = await openProjectWarehouse();
    project = tempProject(FILES);
    await pw.wh.query(
      `create table "${pw.schema}".hook_log (seq serial primary key, model text, event text, tx bigint)`,
    );
  });
  afterAll(async () => {
    project?.cleanup();
    await pw?.cleanup();
  });

  const run = (extra: Partial<RunRequest> = {}): Promise<RunSummary> => runOn(pw, project.dir, { ...extra });
  const only = async (extra: Partial<RunRequest>): Promise<NodeResult> => {
    const summary = await run(extra);
    expect(summary.results).toHaveLength(1);
    return summary.results[0];
  };

  /** The log of one model since the last call, as [event, tx]. */
  const takeLog = async (name: string): Promise<[string, number][]> => {
    const { rows } = await pw.wh.query<{ event: string; tx: string }>(
      `select event, tx::text as tx from "${pw.schema}".hook_log where model = $1 order by seq`,
      [name],
    );
    await pw.wh.query(`delete from "${pw.schema}".hook_log where model = $1`, [name]);
    return rows.map((r) => [r.event, Number(r.tx)]);
  };

  /** The order is MODEL_ORDER; inside hooks share the build's transaction, the others come before or after it. */
  function expectAroundTheBuild(log: [string, number][], order = MODEL_ORDER, oneTransaction = true): void {
    expect(log.map(([event]) => event)).toEqual(order);
    const tx = Object.fromEntries(log);
    const inside = log.filter(([e]) => !/before_begin|after_commit/.test(e)).map(([, t]) => t);
    const before = log.filter(([e]) => e.endsWith('before_begin')).map(([, t]) => t);
    const after = log.filter(([e]) => e.endsWith('after_commit')).map(([, t]) => t);
    if (oneTransaction) expect(new Set(inside).size).toBe(1);
    // Each outside hook commits on its own: a transaction id of its own, before or after the build's.
    expect(new Set([...before, ...after, ...inside]).size).toBe(
      before.length + after.length + new Set(inside).size,
    );
    for (const t of before) expect(t).toBeLessThan(Math.min(...inside));
    for (const t of after) expect(t).toBeGreaterThan(Math.max(...inside));
    if (tx['project before_begin'] !== undefined && tx['sql before_begin'] !== undefined)
      expect(tx['sql before_begin']).toBeGreaterThan(tx['project before_begin']);
  }

  it.each(MODELS)(
    '%s: before_begin hooks, then the build with its hooks, then after_commit hooks',
    async (name) => {
      const first = await only({ select: [name] });
      expect(first).toMatchObject({ status: 'success' });
      expectAroundTheBuild(await takeLog(name));
      // The statements of the result list the vacuum after the build's.
      const sql = (first.statements ?? []).map((s) => s.sql);
      expect(sql.findIndex((s) => s.startsWith('vacuum analyze'))).toBeGreaterThan(
        sql.findIndex((s) => s.includes("'sql post'")),
      );
      // Again on top (the incremental model builds incrementally now).
      expect(await only({ select: [name], vars: { v: 2 } })).toMatchObject({ status: 'success' });
      expectAroundTheBuild(await takeLog(name));
      const { rows } = await pw.wh.query(`select v from "${pw.schema}".${name} order by v`);
      expect(rows.map((r) => r.v)).toEqual(name === 'm_incremental' ? [1, 2] : [2]);
    },
  );

  it('a TypeScript model takes hooks too: its own vacuum after the commit, the project’s around the build', async () => {
    expect(await only({ select: ['m_ts'] })).toMatchObject({ status: 'success', rowsAffected: 1 });
    expectAroundTheBuild(await takeLog('m_ts'), [
      'project before_begin',
      'project pre',
      'project post',
      'project after_commit',
    ]);
  });

  it('a seed runs its hooks too, a vacuum after the commit', async () => {
    for (const fullRefresh of [false, true]) {
      expect(await only({ command: 'seed', select: ['s'], fullRefresh })).toMatchObject({
        status: 'success',
        rowsAffected: 2,
      });
      expectAroundTheBuild(await takeLog('s'), [
        'project before_begin',
        'project pre',
        'project post',
        'project after_commit',
      ]);
    }
  });

  it('a seed whose transactional post-hook fails keeps its old rows and reports the hook’s error', async () => {
    expect(await only({ command: 'seed', select: ['s2'] })).toMatchObject({
      status: 'success',
      rowsAffected: 1,
    });
    writeFileSync(path.join(project.dir, 'seeds', 's2.csv'), 'id\n1\n2\n3\n');
    const result = await only({ command: 'seed', select: ['s2'], vars: { fail: true } });
    expect(result.status).toBe('error');
    // Named by the hook (the project's three come first), not only by the seed's file, the CSV.
    expect(result.error?.message).toBe('seeds/s2.csv (post-hook 4) failed: division by zero');
    const { rows } = await pw.wh.query(`select id from "${pw.schema}".s2`);
    expect(rows).toEqual([{ id: 1 }]);
    await takeLog('s2');
  });

  it('a snapshot runs its before_begin and after_commit hooks around its transaction', async () => {
    for (const v of [1, 2]) {
      const result = await only({ command: 'snapshot', vars: { v } });
      expect(result).toMatchObject({ status: 'success' });
      expectAroundTheBuild(await takeLog('snap'), [
        'sql before_begin',
        'sql pre',
        'sql post',
        'sql after_commit',
      ]);
    }
    const { rows } = await pw.wh.query(`select v from "${pw.schema}".snap order by v`);
    expect(rows.map((r) => r.v)).toEqual([1, 2]);
  });

  it('a failing after_commit hook leaves the new data committed and names the hook', async () => {
    expect(await only({ select: ['m_after_fail'] })).toMatchObject({ status: 'success' });
    await takeLog('m_after_fail');
    const state = async () =>
      (
        await pw.wh.query<{
          built_at: string;
          sql_hash: string;
          last_status: string;
          last_error_message: string;
        }>(
          `select built_at, sql_hash, last_status, last_error_message from "${pw.stateSchema}".model_state
           where unique_id = 'model.demo.m_after_fail'`,
        )
      ).rows[0];
    const before = await state();
    const result = await only({ select: ['m_after_fail'], vars: { v: 2, fail: true } });
    expect(result.status).toBe('error');
    const error = result.error as MartqlError;
    expect(error.message).toMatch(
      /^models\/m_after_fail\.sql \(post-hook 3\), which runs outside the transaction \(transaction: false\), failed after the build committed: .*division by zero/,
    );
    expect(error.location?.file).toBe('models/m_after_fail.sql');
    expect(error.data).toMatchObject({ hook: 'models/m_after_fail.sql (post-hook 3)', committed: true });
    const { rows } = await pw.wh.query(`select v from "${pw.schema}".m_after_fail`);
    expect(rows).toEqual([{ v: 2 }]);
    // The run state records the build that committed (so freshness does not rebuild it on every
    // refresh), and the attempt as an error.
    const after = await state();
    expect(Date.parse(after.built_at)).toBeGreaterThan(Date.parse(before.built_at));
    expect(after.sql_hash).not.toBe(before.sql_hash);
    expect(after.last_status).toBe('error');
    expect(after.last_error_message).toMatch(/post-hook 3.*division by zero/);
    // The build's own post-hooks ran and committed; the project's after_commit hook ran before the failing one.
    expect((await takeLog('m_after_fail')).map(([e]) => e)).toEqual([
      'project before_begin',
      'project pre',
      'project post',
      'project after_commit',
    ]);
  });

  it('a failing before_begin hook builds nothing: the old data stays', async () => {
    expect(await only({ select: ['m_before_fail'] })).toMatchObject({ status: 'success' });
    await takeLog('m_before_fail');
    const result = await only({ select: ['m_before_fail'], vars: { v: 2, fail: true } });
    expect(result.status).toBe('error');
    expect(result.error?.message).toMatch(
      /^models\/m_before_fail\.sql \(pre-hook 3\), which runs outside the transaction \(transaction: false\), failed before the build began: .*division by zero/,
    );
    expect((result.error as MartqlError).data).toMatchObject({ committed: false });
    const { rows } = await pw.wh.query(`select v from "${pw.schema}".m_before_fail`);
    expect(rows).toEqual([{ v: 1 }]);
    // Only the project's before_begin hook, which comes first, ran.
    expect((await takeLog('m_before_fail')).map(([e]) => e)).toEqual(['project before_begin']);
  });

  it('manifest.json exports every hook with its transaction flag, in layer order', async () => {
    await run({ select: ['m_table'] });
    await takeLog('m_table');
    const manifest = JSON.parse(readFileSync(path.join(project.dir, 'target', 'manifest.json'), 'utf8'));
    const config = manifest.nodes['model.demo.m_table'].config;
    const hook = (sql: string, transaction: boolean) => ({ sql, transaction, index: null });
    expect(config['pre-hook']).toEqual([
      hook("{{ log_hook(this, 'project pre') }}", true),
      hook("{{ log_hook(this, 'project before_begin') }}", false),
      hook("{{ log_hook(this, 'sql before_begin') }}", false),
      hook("{{ log_hook(this, 'sql pre') }}", true),
    ]);
    expect(config['post-hook']).toEqual([
      hook("{{ log_hook(this, 'project after_commit') }}", false),
      hook("{{ log_hook(this, 'project post') }}", true),
      hook("{{ log_hook(this, 'yaml after_commit') }}", false),
      hook("{{ log_hook(this, 'yaml post') }}", true),
      hook('vacuum analyze {{ this }}', false),
      hook("{{ log_hook(this, 'sql after_commit') }}", false),
      hook("{{ log_hook(this, 'sql post') }}", true),
    ]);
  });
});
