/**
 * Structural properties of removal effects, and input validation.
 *
 * The removal effect of c equals P(walk visits c | walk converts) in the estimated chain. Because a
 * first-order chain forgets where a journey came from, "c is on no converting path" or "c is on every
 * converting path" in the DATA does not by itself fix that probability: walks can recombine pieces of
 * different paths. The properties below are stated for the chain and the tests include the
 * recombination cases, so nobody mistakes them for bugs.
 */

import {
  AttributionInputError,
  heuristicAttribution,
  markovAttribution,
  shapleyAttribution,
} from '../../../src/analytics/markov';
import { prng } from './helpers';

const BASE = [
  { path: ['search', 'email'], conversions: 3, nulls: 5, value: 120 },
  { path: ['social', 'search'], conversions: 2, nulls: 9, value: 50 },
  { path: ['email'], conversions: 1, nulls: 4, value: 20 },
  { path: ['social'], conversions: 0, nulls: 12 },
];

describe('removal effect properties', () => {
  test('a channel from which conversion is unreachable has removal effect 0', () => {
    // 'banner' and 'popup' occur only on non-converting paths made of themselves: no walk through
    // them can convert.
    const paths = [
      ...BASE,
      { path: ['banner'], conversions: 0, nulls: 7 },
      { path: ['popup', 'banner', 'popup'], conversions: 0, nulls: 3 },
    ];
    const r = markovAttribution(paths);
    expect(r.removalEffects.banner).toBe(0);
    expect(r.removalEffects.popup).toBe(0);
    const rows = Object.fromEntries(r.attributed.map((a) => [a.channel, a]));
    expect(rows.banner.conversions).toBe(0);
    expect(rows.popup.value).toBe(0);
  });

  test('random sets: channels only on dead-end non-converting paths always score 0', () => {
    const rand = prng(11);
    for (let trial = 0; trial < 25; trial++) {
      const extra = Array.from({ length: 1 + Math.floor(rand() * 4) }, () => ({
        path: Array.from({ length: 1 + Math.floor(rand() * 3) }, () => (rand() < 0.5 ? 'x' : 'y')),
        conversions: 0,
        nulls: 1 + Math.floor(rand() * 5),
      }));
      const r = markovAttribution([...BASE, ...extra]);
      for (const c of new Set(extra.flatMap((p) => p.path))) expect(r.removalEffects[c]).toBe(0);
    }
  });

  test('caveat: a channel on no converting path can still score when it leads into converting channels', () => {
    // social > search never converts here, but social -> search -> email -> (conversion) is a walk of
    // the chain, so removing social loses some conversions.
    const paths = [
      { path: ['social', 'search'], conversions: 0, nulls: 5 },
      { path: ['search', 'email'], conversions: 4, nulls: 4 },
    ];
    expect(markovAttribution(paths).removalEffects.social).toBeGreaterThan(0);
  });

  test('a channel every converting walk must pass through has removal effect 1', () => {
    // 'checkout' is the last touch of every converting path, so it is the only state with a
    // transition into (conversion).
    const paths = [
      { path: ['search', 'checkout'], conversions: 5, nulls: 2, value: 500 },
      { path: ['email', 'search', 'checkout'], conversions: 2, nulls: 1, value: 180 },
      { path: ['checkout'], conversions: 1, nulls: 0, value: 40 },
      { path: ['email'], conversions: 0, nulls: 9 },
      { path: ['search', 'email'], conversions: 0, nulls: 4 },
    ];
    const r = markovAttribution(paths);
    expect(Math.abs(r.removalEffects.checkout - 1)).toBeLessThan(1e-12);
    expect(r.removalEffects.search).toBeLessThan(1);
  });

  test('random sets: a channel that ends every converting path scores exactly 1', () => {
    const rand = prng(12);
    const names = ['a', 'b', 'c'];
    for (let trial = 0; trial < 25; trial++) {
      const paths = Array.from({ length: 2 + Math.floor(rand() * 5) }, () => {
        const path = Array.from({ length: Math.floor(rand() * 3) }, () => names[Math.floor(rand() * 3)]);
        const converts = rand() < 0.6;
        return converts
          ? { path: [...path, 'hub'], conversions: 1 + Math.floor(rand() * 4), nulls: Math.floor(rand() * 3) }
          : { path: path.length ? path : ['a'], conversions: 0, nulls: 1 + Math.floor(rand() * 4) };
      });
      paths.push({ path: ['hub'], conversions: 1, nulls: 1 });
      expect(Math.abs(markovAttribution(paths).removalEffects.hub - 1)).toBeLessThan(1e-12);
    }
  });

  test('caveat: on every converting path but not the last touch is not enough in a first-order chain', () => {
    // Both converting paths contain 'display', but search -> (conversion) is observed (after display),
    // so the walk (start) -> search -> (conversion) bypasses display.
    const paths = [
      { path: ['display', 'search'], conversions: 3, nulls: 1 },
      { path: ['search', 'email'], conversions: 0, nulls: 6 },
    ];
    const re = markovAttribution(paths).removalEffects.display;
    expect(re).toBeGreaterThan(0);
    expect(re).toBeLessThan(1);
  });

  test('nothing converts: zero probability, zero effects, zero rows, no NaN', () => {
    const r = markovAttribution([{ path: ['a', 'b'], conversions: 0, nulls: 3 }]);
    expect(r.conversionProbability).toBe(0);
    expect(r.removalEffects).toEqual({ a: 0, b: 0 });
    expect(r.attributed.every((a) => a.conversions === 0 && a.share === 0 && a.value === 0)).toBe(true);
  });

  test('row order does not matter', () => {
    const a = markovAttribution(BASE);
    const b = markovAttribution([...BASE].reverse());
    expect(b.attributed.map((r) => r.channel)).toEqual(a.attributed.map((r) => r.channel));
    b.attributed.forEach((r, i) =>
      expect(Math.abs(r.conversions - a.attributed[i].conversions)).toBeLessThan(1e-12),
    );
  });
});

describe('Shapley closed form', () => {
  test('coalition sum equals "equal credit over the distinct channels of each converting path"', () => {
    const rand = prng(5);
    const names = ['a', 'b', 'c', 'd', 'e', 'f'];
    for (let trial = 0; trial < 20; trial++) {
      const paths = Array.from({ length: 1 + Math.floor(rand() * 10) }, () => ({
        path: Array.from(
          { length: 1 + Math.floor(rand() * 5) },
          () => names[Math.floor(rand() * names.length)],
        ),
        conversions: Math.floor(rand() * 6),
        nulls: Math.floor(rand() * 3),
        value: 0,
      })).map((p) => ({ ...p, value: p.conversions * 10 * rand() }));
      const expected = new Map<string, [number, number]>();
      for (const p of paths) {
        const set = new Set(p.path);
        for (const c of set) {
          const [cv, vv] = expected.get(c) ?? [0, 0];
          expected.set(c, [cv + p.conversions / set.size, vv + p.value / set.size]);
        }
      }
      for (const row of shapleyAttribution(paths)) {
        const [cv, vv] = expected.get(row.channel) ?? [0, 0];
        expect(Math.abs(row.conversions - cv)).toBeLessThan(1e-9);
        expect(Math.abs(row.value - vv)).toBeLessThan(1e-9);
      }
    }
  });

  test('more than 12 channels is refused', () => {
    const paths = Array.from({ length: 13 }, (_, i) => ({ path: [`c${i}`], conversions: 1, nulls: 0 }));
    expect(() => shapleyAttribution(paths)).toThrow(/at most 12/);
  });
});

describe('input validation', () => {
  test.each([
    [[{ path: [], conversions: 1, nulls: 0 }], /non-empty array/],
    [[{ path: ['a'], conversions: -1, nulls: 0 }], /conversions must be/],
    [[{ path: ['a'], conversions: 1, nulls: NaN }], /nulls must be/],
    [[{ path: ['(null)'], conversions: 1, nulls: 0 }], /reserved/],
    [[{ path: ['a'], conversions: 0, nulls: 2, value: 5 }], /no conversions/],
  ])('%j is rejected', (paths, message) => {
    expect(() => markovAttribution(paths)).toThrow(AttributionInputError);
    expect(() => markovAttribution(paths)).toThrow(message);
  });

  test('unknown heuristic model is rejected', () => {
    expect(() => heuristicAttribution(BASE, 'u_shaped' as never)).toThrow(/unknown heuristic/);
  });

  test('zero-journey rows are ignored', () => {
    const r = markovAttribution([...BASE, { path: ['ghost'], conversions: 0, nulls: 0 }]);
    expect(r.removalEffects.ghost).toBeUndefined();
    expect(r).toEqual(markovAttribution(BASE));
  });
});
