/**
 * The built-in `dbt` namespace macros, compiled and then executed in the warehouse: each result is
 * checked against a known value or, for date arithmetic, against a TypeScript reference computed
 * over random date pairs.
 */
import { compileProject } from '../../src/compile/compile-project';
import { openProjectWarehouse, type ProjectWarehouse } from '../helpers/project-warehouse';
import { tempProject } from '../helpers/temp-project';

/** Deterministic dates between 2019 and 2026. */
function randomDates(n: number, seed: number): [string, string][] {
  let s = seed;
  const next = () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
  const day = () =>
    new Date(Date.UTC(2019, 0, 1) + Math.floor(next() * 2900) * 86_400_000).toISOString().slice(0, 10);
  return Array.from({ length: n }, () => [day(), day()]);
}

/** Whole boundaries crossed from a to b, as other warehouses' DATEDIFF counts them. */
function referenceDiff(a: string, b: string, part: string): number {
  const [ya, ma, da] = a.split('-').map(Number);
  const [yb, mb, db] = b.split('-').map(Number);
  const days = (Date.UTC(yb, mb - 1, db) - Date.UTC(ya, ma - 1, da)) / 86_400_000;
  switch (part) {
    case 'day':
      return days;
    case 'week': {
      // Sunday-start week boundaries, as dbt-postgres counts them.
      const sunday = (y: number, m: number, d: number) => {
        const t = Date.UTC(y, m - 1, d);
        return t - new Date(t).getUTCDay() * 86_400_000;
      };
      return (sunday(yb, mb, db) - sunday(ya, ma, da)) / (7 * 86_400_000);
    }
    case 'month':
      return (yb - ya) * 12 + (mb - ma);
    case 'quarter':
      return (yb - ya) * 4 + (Math.floor((mb - 1) / 3) - Math.floor((ma - 1) / 3));
    case 'year':
      return yb - ya;
    default:
      throw new Error(part);
  }
}

describe('built-in dbt macros run in the warehouse', () => {
  let pw: ProjectWarehouse;
  let project: { dir: string; cleanup(): void };
  const pairs = randomDates(60, 7);
  const parts = ['day', 'week', 'month', 'quarter', 'year'];

  const scalar = async (sql: string): Promise<Record<string, unknown>> => (await pw.wh.query(sql)).rows[0];

  let compiled: Map<string, string>;
  beforeAll(async () => {
    pw = await openProjectWarehouse();
    const diffs = pairs
      .flatMap(([a, b], i) =>
        parts.map((p) => `{{ dbt.datediff("'${a}'::date", "'${b}'::date", '${p}') }} as d_${i}_${p}`),
      )
      .join(',\n');
    project = tempProject({
      'models/diffs.sql': `select\n${diffs}`,
      'models/scalars.sql': [
        'select',
        `  {{ dbt.dateadd('day', 3, "'2024-01-30'::date") }}::date as add_day,`,
        `  {{ dateadd('month', 1, "'2024-01-31'::date") }}::date as add_month,`,
        `  {{ dbt.dateadd('quarter', -1, "'2024-05-15'::date") }}::date as add_quarter,`,
        `  {{ dbt.date_trunc('month', "'2024-03-15'::date") }}::date as trunc_month,`,
        `  {{ dbt.last_day("'2024-02-10'::date", 'month') }} as last_day_feb,`,
        `  {{ dbt.last_day("'2024-05-10'::date", 'quarter') }} as last_day_q2,`,
        `  {{ dbt.concat(["'a'", "'b'", "'c'"]) }} as concatenated,`,
        `  {{ dbt.hash("'x'") }} as hashed,`,
        `  {{ dbt.safe_cast("'12'", dbt.type_int()) }} as cast_int,`,
        `  {{ dbt.split_part("'a,b,c'", "','", 2) }} as part2,`,
        `  {{ dbt.current_timestamp() }} is not null as has_now,`,
        `  {{ dbt.string_literal("it's") }} as literal,`,
        `  {{ dbt.cast_bool_to_text('true') }} as bool_text,`,
        `  {{ dbt.right("'abcdef'", 2) }} as right2,`,
        `  {{ dbt.length("'abcdef'") }} as len,`,
        `  {{ dbt.position("'c'", "'abcdef'") }} as pos,`,
        `  {{ dbt.replace("'a-a-a'", "'-'", "'_'") }} as replaced,`,
        `  cast(1.5 as {{ dbt.type_numeric() }}) as num, cast(2 as {{ dbt.type_bigint() }}) as big,`,
        `  cast('t' as {{ dbt.type_boolean() }}) as bool, cast('x' as {{ dbt.type_string() }}) as str,`,
        `  cast('2024-01-01 10:00' as {{ dbt.type_timestamp() }}) as ts, cast(1.25 as {{ dbt.type_float() }}) as flt,`,
        `  {{ dbt.array_construct([1, 2, 3]) }} as arr`,
      ].join('\n'),
      'models/aggregates.sql': [
        'select',
        `  {{ dbt.any_value('v') }} as any_v, {{ dbt.bool_or('v > 2') }} as some_big,`,
        `  {{ dbt.listagg('v::text', "','", 'order by v desc') }} as listed,`,
        `  {{ dbt.listagg('v::text', "','", 'order by v', 2) }} as listed_two`,
        'from (values (1), (3), (2)) as t(v)',
      ].join('\n'),
      'models/spine.sql': `{{ dbt.date_spine('day', "'2024-02-27'", "'2024-03-02'") }}`,
      'models/quarter_spine.sql': `{{ dbt.date_spine('quarter', "'2024-01-01'", "'2025-01-01'") }}`,
      'models/ms_diff.sql': `select {{ dbt.datediff("'2024-05-01 10:00:00.001'::timestamp", "'2024-05-01 10:00:00.002'::timestamp", 'millisecond') }} as ms`,
      'models/sets.sql': `select 1 as x union all select 2 {{ dbt.except() }} select 2`,
    });
    const result = await compileProject({
      projectDir: project.dir,
      session: pw.wh,
      target: pw.target,
      noParseCache: true,
      write: false,
    });
    compiled = new Map([...result.compiled].map(([id, c]) => [id.replace('model.demo.', ''), c.sql]));
  });
  afterAll(async () => {
    project.cleanup();
    await pw.cleanup();
  });

  it('datediff matches the boundary-counting reference for 60 random date pairs and 5 date parts', async () => {
    const row = await scalar(compiled.get('diffs')!);
    pairs.forEach(([a, b], i) => {
      for (const p of parts)
        expect([a, b, p, Number(row[`d_${i}_${p}`])]).toEqual([a, b, p, referenceDiff(a, b, p)]);
    });
  });

  it('scalar macros give the known values', async () => {
    const row = await scalar(compiled.get('scalars')!);
    expect(row).toMatchObject({
      add_day: '2024-02-02',
      add_month: '2024-02-29',
      add_quarter: '2024-02-15',
      trunc_month: '2024-03-01',
      last_day_feb: '2024-02-29',
      last_day_q2: '2024-06-30',
      concatenated: 'abc',
      hashed: '9dd4e461268c8034f5c8564e155c67a6',
      cast_int: 12,
      part2: 'b',
      has_now: true,
      literal: "it's",
      bool_text: 'true',
      right2: 'ef',
      len: 6,
      pos: 3,
      replaced: 'a_a_a',
      big: 2,
      bool: true,
      str: 'x',
    });
    expect(Number(row.num)).toBe(1.5);
    expect(row.arr).toEqual([1, 2, 3]);
  });

  it('aggregate macros', async () => {
    const row = await scalar(compiled.get('aggregates')!);
    expect(row).toMatchObject({ any_v: 1, some_big: true, listed: '3,2,1', listed_two: '1,2' });
  });

  it('date_spine covers the range, end exclusive, across a leap day', async () => {
    const { rows } = await pw.wh.query(
      `select count(*)::int as n, min(date_day)::date::text as lo, max(date_day)::date::text as hi from (${compiled.get('spine')}) s`,
    );
    expect(rows[0]).toEqual({ n: 4, lo: '2024-02-27', hi: '2024-03-01' });
  });

  it('quarter spines and millisecond differences', async () => {
    const quarters = await pw.wh.query(`select count(*)::int as n from (${compiled.get('quarter_spine')}) s`);
    expect(quarters.rows[0]).toEqual({ n: 4 });
    expect((await pw.wh.query(compiled.get('ms_diff')!)).rows[0]).toEqual({ ms: 1 });
  });

  it('set operators', async () => {
    const { rows } = await pw.wh.query(compiled.get('sets')!);
    expect(rows).toEqual([{ x: 1 }]);
  });
});
