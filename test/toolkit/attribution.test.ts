/**
 * calculate_attribution and markov_paths, built through a consumer project that installs the
 * toolkit as a local package: a hand-computed dataset for every model, then a seeded random
 * property test against a brute-force TypeScript reference.
 */
import {
  csv,
  expectAllPassed,
  isoSeconds,
  prng,
  toolkitProject,
  type ToolkitProject,
} from './toolkit-project';

const MODELS = ['first_touch', 'last_touch', 'linear', 'time_decay', 'u_shaped'] as const;
type Model = (typeof MODELS)[number];

interface Row {
  conversion_id: number;
  touchpoint_id: number;
  attribution_model: Model;
  weight: string;
  attributed_value: string;
  channel: string;
}

const ATTRIBUTION_MODEL =
  "{{ analytics_engineering_toolkit.calculate_attribution(ref('touchpoints'), ref('conversions')) }}\n";
const PATHS_MODEL =
  "{{ analytics_engineering_toolkit.markov_paths(ref('touchpoints'), ref('conversions')) }}\n";
const SCHEMA_YML = `version: 2
models:
  - name: attribution
    data_tests:
      - analytics_engineering_toolkit.weights_sum_to_one:
          group_by: [conversion_id, attribution_model]
`;

/** weights[conversion][model][touchpoint] */
function byConversion(rows: Row[]): Map<number, Map<Model, Map<number, number>>> {
  const out = new Map<number, Map<Model, Map<number, number>>>();
  for (const r of rows) {
    const c = Number(r.conversion_id);
    if (!out.has(c)) out.set(c, new Map());
    const m = out.get(c)!;
    if (!m.has(r.attribution_model)) m.set(r.attribution_model, new Map());
    m.get(r.attribution_model)!.set(Number(r.touchpoint_id), Number(r.weight));
  }
  return out;
}

describe('calculate_attribution on a hand-computed dataset', () => {
  let p: ToolkitProject;
  let weights: Map<number, Map<Model, Map<number, number>>>;
  let rows: Row[];

  beforeAll(async () => {
    p = await toolkitProject({
      // Window 30 days, half life 7 days (the package defaults).
      // customer 1: conversion 1 (100) on 03-10, one touch 7 days before.
      // customer 2: conversion 2 (200) on 03-20, touches 14 and 7 days before.
      // customer 3: conversion 3 (300) on 04-30: touch 4 is 31 days before (outside), 5 is exactly
      //   30 days before (inside: the bound is inclusive), 6 is 14, 7 is 7, 8 is 0 days before
      //   (same instant: "not after" includes it), 9 is a day after (excluded).
      // customer 4: conversion 4 (50) on 03-06, touches 11 and 10 at the same instant: the tie is
      //   broken by touchpoint_id, so 10 comes first.
      // customer 5: conversion 5 without any touch: no rows.
      'seeds/touchpoints.csv': csv(
        ['touchpoint_id', 'customer_id', 'touched_at', 'channel', 'campaign'],
        [
          [1, 1, '2024-03-03 00:00:00', 'email', 'spring'],
          [2, 2, '2024-03-06 00:00:00', 'social', 'spring'],
          [3, 2, '2024-03-13 00:00:00', 'email', 'spring'],
          [4, 3, '2024-03-30 00:00:00', 'display', 'winter'],
          [5, 3, '2024-03-31 00:00:00', 'social', 'spring'],
          [6, 3, '2024-04-16 00:00:00', 'paid_search', 'spring'],
          [7, 3, '2024-04-23 00:00:00', 'email', 'spring'],
          [8, 3, '2024-04-30 00:00:00', 'direct', null],
          [9, 3, '2024-05-01 00:00:00', 'email', 'late'],
          [11, 4, '2024-03-05 00:00:00', 'social', 'tie'],
          [10, 4, '2024-03-05 00:00:00', 'email', 'tie'],
        ],
      ),
      'seeds/conversions.csv': csv(
        ['conversion_id', 'customer_id', 'converted_at', 'revenue'],
        [
          [1, 1, '2024-03-10 00:00:00', '100.00'],
          [2, 2, '2024-03-20 00:00:00', '200.00'],
          [3, 3, '2024-04-30 00:00:00', '300.00'],
          [4, 4, '2024-03-06 00:00:00', '50.00'],
          [5, 5, '2024-03-06 00:00:00', '75.00'],
        ],
      ),
      'models/attribution.sql': ATTRIBUTION_MODEL,
      'models/journey_paths.sql': PATHS_MODEL,
      'models/schema.yml': SCHEMA_YML,
    });
    expectAllPassed(await p.build());
    rows = await p.rows<Row>('select * from {{S}}.attribution');
    weights = byConversion(rows);
  });
  afterAll(() => p.cleanup());

  const w = (conversion: number, model: Model) =>
    Object.fromEntries([...(weights.get(conversion)?.get(model) ?? new Map()).entries()]);

  it('gives a single touch everything in every model', () => {
    for (const m of MODELS) expect(w(1, m)).toEqual({ 1: 1 });
  });

  it('splits two touches', () => {
    expect(w(2, 'first_touch')).toEqual({ 2: 1, 3: 0 });
    expect(w(2, 'last_touch')).toEqual({ 2: 0, 3: 1 });
    expect(w(2, 'linear')).toEqual({ 2: 0.5, 3: 0.5 });
    expect(w(2, 'u_shaped')).toEqual({ 2: 0.5, 3: 0.5 }); // two touches: 50/50
    // time decay: 2^(-14/7) = 0.25 and 2^(-7/7) = 0.5, normalised by 0.75: 1/3 and 2/3.
    const td = w(2, 'time_decay');
    expect(td[2]).toBeCloseTo(1 / 3, 11);
    expect(td[3]).toBeCloseTo(2 / 3, 11);
  });

  it('counts only touches inside the window, boundaries inclusive', () => {
    // Touches 5..8 (30, 14, 7 and 0 days before); 4 (31 days) and 9 (after) are out.
    expect(Object.keys(w(3, 'linear')).map(Number).sort()).toEqual([5, 6, 7, 8]);
    expect(w(3, 'first_touch')).toEqual({ 5: 1, 6: 0, 7: 0, 8: 0 });
    expect(w(3, 'last_touch')).toEqual({ 5: 0, 6: 0, 7: 0, 8: 1 });
    expect(w(3, 'linear')).toEqual({ 5: 0.25, 6: 0.25, 7: 0.25, 8: 0.25 });
    // u-shaped: 40% first, 40% last, 20% over the two middle touches = 10% each.
    expect(w(3, 'u_shaped')).toEqual({ 5: 0.4, 6: 0.1, 7: 0.1, 8: 0.4 });
    // time decay: 2^(-30/7) = 0.0512710, 2^(-14/7) = 0.25, 2^(-7/7) = 0.5, 2^(-0/7) = 1;
    // sum 1.8012710: weights 0.0284638, 0.1387909, 0.2775818, 0.5551636.
    const raw = [2 ** (-30 / 7), 0.25, 0.5, 1];
    const sum = raw.reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(1.801271, 6);
    const td = w(3, 'time_decay');
    [5, 6, 7, 8].forEach((id, i) => expect(td[id]).toBeCloseTo(raw[i] / sum, 11));
    expect(td[5]).toBeCloseTo(0.0284638, 7);
    expect(td[6]).toBeCloseTo(0.1387909, 7);
    expect(td[7]).toBeCloseTo(0.2775818, 7);
    expect(td[8]).toBeCloseTo(0.5551636, 7);
  });

  it('breaks ties on touched_at by touchpoint_id', () => {
    expect(w(4, 'first_touch')).toEqual({ 10: 1, 11: 0 });
    expect(w(4, 'last_touch')).toEqual({ 10: 0, 11: 1 });
    expect(w(4, 'time_decay')).toEqual({ 10: 0.5, 11: 0.5 });
  });

  it('emits nothing for a conversion without touches', () => {
    expect(weights.has(5)).toBe(false);
    expect(rows).toHaveLength(5 * (1 + 2 + 4 + 2));
  });

  it('attributes exactly the conversion value, per conversion and model', async () => {
    const sums = await p.rows<{ ok: boolean; n: number }>(
      `select bool_and(ws = 1 and vs = v) as ok, count(*)::int as n from (
         select conversion_id, attribution_model, sum(weight) as ws, sum(attributed_value) as vs,
                max(conversion_value) as v
         from {{S}}.attribution group by 1, 2) s`,
    );
    expect(sums[0]).toEqual({ ok: true, n: 4 * 5 });
    const c3 = rows.filter((r) => Number(r.conversion_id) === 3 && r.attribution_model === 'u_shaped');
    expect(Object.fromEntries(c3.map((r) => [Number(r.touchpoint_id), Number(r.attributed_value)]))).toEqual({
      5: 120,
      6: 30,
      7: 30,
      8: 120,
    });
  });

  it('aggregates journeys into Markov paths', async () => {
    const paths = await p.rows<Record<string, unknown>>(
      `select path, path_length::int as path_length, conversions::int as conversions, nulls::int as nulls,
              conversion_value::float8 as conversion_value
       from {{S}}.journey_paths order by path`,
    );
    // Converting: 1 email; 2 social > email; 3 social > paid_search > email > direct; 4 email > social.
    // Null journeys: customer 3's touch 4 (before conversion 3, outside its window: journey 0) and
    // touch 9 (after conversion 3: journey 1), each a one-touch path.
    expect(paths).toEqual([
      { path: 'display', path_length: 1, conversions: 0, nulls: 1, conversion_value: 0 },
      { path: 'email', path_length: 1, conversions: 1, nulls: 1, conversion_value: 100 },
      { path: 'email > social', path_length: 2, conversions: 1, nulls: 0, conversion_value: 50 },
      { path: 'social > email', path_length: 2, conversions: 1, nulls: 0, conversion_value: 200 },
      {
        path: 'social > paid_search > email > direct',
        path_length: 4,
        conversions: 1,
        nulls: 0,
        conversion_value: 300,
      },
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// Property test: random data against a brute-force reference.

interface Touch {
  id: number;
  customer: number;
  at: number; // epoch ms
  channel: string;
}
interface Conversion {
  id: number;
  customer: number;
  at: number;
  revenue: string;
}

const DAY = 86_400_000;

/** The reference: every model's weight per (conversion, touchpoint), straight from the definitions. */
function referenceWeights(touches: Touch[], conversions: Conversion[], windowDays: number, halfLife: number) {
  const out = new Map<string, number>();
  for (const c of conversions) {
    const path = touches
      .filter((t) => t.customer === c.customer && t.at <= c.at && t.at >= c.at - windowDays * DAY)
      .sort((a, b) => a.at - b.at || a.id - b.id);
    const n = path.length;
    const decay = path.map((t) => 2 ** (-(c.at - t.at) / DAY / halfLife));
    const decaySum = decay.reduce((a, b) => a + b, 0);
    path.forEach((t, i) => {
      const first = i === 0;
      const last = i === n - 1;
      const u = n === 1 ? 1 : n === 2 ? 0.5 : first || last ? 0.4 : 0.2 / (n - 2);
      const set = (m: Model, v: number) => out.set(`${c.id}/${m}/${t.id}`, v);
      set('first_touch', first ? 1 : 0);
      set('last_touch', last ? 1 : 0);
      set('linear', 1 / n);
      set('time_decay', decay[i] / decaySum);
      set('u_shaped', u);
    });
  }
  return out;
}

describe('calculate_attribution on random data', () => {
  const seeds = [20240301, 7];
  it.each(seeds)('matches the brute-force reference (seed %i)', async (seed) => {
    const rand = prng(seed);
    const start = Date.UTC(2024, 0, 1);
    const channels = ['email', 'social', 'paid_search', 'display', 'direct'];
    const touches: Touch[] = [];
    const conversions: Conversion[] = [];
    // A window of 10 days and a half life of 3 (overridden by vars) make partial windows common.
    const windowDays = 10;
    const halfLife = 3;
    for (let i = 1; i <= 150; i++) {
      touches.push({
        id: i,
        customer: 1 + Math.floor(rand() * 12),
        // Whole seconds over 60 days; some touches share an instant to exercise tie breaking.
        at:
          rand() < 0.1 && touches.length > 0
            ? touches[touches.length - 1].at
            : start + Math.floor(rand() * 60 * 86400) * 1000,
        channel: channels[Math.floor(rand() * channels.length)],
      });
    }
    for (let i = 1; i <= 30; i++) {
      conversions.push({
        id: 1000 + i,
        customer: 1 + Math.floor(rand() * 12),
        at: start + Math.floor(rand() * 60 * 86400) * 1000,
        revenue: (Math.floor(rand() * 100000) / 100).toFixed(2),
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
          conversions.map((c) => [c.id, c.customer, isoSeconds(c.at), c.revenue]),
        ),
        'models/attribution.sql': ATTRIBUTION_MODEL,
        'models/schema.yml': SCHEMA_YML,
      },
      { attribution_window_days: windowDays, attribution_half_life_days: halfLife },
    );
    try {
      expectAllPassed(await p.build());
      const expected = referenceWeights(touches, conversions, windowDays, halfLife);
      const rows = await p.rows<Row>('select * from {{S}}.attribution');
      expect(rows.length).toBe(expected.size);
      expect(rows.length).toBeGreaterThan(50);
      for (const r of rows) {
        const key = `${r.conversion_id}/${r.attribution_model}/${r.touchpoint_id}`;
        expect(expected.has(key)).toBe(true);
        const diff = Math.abs(Number(r.weight) - expected.get(key)!);
        if (diff > 1e-9) throw new Error(`${key}: weight ${r.weight}, expected ${expected.get(key)}`);
      }
      // Exact sums, checked in the database's numeric arithmetic.
      const sums = await p.rows<{ bad: number; groups: number }>(
        `select count(*) filter (where ws <> 1 or vs <> v)::int as bad, count(*)::int as groups from (
           select conversion_id, attribution_model, sum(weight) as ws, sum(attributed_value) as vs,
                  max(conversion_value) as v
           from {{S}}.attribution group by 1, 2) s`,
      );
      const converting = new Set([...expected.keys()].map((k) => k.split('/')[0]));
      expect(sums[0]).toEqual({ bad: 0, groups: converting.size * MODELS.length });
    } finally {
      await p.cleanup();
    }
  });
});
