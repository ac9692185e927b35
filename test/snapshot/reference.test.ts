/**
 * Snapshots against a brute-force reference: a seeded sequence of source states (updates, updates
 * of columns a check list ignores, changes without an updated_at bump, deletes, re-inserts, new
 * keys, an empty step) is snapshotted by six snapshots covering both strategies, single and
 * composite keys, the three hard-delete modes, renamed meta columns and `dbt_valid_to_current`.
 * After every run each snapshot table must equal the SCD2 history computed in TypeScript.
 *
 * The snapshot time comes from the project's own `snapshot_get_time()` macro (which dbt lets a
 * project override), fed by a var, so the expected timestamps are exact.
 */
import { runProject } from '../../src/run/runner';
import { qualify, quoteIdent } from '../../src/warehouse';
import { openProjectWarehouse, type ProjectWarehouse } from '../helpers/project-warehouse';
import { tempProject } from '../helpers/temp-project';
import {
  DAY,
  Scd2Reference,
  SOURCE_COLUMNS,
  sourceStates,
  timestamp,
  type ReferenceSpec,
  type SourceRow,
} from './scd2-reference';

interface Case {
  name: string;
  spec: ReferenceSpec;
  /** The snapshot's config() arguments (Jinja keyword syntax). */
  config: string;
  meta?: { validFrom: string; validTo: string; scdId: string; updatedAt: string; isDeleted: string };
  validToCurrent?: string;
}

const CASES: Case[] = [
  {
    name: 'ts_single_ignore',
    spec: { strategy: 'timestamp', key: ['id'], hardDeletes: 'ignore' },
    config: "unique_key='id', strategy='timestamp', updated_at='updated_at'",
  },
  {
    name: 'ts_composite_invalidate',
    spec: { strategy: 'timestamp', key: ['grp', 'sub'], hardDeletes: 'invalidate' },
    config:
      "unique_key=['grp', 'sub'], strategy='timestamp', updated_at='updated_at', invalidate_hard_deletes=true",
  },
  {
    name: 'ts_single_new_record',
    spec: { strategy: 'timestamp', key: ['id'], hardDeletes: 'new_record' },
    config: "unique_key='id', strategy='timestamp', updated_at='updated_at', hard_deletes='new_record'",
  },
  {
    name: 'check_all_composite_ignore',
    spec: { strategy: 'check', checkCols: 'all', key: ['grp', 'sub'], hardDeletes: 'ignore' },
    config: "unique_key=['grp', 'sub'], strategy='check', check_cols='all'",
  },
  {
    name: 'check_cols_single_invalidate',
    spec: { strategy: 'check', checkCols: ['status', 'amount'], key: ['id'], hardDeletes: 'invalidate' },
    config: "unique_key='id', strategy='check', check_cols=['status', 'amount'], hard_deletes='invalidate'",
  },
];

/** Declared in YAML (dbt 1.9), with renamed meta columns and a non-null valid_to for current rows. */
const YAML_CASE: Case = {
  name: 'check_cols_composite_new_record',
  spec: {
    strategy: 'check',
    checkCols: ['status', 'amount'],
    key: ['grp', 'sub'],
    hardDeletes: 'new_record',
  },
  config: '',
  meta: {
    validFrom: 'start_at',
    validTo: 'end_at',
    scdId: 'version_id',
    updatedAt: 'changed_at',
    isDeleted: 'is_gone',
  },
  validToCurrent: '9999-12-31 00:00:00',
};

function projectFiles(schema: string): Record<string, string> {
  const block = (c: Case) =>
    `{% snapshot ${c.name} %}\n{{ config(${c.config}) }}\nselect * from {{ source('raw', 'src_rows') }}\n{% endsnapshot %}\n`;
  return {
    'macros/snapshot_time.sql':
      '{% macro snapshot_get_time() %}\'{{ var("snapshot_time") }}\'::timestamp{% endmacro %}\n',
    'models/sources.yml': `sources:\n  - name: raw\n    schema: ${schema}\n    tables:\n      - name: src_rows\n`,
    // Several blocks in one file, and one file of its own.
    'snapshots/timestamp_snapshots.sql': CASES.slice(0, 3).map(block).join('\n'),
    'snapshots/check/check_snapshots.sql': CASES.slice(3).map(block).join('\n'),
    'snapshots/yaml_snapshots.yml': [
      'snapshots:',
      `  - name: ${YAML_CASE.name}`,
      "    relation: source('raw', 'src_rows')",
      '    config:',
      '      unique_key: [grp, sub]',
      '      strategy: check',
      '      check_cols: [status, amount]',
      '      hard_deletes: new_record',
      `      dbt_valid_to_current: "'${YAML_CASE.validToCurrent}'::timestamp"`,
      '      snapshot_meta_column_names:',
      ...Object.entries({
        dbt_valid_from: 'start_at',
        dbt_valid_to: 'end_at',
        dbt_scd_id: 'version_id',
        dbt_updated_at: 'changed_at',
        dbt_is_deleted: 'is_gone',
      }).map(([k, v]) => `        ${k}: ${v}`),
      '',
    ].join('\n'),
  };
}

async function loadSource(pw: ProjectWarehouse, rows: SourceRow[]): Promise<void> {
  const table = qualify(pw.schema, 'src_rows');
  await pw.wh.query(`delete from ${table}`);
  if (rows.length === 0) return;
  const params: unknown[] = [];
  const tuples = rows.map((r) => {
    const start = params.length;
    params.push(r.id, r.grp, r.sub, r.status, r.amount, r.note, r.updated_at);
    return `(${SOURCE_COLUMNS.map((_, i) => `$${start + i + 1}`).join(', ')})`;
  });
  await pw.wh.query(`insert into ${table} values ${tuples.join(', ')}`, params);
}

type Flat = Record<string, unknown>;

function expected(c: Case, ref: Scd2Reference): Flat[] {
  return ref.versions.map((v) => ({
    ...v.row,
    updatedAt: v.updatedAt,
    validFrom: v.validFrom,
    validTo: v.validTo ?? c.validToCurrent ?? null,
    ...(c.spec.hardDeletes === 'new_record' ? { isDeleted: v.isDeleted ? 'True' : 'False' } : {}),
  }));
}

async function actual(pw: ProjectWarehouse, c: Case): Promise<{ rows: Flat[]; scdIds: string[] }> {
  const m = c.meta ?? {
    validFrom: 'dbt_valid_from',
    validTo: 'dbt_valid_to',
    scdId: 'dbt_scd_id',
    updatedAt: 'dbt_updated_at',
    isDeleted: 'dbt_is_deleted',
  };
  const q = quoteIdent;
  const deleted = c.spec.hardDeletes === 'new_record' ? `, ${q(m.isDeleted)} as "isDeleted"` : '';
  const { rows } = await pw.wh.query<Flat & { scd: string }>(
    `select id, grp, sub, status, amount, note, updated_at::text as updated_at,
            ${q(m.updatedAt)}::text as "updatedAt", ${q(m.validFrom)}::text as "validFrom",
            ${q(m.validTo)}::text as "validTo"${deleted}, ${q(m.scdId)} as scd
       from ${qualify(pw.schema, c.name)}`,
  );
  return { rows: rows.map(({ scd: _scd, ...rest }) => rest), scdIds: rows.map((r) => r.scd) };
}

const sorted = (rows: Flat[]) => rows.map((r) => JSON.stringify(r)).sort();

describe('snapshots against an SCD2 reference', () => {
  let pw: ProjectWarehouse;
  beforeEach(async () => {
    pw = await openProjectWarehouse();
  });
  afterEach(async () => {
    await pw.cleanup();
  });

  it.each([7, 42])('match the reference after every run (seed %i)', async (seed) => {
    const project = tempProject(projectFiles(pw.schema));
    try {
      await pw.wh.query(
        `create table ${qualify(pw.schema, 'src_rows')} (id int, grp int, sub text, status text, amount int, note text, updated_at timestamp)`,
      );
      const all = [...CASES, YAML_CASE];
      const refs = new Map(all.map((c) => [c.name, new Scd2Reference(c.spec)]));
      const states = sourceStates(seed, 8);
      for (const [t, rows] of states.entries()) {
        const now = timestamp(t * DAY);
        await loadSource(pw, rows);
        const summary = await runProject({
          projectDir: project.dir,
          command: 'snapshot',
          warehouse: pw.wh,
          target: pw.target,
          stateSchema: pw.stateSchema,
          noParseCache: true,
          vars: { snapshot_time: now },
        });
        const outcomes = summary.results.map((r) => `${r.name}: ${r.status} ${r.error?.message ?? ''}`);
        expect(outcomes.sort()).toEqual(all.map((c) => `${c.name}: success `).sort());
        for (const c of all) {
          const ref = refs.get(c.name)!;
          ref.apply(rows, now);
          const got = await actual(pw, c);
          expect({ step: t, name: c.name, rows: sorted(got.rows) }).toEqual({
            step: t,
            name: c.name,
            rows: sorted(expected(c, ref)),
          });
          expect(got.scdIds.every((id) => /^[0-9a-f]{32}$/.test(id))).toBe(true);
          expect(new Set(got.scdIds).size).toBe(got.scdIds.length);
        }
      }
      // The sequence did exercise what it is meant to: closed versions, deletes, re-appearances.
      const history = refs.get('ts_single_new_record')!.versions;
      expect(history.some((v) => v.isDeleted)).toBe(true);
      expect(history.filter((v) => v.validTo !== null).length).toBeGreaterThan(10);
    } finally {
      project.cleanup();
    }
  });
});
