/**
 * generate_cohort_analysis_incremental against generate_cohort_analysis: random activity arrives in
 * loads (late events included), an incremental model built with the increment macro is refreshed
 * after each load, and after every load it must hold exactly the rows a full build of the same
 * events gives (rates compared as text, so exactly). The data includes the cases the macro treats
 * apart: users first seen in a load, users gaining a period after their last, late events inside a
 * user's activity range, late events before a user's first activity (they change cohort, and one
 * cohort loses its only user and must disappear), new periods, and rows without a user or a date.
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
  "{% set watermark %}(select coalesce(max(loaded_through), '-infinity'::timestamp) from {{ this }}){% endset %}",
);

interface Event {
  user: number | null;
  at: number | null;
  loaded: number;
}

/** Random activity with loading delays: most rows arrive within two days, some weeks late. */
function randomEvents(seed: number): Event[] {
  const rand = prng(seed);
  const events: Event[] = [];
  for (let i = 0; i < 400; i++) {
    const user = 1 + Math.floor(rand() * 30);
    // Each user starts at a random point from mid-January and is active on and off for 200 days.
    const at = START + Math.floor((10 + user * 5 + rand() * 200) * 86400) * 1000;
    const late = rand() < 0.08;
    const delay = Math.floor((late ? 20 + rand() * 60 : rand() * 2) * 86400) * 1000;
    events.push({ user, at, loaded: at + delay });
  }
  // User 100 is the only user of the week of 2024-01-01 until a late event puts them in the week of
  // 2023-12-18 (that cohort then disappears); user 101 gets a late event between their first and last.
  events.push({ user: 100, at: Date.UTC(2024, 0, 3), loaded: Date.UTC(2024, 0, 3) });
  events.push({ user: 100, at: Date.UTC(2023, 11, 20), loaded: Date.UTC(2024, 5, 1) });
  events.push({ user: 101, at: Date.UTC(2024, 1, 1), loaded: Date.UTC(2024, 1, 1) });
  events.push({ user: 101, at: Date.UTC(2024, 4, 1), loaded: Date.UTC(2024, 4, 1) });
  events.push({ user: 101, at: Date.UTC(2024, 2, 14), loaded: Date.UTC(2024, 5, 2) });
  // Ignored by the cohorts, but they arrive too.
  events.push({ user: null, at: Date.UTC(2024, 1, 5), loaded: Date.UTC(2024, 1, 5) });
  events.push({ user: 7, at: null, loaded: Date.UTC(2024, 3, 1) });
  return events;
}

describe('generate_cohort_analysis_incremental', () => {
  let p: ToolkitProject;
  afterEach(async () => {
    await p?.cleanup();
  });

  it.each([5, 31337])('equals a full build after every load (seed %i)', async (seed) => {
    const events = randomEvents(seed);
    p = await toolkitProject(
      {
        'seeds/events.csv': csv(
          ['user_id', 'active_at', 'loaded_at'],
          events.map((e) => [e.user, e.at === null ? null : isoSeconds(e.at), isoSeconds(e.loaded)]),
        ),
        'models/visible_events.sql':
          "{{ config(materialized='view') }}\nselect * from {{ ref('events') }} where loaded_at <= '{{ var(\"now\") }}'\n",
        'models/cohorts_incremental.sql': INCREMENTAL_MODEL,
        'models/cohorts_full.sql': FULL_COHORT_MODEL,
      },
      { now: isoSeconds(START) },
    );
    // Loads every 30 days, the first on day 40; then one more after a quiet month.
    const loads = [40, 70, 100, 130, 160, 190, 220, 250, 280, 310].map((d) => isoSeconds(START + d * DAY));
    const vanishing = (rows: { cohort_type: string; cohort_start: string }[]) =>
      rows.some((r) => r.cohort_type === 'week' && r.cohort_start === '2024-01-01');
    const seen: boolean[] = [];
    for (const [i, now] of loads.entries()) {
      const summary = await p.build({ vars: { now } });
      expectAllPassed(summary);
      const kind = summary.results.find((r) => r.name === 'cohorts_incremental')?.kind;
      expect(kind).toBe(i === 0 ? 'full' : 'incremental');
      const incremental = await p.rows<{ cohort_type: string; cohort_start: string }>(
        cohortRows('cohorts_incremental'),
      );
      const full = await p.rows(cohortRows('cohorts_full'));
      expect(full.length).toBeGreaterThan(0);
      expect({ now, rows: incremental }).toEqual({ now, rows: full });
      seen.push(vanishing(incremental));
    }
    // User 100's week cohort existed for a while, then vanished with their late event.
    expect(seen.indexOf(true)).toBeGreaterThanOrEqual(0);
    expect(seen[seen.length - 1]).toBe(false);
    // The watermark column follows the latest load, rows without a user or date included.
    const [{ through }] = await p.rows<{ through: string }>(
      'select max(loaded_through)::text as through from {{S}}.cohorts_incremental',
    );
    const latest = Math.max(...events.filter((e) => e.loaded <= START + 310 * DAY).map((e) => e.loaded));
    expect(through).toBe(isoSeconds(latest));
  });
});
