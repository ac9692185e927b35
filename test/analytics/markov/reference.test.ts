/**
 * The exact solve against brute force on random small path sets (seeded, so reproducible):
 *  - power iteration of an independently built transition matrix for 10,000 steps, for P(conversion)
 *    and every P(conversion | channel removed);
 *  - explicit enumeration of absorbing walks, pruned below a probability floor, where the pruned
 *    mass bounds the error rigorously.
 * Also the linear solver on its own, and the transition matrix against the reference builder.
 */

import { AttributionPath, markovAttribution, solveLinearSystem } from '../../../src/analytics/markov';
import { powerIterate, prng, RefChain, referenceChain, referenceRemove } from './helpers';

const NAMES = ['a', 'b', 'c', 'd', 'e'];

function randomPaths(rand: () => number, maxChannels: number): AttributionPath[] {
  const k = 2 + Math.floor(rand() * (maxChannels - 1));
  const n = 1 + Math.floor(rand() * 8);
  const int = (m: number): number => Math.floor(rand() * (m + 1));
  const paths = Array.from({ length: n }, () => ({
    path: Array.from({ length: 1 + int(4) }, () => NAMES[int(k - 1)]),
    conversions: int(5),
    nulls: int(5),
  }));
  paths.push({ path: [NAMES[int(k - 1)]], conversions: 1 + int(3), nulls: int(3) });
  return paths;
}

/** Sum the probabilities of all walks from (start) into (conversion), pruning walks below `floor`. */
function enumerateWalks(chain: RefChain, floor: number): { conversion: number; pruned: number } {
  const conv = chain.states.indexOf('(conversion)');
  const nul = chain.states.indexOf('(null)');
  let conversion = 0;
  let pruned = 0;
  const stack: [number, number][] = [[0, 1]];
  while (stack.length) {
    const [s, p] = stack.pop()!;
    chain.p[s].forEach((q, t) => {
      if (q === 0) return;
      const pt = p * q;
      if (t === conv) conversion += pt;
      else if (t === nul) return;
      else if (pt < floor) pruned += pt;
      else stack.push([t, pt]);
    });
  }
  return { conversion, pruned };
}

describe('exact solve vs brute force', () => {
  test('power iteration (10,000 steps) on 40 random path sets: P(conversion) and removal effects', () => {
    const rand = prng(20240611);
    for (let trial = 0; trial < 40; trial++) {
      const paths = randomPaths(rand, 5);
      const result = markovAttribution(paths);
      const ref = referenceChain(paths);
      const base = powerIterate(ref, 10_000);
      expect(base.transient).toBeLessThan(1e-12);
      expect(Math.abs(result.conversionProbability - base.conversion)).toBeLessThan(1e-9);
      for (const [channel, effect] of Object.entries(result.removalEffects)) {
        const without = powerIterate(referenceRemove(ref, channel), 10_000).conversion;
        expect(Math.abs(effect - (1 - without / base.conversion))).toBeLessThan(1e-9);
      }
    }
  });

  test('transition list equals the independently built matrix', () => {
    const rand = prng(7);
    for (let trial = 0; trial < 20; trial++) {
      const paths = randomPaths(rand, 5);
      for (const collapseRepeats of [true, false]) {
        const ref = referenceChain(paths, collapseRepeats);
        const expected = ref.states.flatMap((from, i) =>
          ref.p[i]
            .map((probability, j) => ({ from, to: ref.states[j], probability }))
            // The reference keeps absorbing self-loops for power iteration; the API lists only real transitions.
            .filter((t) => t.probability > 0 && t.from !== '(conversion)' && t.from !== '(null)'),
        );
        const got = markovAttribution(paths, { collapseRepeats }).transitions;
        expect(got.map((t) => [t.from, t.to])).toEqual(expected.map((t) => [t.from, t.to]));
        got.forEach((t, i) => expect(Math.abs(t.probability - expected[i].probability)).toBeLessThan(1e-15));
      }
    }
  });

  test('walk enumeration with a rigorous pruning bound on 20 random 2-3 channel sets', () => {
    const rand = prng(99);
    for (let trial = 0; trial < 20; trial++) {
      const paths = randomPaths(rand, 3);
      const exact = markovAttribution(paths).conversionProbability;
      const { conversion, pruned } = enumerateWalks(referenceChain(paths), 1e-7);
      // Every walk is either counted, absorbed in (null), or pruned; the pruned mass bounds the gap.
      expect(exact).toBeGreaterThanOrEqual(conversion - 1e-12);
      expect(exact).toBeLessThanOrEqual(conversion + pruned + 1e-12);
      expect(pruned).toBeLessThan(1e-3);
    }
  });

  test('collapsing repeats changes nothing for paths without repeats', () => {
    const rand = prng(3);
    for (let trial = 0; trial < 20; trial++) {
      const paths = randomPaths(rand, 5).map((p) => ({
        ...p,
        path: p.path.filter((c, i) => i === 0 || p.path[i - 1] !== c),
      }));
      expect(markovAttribution(paths, { collapseRepeats: false })).toEqual(markovAttribution(paths));
    }
  });
});

describe('solveLinearSystem', () => {
  test('needs a row swap (zero leading pivot) and matches a known solution', () => {
    // x = (1, 2, 3): 0x + 2y + z = 7; x + y + z = 6; 2x + 0y + 3z = 11
    const x = solveLinearSystem(
      [
        [0, 2, 1],
        [1, 1, 1],
        [2, 0, 3],
      ],
      [7, 6, 11],
    );
    [1, 2, 3].forEach((v, i) => expect(Math.abs(x[i] - v)).toBeLessThan(1e-14));
  });

  test('rejects a singular system', () => {
    expect(() =>
      solveLinearSystem(
        [
          [1, 2],
          [2, 4],
        ],
        [1, 2],
      ),
    ).toThrow(/singular/);
  });
});
