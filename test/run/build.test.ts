/**
 * `martql build` end to end on a real warehouse: the fixture projects from an empty database and
 * again on top of the first build, expected PASS/WARN/FAIL per test with stored failures, failures
 * that skip exactly what depends on them, and history written for every node.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { runProject, type RunRequest } from '../../src/run/runner';
import type { RunSummary } from '../../src/run/types';
import { openStateStore } from '../../src/state';
import { openProjectWarehouse, type ProjectWarehouse } from '../helpers/project-warehouse';
import { copyFixture, tempProject } from '../helpers/temp-project';

function statuses(summary: RunSummary): Record<string, string> {
  return Object.fromEntries(summary.results.map((r) => [r.name, r.status]));
}

describe('martql build', () => {
  let pw: ProjectWarehouse;
  beforeEach(async () => {
    pw = await openProjectWarehouse();
  });
  afterEach(async () => {
    await pw.cleanup();
  });

  const build = (projectDir: string, extra: Partial<RunRequest> = {}) =>
    runProject({
      projectDir,
      command: 'build',
      warehouse: pw.wh,
      target: pw.target,
      stateSchema: pw.stateSchema,
      noParseCache: true,
      ...extra,
    });

  it.each(['jaffle_shop', 'toolkit_demo'])(
    '%s builds and tests green from empty, then again on top',
    async (fixture) => {
      const copy = copyFixture(fixture);
      try {
        const first = await build(copy.dir);
        expect(first.counts).toMatchObject({ error: 0, skip: 0, warn: 0 });
        expect(first.counts.pass).toBe(first.counts.total);
        const second = await build(copy.dir);
        expect(second.counts.pass).toBe(first.counts.total);

        // Every node of both invocations is in the history, and run_results.json describes the last.
        const state = await openStateStore(pw.wh, { schema: pw.stateSchema });
        const history = await state.runHistory({ limit: 1000 });
        expect(history.length).toBe(first.counts.total + second.counts.total);
        const runResults = JSON.parse(
          readFileSync(path.join(copy.dir, 'target', 'run_results.json'), 'utf8'),
        );
        expect(runResults.metadata.invocation_id).toBe(second.invocationId);
        expect(runResults.results).toHaveLength(second.counts.total);
      } finally {
        copy.cleanup();
      }
    },
  );

  it('jaffle_shop marts hold the expected rows', async () => {
    const copy = copyFixture('jaffle_shop');
    try {
      await build(copy.dir);
      const s = pw.schema;
      const { rows } = await pw.wh.query<{ orders: number; amount: string; customers: number }>(
        `select (select count(*) from "${s}".orders)::int as orders,
                (select sum(amount) from "${s}".orders)::text as amount,
                (select count(*) from "${s}".customers)::int as customers`,
      );
      const payments = await pw.wh.query<{ total: string }>(
        `select (sum(amount) / 100.0)::text as total from "${s}".raw_payments`,
      );
      // Every payment lands in exactly one order: the mart's amounts add up to the raw payments.
      expect(Number(rows[0].amount)).toBeCloseTo(Number(payments.rows[0].total), 6);
      expect(rows[0].customers).toBeGreaterThan(0);
    } finally {
      copy.cleanup();
    }
  });

  it('reports PASS/WARN/FAIL per test, keeps failing rows, and skips what a failure blocks', async () => {
    const project = tempProject({
      'seeds/people.csv': 'id,name,status\n1,ann,active\n2,bob,active\n2,cy,gone\n,dee,lost\n',
      'models/people_clean.sql': "select * from {{ ref('people') }}",
      'models/after_clean.sql': "select count(*) as n from {{ ref('people_clean') }}",
      'models/independent.sql': 'select 1 as one',
      'models/schema.yml': [
        'version: 2',
        'seeds:',
        '  - name: people',
        '    columns:',
        '      - name: id',
        '        data_tests:',
        '          - unique:',
        '              config: {severity: warn}',
        '      - name: name',
        '        data_tests: [not_null]',
        'models:',
        '  - name: people_clean',
        '    columns:',
        '      - name: status',
        '        data_tests:',
        '          - accepted_values:',
        "              values: ['active', 'gone']",
        '              config: {store_failures: true}',
        '      - name: id',
        '        data_tests:',
        '          - not_null:',
        "              config: {warn_if: '>= 1', error_if: '> 5'}",
      ].join('\n'),
    });
    try {
      const summary = await build(project.dir);
      expect(statuses(summary)).toEqual({
        people: 'success',
        unique_people_id: 'warn',
        not_null_people_name: 'pass',
        people_clean: 'success',
        independent: 'success',
        accepted_values_people_clean_status__active__gone: 'fail',
        not_null_people_clean_id: 'warn',
        after_clean: 'skipped',
      });
      expect(summary.counts).toEqual({ pass: 4, warn: 2, error: 1, skip: 1, total: 8 });
      const failed = summary.results.find((r) => r.name.startsWith('accepted_values'))!;
      expect(failed.failures).toBe(1);
      const stored = await pw.wh.query(
        `select value_field, n_records from "${pw.schema}_dbt_test__audit"."accepted_values_people_clean_status__active__gone"`,
      );
      expect(stored.rows).toEqual([{ value_field: 'lost', n_records: 1 }]);
      const skipped = summary.results.find((r) => r.name === 'after_clean')!;
      expect(skipped.skippedBecause).toBe(failed.uniqueId);
    } finally {
      project.cleanup();
    }
  });

  it('a model whose new SQL fails keeps its previous relation and data, and its descendants are skipped', async () => {
    const project = tempProject({
      'models/base.sql': "{{ config(materialized='table') }}select 1 as id, 'v1' as version",
      'models/downstream.sql': "select * from {{ ref('base') }}",
    });
    try {
      expect((await build(project.dir)).counts.error).toBe(0);
      writeFileSync(
        path.join(project.dir, 'models', 'base.sql'),
        "{{ config(materialized='table') }}select 1/0 as id, 'v2' as version",
      );
      const second = await build(project.dir);
      expect(statuses(second)).toEqual({ base: 'error', downstream: 'skipped' });
      expect(second.results[0].error?.code).toBe('DATABASE');
      const { rows } = await pw.wh.query(`select * from "${pw.schema}".downstream`);
      expect(rows).toEqual([{ id: 1, version: 'v1' }]);
      const state = await openStateStore(pw.wh, { schema: pw.stateSchema });
      const history = await state.runHistory({ uniqueId: 'model.demo.base', limit: 10 });
      expect(history.map((h) => h.status)).toEqual(['error', 'success']);
      expect(history[0].error?.message).toMatch(/division by zero/);
      // The successful build's statements are recorded with their rows: the table got its 1 row.
      expect(history[1].statements.length).toBeGreaterThan(0);
      expect(history[1].statements.some((st) => st.rows === 1)).toBe(true);
      expect(existsSync(path.join(project.dir, 'target', 'run_results.json'))).toBe(true);
    } finally {
      project.cleanup();
    }
  });

  it('--select limits the build and --exclude removes from it', async () => {
    const copy = copyFixture('jaffle_shop');
    try {
      const summary = await build(copy.dir, { select: ['+stg_orders'], exclude: ['raw_payments'] });
      expect(summary.results.map((r) => r.name).sort()).toEqual(
        [
          'not_null_stg_orders_order_id',
          'raw_orders',
          'stg_orders',
          'unique_stg_orders_order_id',
          'accepted_values_stg_orders_status__placed__shipped__completed__return_pending__returned',
        ].sort(),
      );
    } finally {
      copy.cleanup();
    }
  });

  it('regressions: a relationships test pointing downstream, config() in a test body, tests on ephemeral models, hooks see is_incremental()', async () => {
    const project = tempProject({
      'models/a.sql': 'select 1 as id',
      'models/b.sql': "select id from {{ ref('a') }}",
      'models/eph.sql': "{{ config(materialized='ephemeral') }}select 7 as seven",
      'models/uses_eph.sql': "select * from {{ ref('eph') }}",
      'models/incr.sql': [
        "{{ config(materialized='incremental', unique_key='id',",
        '   pre_hook="create table if not exists {{ target.schema }}.hook_log (kind text)",',
        "   post_hook=\"insert into {{ target.schema }}.hook_log values ('{{ 'incremental' if is_incremental() else 'full' }}')\") }}",
        'select 1 as id',
      ].join('\n'),
      'macros/always_warn.sql':
        "{% test always_warn(model, column_name) %}{{ config(severity='warn') }}select * from {{ model }}{% endtest %}",
      'models/schema.yml': [
        'version: 2',
        'models:',
        '  - name: a',
        '    columns:',
        '      - name: id',
        '        data_tests:',
        "          - relationships: {to: ref('b'), field: id}",
        '          - always_warn',
        '  - name: eph',
        '    columns:',
        '      - name: seven',
        '        data_tests: [not_null]',
      ].join('\n'),
    });
    try {
      const first = await build(project.dir);
      expect(statuses(first)).toMatchObject({
        a: 'success',
        b: 'success',
        relationships_a_id__id__ref_b_: 'pass',
        always_warn_a_id: 'warn',
        not_null_eph_seven: 'pass',
        uses_eph: 'success',
        incr: 'success',
      });
      await build(project.dir, { select: ['incr'] });
      const { rows } = await pw.wh.query(`select kind from "${pw.schema}".hook_log`);
      expect(rows.map((r) => r.kind)).toEqual(['full', 'incremental']);
    } finally {
      project.cleanup();
    }
  });

  it('a model that fails to compile is reported as an error, and the run still returns its summary', async () => {
    const project = tempProject({
      'models/ok.sql': 'select 1 as id',
      // Raised only when executing (at parse time it would fail the whole project, as in dbt).
      'models/broken.sql':
        "select {% if execute %}{{ exceptions.raise_compiler_error('no good') }}{% endif %} 1 from {{ ref('ok') }}",
      'models/after.sql': "select * from {{ ref('broken') }}",
    });
    try {
      const summary = await build(project.dir);
      expect(statuses(summary)).toEqual({ ok: 'success', broken: 'error', after: 'skipped' });
      expect(summary.results.find((r) => r.name === 'broken')!.error?.code).toBe('COMPILER_ERROR');
    } finally {
      project.cleanup();
    }
  });
});
