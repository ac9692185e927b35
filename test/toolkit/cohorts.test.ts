/**
 * generate_cohort_analysis (classic and unbounded retention) on a hand dataset and against a
 * brute-force TypeScript reference on random activity; generate_behavioral_cohorts on a hand
 * dataset. The retention_in_bounds test runs on every output.
 */
import { csv, expectAllPassed, prng, toolkitProject, type ToolkitProject } from './toolkit-project';

interface RetentionRow {
  cohort_type: string;
  cohort_start: string;
  period_number: number;
  cohort_size: number;
  active_users: number;
  retention_rate: number;
  unbounded_retention_rate: number;
}

const RETENTION_SQL = `select cohort_type, to_char(cohort_start, 'YYYY-MM-DD') as cohort_start,
  period_number, cohort_size::int as cohort_size, active_users::int as active_users,
  retention_rate::float8 as retention_rate, unbounded_retention_rate::float8 as unbounded_retention_rate
from {{S}}.cohorts order by cohort_type, cohort_start, period_number`;

const COHORT_YML = `version: 2
models:
  - name: cohorts
    columns:
      - name: retention_rate
        data_tests: [analytics_engineering_toolkit.retention_in_bounds]
      - name: unbounded_retention_rate
        data_tests: [analytics_engineering_toolkit.retention_in_bounds]
`;

const round = (rows: RetentionRow[]) =>
  rows.map((r) => ({
    ...r,
    retention_rate: Math.round(r.retention_rate * 1e9) / 1e9,
    unbounded_retention_rate: Math.round(r.unbounded_retention_rate * 1e9) / 1e9,
  }));

describe('generate_cohort_analysis on a hand dataset', () => {
  let p: ToolkitProject;
  let rows: RetentionRow[];
  beforeAll(async () => {
    p = await toolkitProject({
      // user 1: Jan, Mar (inactive in Feb); user 2: Jan, Feb; user 3: Feb (twice), Apr;
      // user 4: Jan only. A null user and a null date are ignored.
      'seeds/activity.csv': csv(
        ['user_id', 'active_on'],
        [
          [1, '2024-01-05'],
          [1, '2024-03-10'],
          [2, '2024-01-20'],
          [2, '2024-02-01'],
          [3, '2024-02-15'],
          [3, '2024-02-20'],
          [3, '2024-04-01'],
          [4, '2024-01-31'],
          [null, '2024-01-10'],
          [5, null],
        ],
      ),
      'models/cohorts.sql':
        "{{ analytics_engineering_toolkit.generate_cohort_analysis(ref('activity'), 'user_id', 'active_on', ['month', 'quarter']) }}\n",
      'models/schema.yml': COHORT_YML,
    });
    expectAllPassed(await p.build());
    rows = round(await p.rows<RetentionRow>(RETENTION_SQL));
  });
  afterAll(() => p.cleanup());

  it('computes monthly retention, classic and unbounded', () => {
    const month = rows
      .filter((r) => r.cohort_type === 'month')
      .map((r) => ({ ...r, cohort_type: undefined }));
    const r3 = (x: number) => Math.round(x * 1e9) / 1e9;
    // January cohort {1, 2, 4}: Feb has user 2 (1/3); users whose last activity is Feb or later:
    // 1 (Mar) and 2 (Feb) = 2/3. Mar: user 1 (1/3), unbounded 1/3. Apr: nobody, 0.
    // February cohort {3}: Mar nobody (0) but user 3 comes back in Apr (unbounded 1); Apr: 1.
    const row = (
      cohort_start: string,
      period_number: number,
      size: number,
      active: number,
      later: number,
    ) => ({
      cohort_type: undefined,
      cohort_start,
      period_number,
      cohort_size: size,
      active_users: active,
      retention_rate: r3(active / size),
      unbounded_retention_rate: r3(later / size),
    });
    expect(month).toEqual([
      row('2024-01-01', 0, 3, 3, 3),
      row('2024-01-01', 1, 3, 1, 2),
      row('2024-01-01', 2, 3, 1, 1),
      row('2024-01-01', 3, 3, 0, 0),
      row('2024-02-01', 0, 1, 1, 1),
      row('2024-02-01', 1, 1, 0, 1),
      row('2024-02-01', 2, 1, 1, 1),
    ]);
  });

  it('computes quarterly retention', () => {
    // Q1 cohort {1, 2, 3, 4}; in Q2 only user 3 is active.
    expect(rows.filter((r) => r.cohort_type === 'quarter')).toEqual([
      {
        cohort_type: 'quarter',
        cohort_start: '2024-01-01',
        period_number: 0,
        cohort_size: 4,
        active_users: 4,
        retention_rate: 1,
        unbounded_retention_rate: 1,
      },
      {
        cohort_type: 'quarter',
        cohort_start: '2024-01-01',
        period_number: 1,
        cohort_size: 4,
        active_users: 1,
        retention_rate: 0.25,
        unbounded_retention_rate: 0.25,
      },
    ]);
  });
});

// ---------------------------------------------------------------------------------------------

const DAY = 86_400_000;
const ymd = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** date_trunc(grain) of a UTC day, as epoch ms: weeks start on Monday as Postgres' date_trunc. */
function trunc(grain: string, ms: number): number {
  const d = new Date(ms);
  if (grain === 'week') return ms - ((d.getUTCDay() + 6) % 7) * DAY;
  if (grain === 'month') return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  return Date.UTC(d.getUTCFullYear(), Math.floor(d.getUTCMonth() / 3) * 3, 1);
}
function next(grain: string, ms: number): number {
  const d = new Date(ms);
  if (grain === 'week') return ms + 7 * DAY;
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + (grain === 'month' ? 1 : 3), 1);
}

/** The reference: for every cohort, every period up to the last period with any activity. */
function referenceRetention(activity: [number, number][], grains: string[]): RetentionRow[] {
  const out: RetentionRow[] = [];
  for (const grain of grains) {
    const periods = new Map<number, Set<number>>(); // user -> active periods
    for (const [user, ms] of activity) {
      if (!periods.has(user)) periods.set(user, new Set());
      periods.get(user)!.add(trunc(grain, ms));
    }
    const lastPeriod = Math.max(...activity.map(([, ms]) => trunc(grain, ms)));
    const cohorts = new Map<number, number[]>();
    for (const [user, ps] of periods) {
      const start = Math.min(...ps);
      if (!cohorts.has(start)) cohorts.set(start, []);
      cohorts.get(start)!.push(user);
    }
    for (const start of [...cohorts.keys()].sort((a, b) => a - b)) {
      const users = cohorts.get(start)!;
      let n = 0;
      for (let period = start; period <= lastPeriod; period = next(grain, period), n++) {
        const active = users.filter((u) => periods.get(u)!.has(period)).length;
        const later = users.filter((u) => [...periods.get(u)!].some((q) => q >= period)).length;
        out.push({
          cohort_type: grain,
          cohort_start: ymd(start),
          period_number: n,
          cohort_size: users.length,
          active_users: active,
          retention_rate: active / users.length,
          unbounded_retention_rate: later / users.length,
        });
      }
    }
  }
  return out.sort(
    (a, b) =>
      a.cohort_type.localeCompare(b.cohort_type) ||
      a.cohort_start.localeCompare(b.cohort_start) ||
      a.period_number - b.period_number,
  );
}

describe('generate_cohort_analysis on random data', () => {
  it.each([11, 2024])(
    'matches the brute-force reference for week, month and quarter (seed %i)',
    async (seed) => {
      const rand = prng(seed);
      const start = Date.UTC(2023, 10, 1);
      const activity: [number, number][] = [];
      for (let user = 1; user <= 40; user++) {
        // Each user starts somewhere in 200 days and is active on a few random later days, with
        // long gaps, so users skip periods and come back.
        const first = start + Math.floor(rand() * 200) * DAY;
        activity.push([user, first]);
        const extra = Math.floor(rand() * 6);
        for (let k = 0; k < extra; k++) activity.push([user, first + Math.floor(rand() * 220) * DAY]);
      }
      const p = await toolkitProject({
        'seeds/activity.csv': csv(
          ['user_id', 'active_on'],
          activity.map(([u, ms]) => [u, ymd(ms)]),
        ),
        // The default periods: var cohort_periods (week, month, quarter).
        'models/cohorts.sql':
          "{{ analytics_engineering_toolkit.generate_cohort_analysis(ref('activity'), 'user_id', 'active_on') }}\n",
        'models/schema.yml': COHORT_YML,
      });
      try {
        expectAllPassed(await p.build());
        const got = round(await p.rows<RetentionRow>(RETENTION_SQL));
        const want = round(referenceRetention(activity, ['month', 'quarter', 'week']));
        expect(got.length).toBeGreaterThan(100);
        expect(got).toEqual(want);
      } finally {
        await p.cleanup();
      }
    },
  );
});

// ---------------------------------------------------------------------------------------------

describe('generate_behavioral_cohorts', () => {
  let p: ToolkitProject;
  beforeAll(async () => {
    p = await toolkitProject({
      // user 1: first event Mon 01-01, exports on 01-05 (within 7 days): performed; active Jan, Feb.
      // user 2: first event 01-02, exports on 01-10 (8 days later: too late): not performed; Jan only.
      // user 3: first event 01-03, only views: not performed; active Jan and Mar.
      // user 4: first event 02-10, exports the same day: performed; Feb cohort.
      'seeds/usage.csv': csv(
        ['user_id', 'used_on', 'feature'],
        [
          [1, '2024-01-01', 'view'],
          [1, '2024-01-05', 'export'],
          [1, '2024-02-03', 'view'],
          [2, '2024-01-02', 'view'],
          [2, '2024-01-10', 'export'],
          [3, '2024-01-03', 'view'],
          [3, '2024-03-01', 'view'],
          [4, '2024-02-10', 'export'],
        ],
      ),
      'models/behavior.sql':
        "{{ analytics_engineering_toolkit.generate_behavioral_cohorts(ref('usage'), \"feature = 'export'\", 'month', 'user_id', 'used_on') }}\n",
      'models/behavior_named.sql':
        "{{ analytics_engineering_toolkit.generate_behavioral_cohorts(ref('usage'), \"feature = 'export'\", 'month', 'user_id', 'used_on', cohort_name_sql=\"case when performed_behavior then 'exporters' else 'others' end\") }}\n",
      'models/schema.yml': `version: 2
models:
  - name: behavior
    columns:
      - name: retention_rate
        data_tests: [analytics_engineering_toolkit.retention_in_bounds]
`,
    });
    expectAllPassed(await p.build());
  });
  afterAll(() => p.cleanup());

  const query = (model: string) =>
    p.rows(
      `select cohort_name, to_char(cohort_start, 'YYYY-MM-DD') as cohort_start, period_number,
              cohort_size::int as size, active_users::int as active, retention_rate::float8 as rate,
              unbounded_retention_rate::float8 as unbounded
       from {{S}}.${model} order by 1, 2, 3`,
    );

  it('groups users by what they did in their first week', async () => {
    expect(await query('behavior')).toEqual([
      // not performed, January: users 2 and 3. Feb nobody (user 3 returns in Mar); Mar user 3.
      {
        cohort_name: 'not_performed',
        cohort_start: '2024-01-01',
        period_number: 0,
        size: 2,
        active: 2,
        rate: 1,
        unbounded: 1,
      },
      {
        cohort_name: 'not_performed',
        cohort_start: '2024-01-01',
        period_number: 1,
        size: 2,
        active: 0,
        rate: 0,
        unbounded: 0.5,
      },
      {
        cohort_name: 'not_performed',
        cohort_start: '2024-01-01',
        period_number: 2,
        size: 2,
        active: 1,
        rate: 0.5,
        unbounded: 0.5,
      },
      // performed, January: user 1, active in Feb, not in Mar.
      {
        cohort_name: 'performed',
        cohort_start: '2024-01-01',
        period_number: 0,
        size: 1,
        active: 1,
        rate: 1,
        unbounded: 1,
      },
      {
        cohort_name: 'performed',
        cohort_start: '2024-01-01',
        period_number: 1,
        size: 1,
        active: 1,
        rate: 1,
        unbounded: 1,
      },
      {
        cohort_name: 'performed',
        cohort_start: '2024-01-01',
        period_number: 2,
        size: 1,
        active: 0,
        rate: 0,
        unbounded: 0,
      },
      // performed, February: user 4, never seen again.
      {
        cohort_name: 'performed',
        cohort_start: '2024-02-01',
        period_number: 0,
        size: 1,
        active: 1,
        rate: 1,
        unbounded: 1,
      },
      {
        cohort_name: 'performed',
        cohort_start: '2024-02-01',
        period_number: 1,
        size: 1,
        active: 0,
        rate: 0,
        unbounded: 0,
      },
    ]);
  });

  it('names cohorts with cohort_name_sql', async () => {
    const names = (await query('behavior_named')).map((r) => r.cohort_name);
    expect([...new Set(names)]).toEqual(['exporters', 'others']);
  });
});
