/**
 * A cohort grid that keeps its users' periods itself (cohort_state_prepare / cohort_state_update as
 * its hooks, generate_cohort_analysis_incremental with state=true) against generate_cohort_analysis:
 * random activity arrives in loads (late events, loads shorter than a week and longer than a
 * quarter), the grid is refreshed after each load, and it must then hold exactly the rows a full
 * build of the same events gives, while its state holds exactly each user's first and last period
 * per grain (a brute-force query over the visible events). The state is read, not rebuilt, on the
 * way. When the state cannot be trusted (dropped, or an older copy put back) the grid's run rebuilds
 * it first and stays exact; the older copy marked as current shows the check is what keeps it so.
 */
import {
  csv,
  expectAllPassed,
  isoSeconds,
  prng,
  toolkitProject,
  type ToolkitProject,
} from './toolkit-project';
import { DAY, FULL_COHORT_MODEL, GRAINS, START, cohortRows, incrementalCohortModel } from './cohort-models';

const HOOK_ARGS = `ref('visible_events'), 'user_id', 'active_at', 'loaded_at', 'loaded_through', ${GRAINS}`;

const INCREMENTAL_MODEL = incrementalCohortModel(
  "{% set watermark = analytics_engineering_toolkit.toolkit_watermark_literal(this, 'loaded_through') %}",
  ', state=true',
  '',
  `
    pre_hook="{{ analytics_engineering_toolkit.cohort_state_prepare(${HOOK_ARGS}) }}",
    post_hook="{{ analytics_engineering_toolkit.cohort_state_update(${HOOK_ARGS}) }}",`,
);

const STATE = '{{S}}.cohorts_incremental__cohort_users';

/** Random activity, most of it loaded within two days, some weeks late; every row has a loaded_at. */
function randomEvents(seed: number): [number | null, string | null, string][] {
  const rand = prng(seed);
  const rows: [number | null, string | null, string][] = [];
  for (let i = 0; i < 500; i++) {
    const user = 1 + Math.floor(rand() * 40);
    const at = START + Math.floor((10 + user * 4 + rand() * 220) * 86400) * 1000;
    const late = rand() < 0.08;
    const delay = Math.floor((late ? 20 + rand() * 60 : rand() * 2) * 86400) * 1000;
    rows.push([user, isoSeconds(at), isoSeconds(at + delay)]);
  }
  // A late event before user 100's first moves them to an earlier cohort; rows without a user or date.
  rows.push([100, isoSeconds(Date.UTC(2024, 0, 3)), isoSeconds(Date.UTC(2024, 0, 3))]);
  rows.push([100, isoSeconds(Date.UTC(2023, 11, 20)), isoSeconds(Date.UTC(2024, 5, 1))]);
  rows.push([null, isoSeconds(Date.UTC(2024, 1, 5)), isoSeconds(Date.UTC(2024, 1, 5))]);
  rows.push([7, null, isoSeconds(Date.UTC(2024, 3, 1))]);
  return rows;
}

/** Each user's first and last period per grain over the events loaded by `now`, computed directly. */
const expectedState = (now: string) => `
  select user_id::int as user_id,
    ${['week', 'month', 'quarter']
      .map(
        (g) => `date_trunc('${g}', min(active_at))::date::text as first_${g},
    date_trunc('${g}', max(active_at))::date::text as last_${g}`,
      )
      .join(',\n    ')}
  from {{S}}.events
  where loaded_at <= '${now}' and user_id is not null and active_at is not null
  group by user_id order by user_id`;

const keptState = `
  select user_id::int as user_id,
    ${['week', 'month', 'quarter'].map((g) => `first_${g}::text as first_${g}, last_${g}::text as last_${g}`).join(', ')}
  from ${STATE} order by user_id`;

describe('generate_cohort_analysis_incremental with the state kept by its hooks', () => {
  let p: ToolkitProject;
  afterEach(async () => {
    await p?.cleanup();
  });

  it.each([11, 4242])(
    'equals a full build after every load, the state trusted only in step (seed %i)',
    async (seed) => {
      p = await toolkitProject(
        {
          'seeds/events.csv': csv(['user_id', 'active_at', 'loaded_at'], randomEvents(seed)),
          'models/visible_events.sql':
            "{{ config(materialized='view') }}\nselect * from {{ ref('events') }} where loaded_at <= '{{ var(\"now\") }}'\n",
          'models/cohorts_incremental.sql': INCREMENTAL_MODEL,
          'models/cohorts_full.sql': FULL_COHORT_MODEL,
        },
        { now: isoSeconds(START) },
      );
      const at = (day: number) => isoSeconds(START + day * DAY);
      const grid = () => p.rows(cohortRows('cohorts_incremental'));
      const expectExact = async (now: string) => {
        const full = await p.rows(cohortRows('cohorts_full'));
        expect(full.length).toBeGreaterThan(0);
        expect({ now, rows: await grid() }).toEqual({ now, rows: full });
        expect({ now, state: await p.rows(keptState) }).toEqual({
          now,
          state: await p.rows(expectedState(now)),
        });
      };
      const stateOid = async () =>
        (await p.rows<{ oid: number }>(`select '${STATE}'::regclass::oid::int as oid`))[0].oid;
      const refresh = async (day: number, kind: 'full' | 'incremental' = 'incremental') => {
        const summary = await p.build({ vars: { now: at(day) } });
        expectAllPassed(summary);
        expect(summary.results.find((r) => r.name === 'cohorts_incremental')?.kind).toBe(kind);
        await expectExact(at(day));
      };

      // The first build is full and builds the state; then loads of 3 and 4 days (new periods
      // adjacent to the last), of a month (new periods with gaps between), of two days with nothing
      // new for most users, and of four months.
      await refresh(40, 'full');
      const built = await stateOid();
      for (const day of [43, 47, 77, 79, 80, 200]) await refresh(day);
      expect(await stateOid()).toBe(built); // read and updated in place, never rebuilt

      // The state dropped: the next run rebuilds it as of the grid's watermark first.
      await p.rows(`drop table ${STATE}`);
      await refresh(215);

      // An older copy of the state put back: its comment (the watermark it was brought to) is not the
      // grid's, so the run rebuilds it first.
      const comment = async () =>
        (await p.rows<{ c: string }>(`select obj_description('${STATE}'::regclass, 'pg_class') as c`))[0].c;
      await p.rows(`create table {{S}}.state_old as select * from ${STATE}`);
      const oldThrough = await comment();
      await refresh(230);
      expect(await comment()).not.toBe(oldThrough);
      const putBack = async (mark: string) => {
        await p.rows(`drop table ${STATE}`);
        await p.rows(`create table ${STATE} as select * from {{S}}.state_old`);
        await p.rows(`comment on table ${STATE} is '${mark}'`);
      };
      await putBack(oldThrough);
      await refresh(260);

      // The same older copy marked as current is trusted, and the grid goes wrong: the check on the
      // comment is what keeps it exact.
      await putBack(await comment());
      expectAllPassed(await p.build({ vars: { now: at(300) } }));
      expect(await grid()).not.toEqual(await p.rows(cohortRows('cohorts_full')));

      // A full refresh rebuilds the state with the grid, and runs go on from there.
      expectAllPassed(await p.build({ vars: { now: at(300) }, fullRefresh: true }));
      await expectExact(at(300));
      await refresh(400);
    },
  );
});
