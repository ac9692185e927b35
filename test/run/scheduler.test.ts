import { schedule } from '../../src/run/scheduler';

/** A small deterministic PRNG so failures reproduce. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function randomDag(n: number, rand: () => number): Map<string, string[]> {
  const parents = new Map<string, string[]>();
  for (let i = 0; i < n; i++) {
    const ps: string[] = [];
    for (let j = 0; j < i; j++) if (rand() < 0.15) ps.push(`n${j}`);
    parents.set(`n${i}`, ps);
  }
  return parents;
}

type R = { status: 'ok' | 'fail' | 'skip'; cause?: string; finishedAt: number };

describe('schedule', () => {
  it.each([1, 2, 4, 8])(
    'runs each node after its parents, skips exactly the descendants of failures (threads=%i)',
    async (threads) => {
      for (let seed = 1; seed <= 20; seed++) {
        const rand = rng(seed * 97 + threads);
        const dag = randomDag(40, rand);
        const failing = new Set([...dag.keys()].filter(() => rand() < 0.1));
        let clock = 0;
        const finished = new Set<string>();
        let running = 0;
        let maxRunning = 0;
        const results = await schedule<R>({
          ids: [...dag.keys()],
          parents: (id) => dag.get(id)!,
          threads,
          run: async (id) => {
            running += 1;
            maxRunning = Math.max(maxRunning, running);
            for (const p of dag.get(id)!) {
              // A parent must have finished before its child starts.
              expect(finished.has(p)).toBe(true);
            }
            await new Promise((r) => setTimeout(r, Math.floor(rand() * 3)));
            running -= 1;
            finished.add(id);
            return { status: failing.has(id) ? 'fail' : 'ok', finishedAt: clock++ };
          },
          blocksDescendants: (r) => r.status === 'fail',
          skipped: (_id, cause) => ({ status: 'skip', cause, finishedAt: clock++ }),
        });
        expect(maxRunning).toBeLessThanOrEqual(threads);

        // Brute-force reference: a node is skipped iff one of its ancestors failed.
        const ancestorsOf = (id: string): Set<string> => {
          const out = new Set<string>();
          const stack = [...dag.get(id)!];
          while (stack.length) {
            const p = stack.pop()!;
            if (!out.has(p)) {
              out.add(p);
              stack.push(...dag.get(p)!);
            }
          }
          return out;
        };
        for (const id of dag.keys()) {
          const failedAncestor = [...ancestorsOf(id)].some((a) => failing.has(a));
          const r = results.get(id)!;
          expect(r.status).toBe(failedAncestor ? 'skip' : failing.has(id) ? 'fail' : 'ok');
        }
      }
    },
  );

  it('with failFast, skips everything not started after the first failure', async () => {
    const ids = ['a', 'b', 'c', 'd'];
    const results = await schedule<R>({
      ids,
      parents: () => [],
      threads: 1,
      failFast: true,
      run: async (id) => ({ status: id === 'b' ? 'fail' : 'ok', finishedAt: 0 }),
      blocksDescendants: (r) => r.status === 'fail',
      skipped: (_id, cause) => ({ status: 'skip', cause, finishedAt: 0 }),
    });
    expect(ids.map((id) => results.get(id)!.status)).toEqual(['ok', 'fail', 'skip', 'skip']);
    expect(results.get('c')!.cause).toBe('b');
  });

  it('names the failing ancestor as the cause of a skip', async () => {
    const parents: Record<string, string[]> = { a: [], b: ['a'], c: ['b'] };
    const results = await schedule<R>({
      ids: ['a', 'b', 'c'],
      parents: (id) => parents[id],
      threads: 2,
      run: async (id) => ({ status: id === 'a' ? 'fail' : 'ok', finishedAt: 0 }),
      blocksDescendants: (r) => r.status === 'fail',
      skipped: (_id, cause) => ({ status: 'skip', cause, finishedAt: 0 }),
    });
    expect(results.get('c')).toMatchObject({ status: 'skip', cause: 'a' });
  });
});
