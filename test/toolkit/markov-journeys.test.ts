/**
 * markov_paths on random data against a brute-force reference: converting journeys (the touches a
 * conversion counts) and null journeys (the touches no conversion counts, split by how many of the
 * customer's conversions came before them), aggregated per path. Several conversions per customer
 * and a short window make every kind of journey common, and the null-journey numbering is what
 * the macro computes with a running count rather than a per-touch probe.
 */
import { csv, expectAllPassed, isoSeconds, prng, toolkitProject } from './toolkit-project';

interface Touch {
  id: number;
  customer: number;
  at: number;
  channel: string | null;
}
interface Conversion {
  id: number;
  customer: number;
  at: number;
  cents: number;
}
interface PathRow {
  path: string;
  path_length: number;
  conversions: number;
  nulls: number;
  conversion_value: string;
  journeys: number;
}

const DAY = 86_400_000;
const byTime = (a: Touch, b: Touch) => a.at - b.at || a.id - b.id;

function referencePaths(touches: Touch[], conversions: Conversion[], windowDays: number): PathRow[] {
  const paths = new Map<string, { length: number; conversions: number; nulls: number; cents: number }>();
  const add = (path: Touch[], converted: boolean, cents: number) => {
    const key = path.map((t) => t.channel ?? '(unknown)').join(' > ');
    const row = paths.get(key) ?? { length: path.length, conversions: 0, nulls: 0, cents: 0 };
    if (converted) row.conversions += 1;
    else row.nulls += 1;
    row.cents += cents;
    paths.set(key, row);
  };
  const counted = new Set<number>();
  for (const c of conversions) {
    const path = touches
      .filter((t) => t.customer === c.customer && t.at <= c.at && t.at >= c.at - windowDays * DAY)
      .sort(byTime);
    path.forEach((t) => counted.add(t.id));
    if (path.length > 0) add(path, true, c.cents);
  }
  const nullJourneys = new Map<string, Touch[]>();
  for (const t of touches) {
    if (counted.has(t.id)) continue;
    const before = conversions.filter((c) => c.customer === t.customer && c.at < t.at).length;
    const key = `${t.customer}/${before}`;
    nullJourneys.set(key, [...(nullJourneys.get(key) ?? []), t]);
  }
  for (const journey of nullJourneys.values()) add(journey.sort(byTime), false, 0);
  return [...paths]
    .map(([path, r]) => ({
      path,
      path_length: r.length,
      conversions: r.conversions,
      nulls: r.nulls,
      conversion_value: (r.cents / 100).toFixed(2),
      journeys: r.conversions + r.nulls,
    }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.path_length - b.path_length));
}

describe('markov_paths on random data', () => {
  it.each([11, 2024])('matches the brute-force reference (seed %i)', async (seed) => {
    const rand = prng(seed);
    const start = Date.UTC(2024, 0, 1);
    const channels = ['email', 'social', 'search', null];
    const windowDays = 7;
    const touches: Touch[] = [];
    const conversions: Conversion[] = [];
    for (let i = 1; i <= 200; i++) {
      touches.push({
        id: i,
        customer: 1 + Math.floor(rand() * 10),
        // Some touches share an instant, to exercise the tie break on touchpoint_id.
        at:
          rand() < 0.1 && touches.length > 0
            ? touches[touches.length - 1].at
            : start + Math.floor(rand() * 90 * 86400) * 1000,
        channel: channels[Math.floor(rand() * channels.length)],
      });
    }
    for (let i = 1; i <= 40; i++) {
      conversions.push({
        id: 500 + i,
        customer: 1 + Math.floor(rand() * 10),
        at: start + Math.floor(rand() * 90 * 86400) * 1000,
        cents: Math.floor(rand() * 100000),
      });
    }
    const p = await toolkitProject(
      {
        'seeds/touchpoints.csv': csv(
          ['touchpoint_id', 'customer_id', 'touched_at', 'channel', 'campaign'],
          touches.map((t) => [t.id, t.customer, isoSeconds(t.at), t.channel, 'c']),
        ),
        'seeds/conversions.csv': csv(
          ['conversion_id', 'customer_id', 'converted_at', 'revenue'],
          conversions.map((c) => [c.id, c.customer, isoSeconds(c.at), (c.cents / 100).toFixed(2)]),
        ),
        'models/journey_paths.sql':
          "{{ analytics_engineering_toolkit.markov_paths(ref('touchpoints'), ref('conversions')) }}\n",
      },
      { attribution_window_days: windowDays },
    );
    try {
      expectAllPassed(await p.build());
      const rows = await p.rows<PathRow>(
        `select path, path_length::int as path_length, conversions::int as conversions, nulls::int as nulls,
                conversion_value::numeric(12, 2)::text as conversion_value, journeys::int as journeys
         from {{S}}.journey_paths order by path collate "C", path_length`,
      );
      const expected = referencePaths(touches, conversions, windowDays);
      // Both kinds of journey, and customers with several null journeys, occur.
      expect(expected.some((r) => r.nulls > 0) && expected.some((r) => r.conversions > 0)).toBe(true);
      expect(rows).toEqual(expected);
    } finally {
      await p.cleanup();
    }
  });
});
