/**
 * A hand-computed example. Every expected number below is derived in the comments with exact
 * fractions, so a failure points at a definite arithmetic disagreement, not at a tolerance.
 *
 * Paths (channels A, B, C):
 *   P1: A > B   conversions 2, nulls 1, value 30   (3 journeys)
 *   P2: B > A   conversions 1, nulls 1, value 10   (2 journeys)
 *   P3: A > C   conversions 1, nulls 3, value 5    (4 journeys)
 * Totals: 4 conversions, value 45, 9 journeys.
 */

import { heuristicAttribution, markovAttribution, shapleyAttribution } from '../../../src/analytics/markov';

const PATHS = [
  { path: ['A', 'B'], conversions: 2, nulls: 1, value: 30 },
  { path: ['B', 'A'], conversions: 1, nulls: 1, value: 10 },
  { path: ['A', 'C'], conversions: 1, nulls: 3, value: 5 },
];
const EPS = 1e-12;

function byChannel<T extends { channel: string }>(rows: T[]): Record<string, T> {
  return Object.fromEntries(rows.map((r) => [r.channel, r]));
}

describe('hand-computed Markov example', () => {
  const result = markovAttribution(PATHS);

  test('transition probabilities', () => {
    // Counts (each path adds its journey count w = conversions + nulls along the walk):
    //   start -> A: 3 (P1) + 4 (P3) = 7      start -> B: 2 (P2)                 row total 9
    //   A -> B: 3 (P1)   A -> C: 4 (P3)   A -> conv: 1 (P2)   A -> null: 1 (P2)  row total 9
    //   B -> A: 2 (P2)   B -> conv: 2 (P1)   B -> null: 1 (P1)                   row total 5
    //   C -> conv: 1 (P3)   C -> null: 3 (P3)                                    row total 4
    const expected: [string, string, number][] = [
      ['(start)', 'A', 7 / 9],
      ['(start)', 'B', 2 / 9],
      ['A', 'B', 3 / 9],
      ['A', 'C', 4 / 9],
      ['A', '(conversion)', 1 / 9],
      ['A', '(null)', 1 / 9],
      ['B', 'A', 2 / 5],
      ['B', '(conversion)', 2 / 5],
      ['B', '(null)', 1 / 5],
      ['C', '(conversion)', 1 / 4],
      ['C', '(null)', 3 / 4],
    ];
    expect(result.transitions).toHaveLength(expected.length);
    // Listed in state order: (start), A, B, C, then (conversion) before (null) within a row.
    result.transitions.forEach((t, i) => {
      expect([t.from, t.to]).toEqual([expected[i][0], expected[i][1]]);
      expect(Math.abs(t.probability - expected[i][2])).toBeLessThan(EPS);
    });
  });

  test('P(conversion)', () => {
    // x_s = P(absorbed in conversion | in state s):
    //   x_C = 1/4
    //   x_A = 1/3 x_B + 4/9 x_C + 1/9 = 1/3 x_B + 2/9
    //   x_B = 2/5 x_A + 2/5
    // => x_A = 2/15 x_A + 2/15 + 2/9  => 13/15 x_A = 16/45  => x_A = 16/39, x_B = 22/39
    // P = 7/9 x_A + 2/9 x_B = (112 + 44) / 351 = 156/351 = 4/9
    // (= 4 conversions / 9 journeys: the estimated chain always reproduces the observed rate; see markov.ts)
    expect(Math.abs(result.conversionProbability - 4 / 9)).toBeLessThan(EPS);
  });

  test('removal effects', () => {
    // Remove A (start->A and B->A go to null): x_B = 2/5, P = 2/9 * 2/5 = 4/45,
    //   RE(A) = 1 - (4/45)/(4/9) = 1 - 1/5 = 4/5
    // Remove B (start->B and A->B go to null): x_A = 4/9 * 1/4 + 1/9 = 2/9, P = 7/9 * 2/9 = 14/81,
    //   RE(B) = 1 - (14/81)/(4/9) = 1 - 7/18 = 11/18
    // Remove C (A->C goes to null): x_A = 1/3 x_B + 1/9, x_B = 2/5 x_A + 2/5
    //   => 13/15 x_A = 11/45 => x_A = 11/39, x_B = 20/39, P = (77 + 40)/351 = 1/3,
    //   RE(C) = 1 - (1/3)/(4/9) = 1/4
    expect(Object.keys(result.removalEffects)).toEqual(['A', 'B', 'C']);
    expect(Math.abs(result.removalEffects.A - 4 / 5)).toBeLessThan(EPS);
    expect(Math.abs(result.removalEffects.B - 11 / 18)).toBeLessThan(EPS);
    expect(Math.abs(result.removalEffects.C - 1 / 4)).toBeLessThan(EPS);
  });

  test('attributed conversions and value', () => {
    // Sum of RE = 4/5 + 11/18 + 1/4 = (144 + 110 + 45)/180 = 299/180, so the shares are
    //   A 144/299, B 110/299, C 45/299.
    // Conversions: 4 * share -> A 576/299, B 440/299, C 180/299 (sum 1196/299 = 4).
    // Value: 45 * share -> A 6480/299, B 4950/299, C 2025/299 (sum 13455/299 = 45).
    const rows = byChannel(result.attributed);
    const expected: Record<string, [number, number, number]> = {
      A: [576 / 299, 6480 / 299, 144 / 299],
      B: [440 / 299, 4950 / 299, 110 / 299],
      C: [180 / 299, 2025 / 299, 45 / 299],
    };
    expect(result.attributed.map((r) => r.channel)).toEqual(['A', 'B', 'C']);
    for (const [c, [conv, value, share]] of Object.entries(expected)) {
      expect(Math.abs(rows[c].conversions - conv)).toBeLessThan(EPS);
      expect(Math.abs(rows[c].value - value)).toBeLessThan(EPS);
      expect(Math.abs(rows[c].share - share)).toBeLessThan(EPS);
    }
  });

  test('repeated touches collapse to the same answer by default, and not when asked', () => {
    // A > A > B collapses to A > B, so splitting P1 into "A > B" and "A > A > B" halves changes nothing.
    const withRepeats = [
      { path: ['A', 'B'], conversions: 1, nulls: 0, value: 15 },
      { path: ['A', 'A', 'B', 'B'], conversions: 1, nulls: 1, value: 15 },
      PATHS[1],
      PATHS[2],
    ];
    const collapsed = markovAttribution(withRepeats);
    expect(Math.abs(collapsed.conversionProbability - 4 / 9)).toBeLessThan(EPS);
    expect(Math.abs(collapsed.removalEffects.B - 11 / 18)).toBeLessThan(EPS);
    // Without collapsing, A -> A (2 of 11 transitions out of A) appears as a self-loop.
    const raw = markovAttribution(withRepeats, { collapseRepeats: false });
    const aa = raw.transitions.find((t) => t.from === 'A' && t.to === 'A');
    expect(aa && Math.abs(aa.probability - 2 / 11)).toBeLessThan(EPS);
  });
});

describe('hand-computed comparison models', () => {
  test('first touch, last touch, linear', () => {
    // First touch: P1 -> A (2, 30), P2 -> B (1, 10), P3 -> A (1, 5)      => A 3 / 35, B 1 / 10, C 0
    // Last touch:  P1 -> B (2, 30), P2 -> A (1, 10), P3 -> C (1, 5)      => A 1 / 10, B 2 / 30, C 1 / 5
    // Linear: halves of each path: A 1+0.5+0.5 = 2 (15+5+2.5 = 22.5), B 1+0.5 = 1.5 (15+5 = 20),
    //         C 0.5 (2.5)
    const cases: [Parameters<typeof heuristicAttribution>[1], Record<string, [number, number]>][] = [
      ['first_touch', { A: [3, 35], B: [1, 10], C: [0, 0] }],
      ['last_touch', { A: [1, 10], B: [2, 30], C: [1, 5] }],
      ['linear', { A: [2, 22.5], B: [1.5, 20], C: [0.5, 2.5] }],
    ];
    for (const [model, expected] of cases) {
      const rows = byChannel(heuristicAttribution(PATHS, model));
      for (const [c, [conv, value]] of Object.entries(expected)) {
        expect(Math.abs(rows[c].conversions - conv)).toBeLessThan(EPS);
        expect(Math.abs(rows[c].value - value)).toBeLessThan(EPS);
        expect(Math.abs(rows[c].share - conv / 4)).toBeLessThan(EPS);
      }
    }
  });

  test('linear per touch when repeats are kept', () => {
    // A > A > B with 3 conversions: collapsed = A 1.5, B 1.5; per touch = A 2, B 1.
    const paths = [{ path: ['A', 'A', 'B'], conversions: 3, nulls: 0 }];
    expect(byChannel(heuristicAttribution(paths, 'linear')).A.conversions).toBeCloseTo(1.5, 12);
    expect(
      byChannel(heuristicAttribution(paths, 'linear', { collapseRepeats: false })).A.conversions,
    ).toBeCloseTo(2, 12);
  });

  test('simplified Shapley', () => {
    // Worth of a coalition = conversions of paths whose channel set is inside it:
    //   v({}) = v(A) = v(B) = v(C) = v(BC) = 0, v(AB) = 3 (P1 + P2), v(AC) = 1 (P3), v(ABC) = 4.
    // Weights for n = 3: |S| = 0 -> 1/3, |S| = 1 -> 1/6, |S| = 2 -> 1/3.
    //   phi(A) = 1/3 (0) + 1/6 (v(AB) - v(B)) + 1/6 (v(AC) - v(C)) + 1/3 (v(ABC) - v(BC))
    //          = 0 + 3/6 + 1/6 + 4/3 = 2
    //   phi(B) = 1/6 (v(AB) - v(A)) + 1/6 (v(BC) - v(C)) + 1/3 (v(ABC) - v(AC)) = 1/2 + 0 + 1 = 3/2
    //   phi(C) = 1/6 (v(AC) - v(A)) + 1/6 (v(BC) - v(B)) + 1/3 (v(ABC) - v(AB)) = 1/6 + 0 + 1/3 = 1/2
    // Value the same way with v(AB) = 40, v(AC) = 5, v(ABC) = 45:
    //   phi(A) = 40/6 + 5/6 + 45/3 = 22.5, phi(B) = 40/6 + 40/3 = 20, phi(C) = 5/6 + 5/3 = 2.5
    const rows = byChannel(shapleyAttribution(PATHS));
    const expected: Record<string, [number, number]> = { A: [2, 22.5], B: [1.5, 20], C: [0.5, 2.5] };
    for (const [c, [conv, value]] of Object.entries(expected)) {
      expect(Math.abs(rows[c].conversions - conv)).toBeLessThan(EPS);
      expect(Math.abs(rows[c].value - value)).toBeLessThan(EPS);
    }
  });
});
