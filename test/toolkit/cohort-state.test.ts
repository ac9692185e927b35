/**
 * generate_cohort_analysis_incremental with a cohort_user_state model (macros/cohort_state.sql)
 * against generate_cohort_analysis: random activity arrives in loads (late events included), the
 * state and the incremental grid are refreshed after each load, and the grid must then hold exactly
 * the rows a full build of the same events gives. Also when the state and the grid fall out of
 * step: the state refreshed alone (it runs twice between two runs of the grid), and the grid
 * refreshed alone (the state is behind) — the users the state cannot vouch for take the
 * whole-history path, and the rows stay exact.
 */
import {
  csv,
  expectAllPassed,
  isoSeconds,
  prng,
  toolkitProject,
  type ToolkitProject,
} from './toolkit-project';
import { DAY, FULL_COHORT_MODEL, START, cohortRows, incrementalCohortModel } from './cohort-models';

const INCREMENTAL_MODEL = incrementalCohortModel(
  "{% set watermark = analytics_engineering_toolkit.toolkit_watermark_literal(this, 'loaded_through') %}",
  ', state=state',
  "{% set state = ref('user_state') %}\n",
);

const STATE_MODEL = `{{ config(materialized='incremental', incremental_strategy='merge', unique_key='user_id') }}
{{ analytics_engineering_toolkit.cohort_user_state(ref('visible_events'), 'user_id', 'active_at', 'loaded_at') }}
`;

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

describe('generate_cohort_analysis_incremental with cohort_user_state', () => {
  let p: ToolkitProject;
  afterEach(async () => {
    await p?.cleanup();
  });

  it.each([11, 4242])('equals a full build after every load, in step or not (seed %i)', async (seed) => {
    p = await toolkitProject(
      {
        'seeds/events.csv': csv(['user_id', 'active_at', 'loaded_at'], randomEvents(seed)),
        'models/visible_events.sql':
          "{{ config(materialized='view') }}\nselect * from {{ ref('events') }} where loaded_at <= '{{ var(\"now\") }}'\n",
        'models/user_state.sql': STATE_MODEL,
        'models/cohorts_incremental.sql': INCREMENTAL_MODEL,
        'models/cohorts_full.sql': FULL_COHORT_MODEL,
      },
      { now: isoSeconds(START) },
    );
    const at = (day: number) => isoSeconds(START + day * DAY);
    const expectExact = async (now: string) => {
      const incremental = await p.rows(cohortRows('cohorts_incremental'));
      const full = await p.rows(cohortRows('cohorts_full'));
      expect(full.length).toBeGreaterThan(0);
      expect({ now, rows: incremental }).toEqual({ now, rows: full });
    };
    const gridWatermark = async () =>
      (await p.rows<{ w: string }>('select max(loaded_through)::text as w from {{S}}.cohorts_incremental'))[0]
        .w;
    // In step: every model after each load, as a refresh of the grid does (the first builds in full).
    for (const day of [40, 70, 100, 130, 160]) {
      const before = day > 40 ? await gridWatermark() : null;
      expectAllPassed(await p.build({ vars: { now: at(day) } }));
      await expectExact(at(day));
      if (before !== null) {
        // The load's users are in the state as of the grid's previous watermark: the fast path.
        const [{ known }] = await p.rows<{ known: number }>(
          `select count(*)::int as known from {{S}}.user_state where prev_through = '${before}'
             and loaded_through > '${before}'`,
        );
        expect(known).toBeGreaterThan(0);
      }
    }
    // (visible_events is a view of the var `now`: it is rebuilt in every run for the load to show.)
    // The state runs alone after one load, then everything after the next: its second run's users
    // have a watermark the grid never had.
    expectAllPassed(await p.build({ vars: { now: at(190) }, select: ['visible_events', 'user_state'] }));
    expectAllPassed(await p.build({ vars: { now: at(220) } }));
    await expectExact(at(220));
    // The grid runs alone (the state is behind), then everything.
    const alone = await p.build({
      vars: { now: at(250) },
      select: ['visible_events', 'cohorts_incremental', 'cohorts_full'],
    });
    expectAllPassed(alone);
    expect(alone.results.find((r) => r.name === 'cohorts_incremental')?.kind).toBe('incremental');
    await expectExact(at(250));
    expectAllPassed(await p.build({ vars: { now: at(280) } }));
    await expectExact(at(280));
    expectAllPassed(await p.build({ vars: { now: at(400) } }));
    await expectExact(at(400));
  });
});
