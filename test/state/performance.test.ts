/**
 * modelPerformance against a brute-force reference: random runs are recorded, then the same figures
 * are computed in TypeScript from the list of what was recorded, with the same definitions.
 */
import type { ModelPerformance, RunRecord, RunStatus } from '../../src/state';
import { openTestStore, type TestStore } from './store-fixture';

let t: TestStore;
beforeAll(async () => {
  t = await openTestStore();
});
afterAll(() => t?.cleanup());

/** mulberry32: a small seeded generator, so a failure reproduces. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** percentile_cont: linear interpolation between the closest ranks of the sorted values. */
function percentileCont(sorted: number[], p: number): number {
  const pos = p * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

const DAY = 86_400_000;
const OK: RunStatus[] = ['success', 'pass', 'warn'];

function reference(
  runs: RunRecord[],
  days: number,
  now: number,
  resourceTypes: string[],
): ModelPerformance[] {
  const inWindow = runs.filter(
    (r) => new Date(r.startedAt).getTime() >= now - days * DAY && resourceTypes.includes(r.resourceType),
  );
  const ids = [...new Set(inWindow.map((r) => r.uniqueId))].sort();
  return ids.map((uniqueId) => {
    const mine = inWindow.filter((r) => r.uniqueId === uniqueId);
    const ok = mine.filter((r) => OK.includes(r.status));
    const durations = ok.map((r) => r.durationMs).sort((a, b) => a - b);
    const rows = ok.map((r) => r.rowsAffected).filter((n): n is number => n !== null && n !== undefined);
    const latest = (rs: RunRecord[]) =>
      rs.length === 0
        ? null
        : new Date(Math.max(...rs.map((r) => new Date(r.completedAt).getTime()))).toISOString();
    return {
      uniqueId,
      runs: mine.filter((r) => r.status !== 'skipped').length,
      successes: ok.length,
      failures: mine.filter((r) => r.status === 'error' || r.status === 'fail').length,
      skips: mine.filter((r) => r.status === 'skipped').length,
      avgDurationMs: durations.length ? durations.reduce((a, b) => a + b, 0) / durations.length : null,
      p50DurationMs: durations.length ? percentileCont(durations, 0.5) : null,
      p95DurationMs: durations.length ? percentileCont(durations, 0.95) : null,
      maxDurationMs: durations.length ? durations[durations.length - 1] : null,
      avgRows: rows.length ? rows.reduce((a, b) => a + b, 0) / rows.length : null,
      lastBuiltAt: latest(ok),
      lastRunAt: latest(mine)!,
      lastStatus: mine[mine.length - 1].status,
    };
  });
}

/** The store's timestamps have microseconds; the reference's come from Dates (milliseconds). */
const toMs = (iso: string | null) => (iso === null ? null : new Date(iso).toISOString());

function expectSame(actual: ModelPerformance[], expected: ModelPerformance[]): void {
  expect(actual.map((a) => a.uniqueId)).toEqual(expected.map((e) => e.uniqueId));
  actual.forEach((a, i) => {
    const e = expected[i];
    expect({ ...a, lastBuiltAt: toMs(a.lastBuiltAt), lastRunAt: toMs(a.lastRunAt) }).toEqual({
      ...e,
      avgDurationMs: e.avgDurationMs === null ? null : expect.closeTo(e.avgDurationMs, 6),
      p50DurationMs: e.p50DurationMs === null ? null : expect.closeTo(e.p50DurationMs, 6),
      p95DurationMs: e.p95DurationMs === null ? null : expect.closeTo(e.p95DurationMs, 6),
      avgRows: e.avgRows === null ? null : expect.closeTo(e.avgRows, 6),
    });
  });
}

describe('modelPerformance', () => {
  it('matches a brute-force reference over random runs', async () => {
    const next = random(20240501);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];
    const now = Date.now();
    const models = ['model.p.a', 'model.p.b', 'model.p.c', 'model.p.d', 'seed.p.s', 'model.p.only_fails'];
    const runs: RunRecord[] = [];
    for (let i = 0; i < 400; i++) {
      const uniqueId = pick(models);
      const isTest = next() < 0.1;
      // Keep clear of the 7- and 30-day edges so the database clock and ours need not agree exactly.
      let ageDays = next() * 40;
      if (Math.abs(ageDays - 7) < 0.05 || Math.abs(ageDays - 30) < 0.05) ageDays += 0.1;
      const started = now - ageDays * DAY;
      const durationMs = Math.round(next() * 1e6) / 100;
      const status: RunStatus = isTest
        ? pick(['pass', 'fail', 'warn'] as const)
        : uniqueId === 'model.p.only_fails'
          ? 'error'
          : pick(['success', 'success', 'success', 'error', 'skipped'] as const);
      runs.push({
        invocationId: `inv-${i % 17}`,
        uniqueId: isTest ? `test.p.t${i % 3}` : uniqueId,
        resourceType: isTest ? 'test' : uniqueId.startsWith('seed') ? 'seed' : 'model',
        kind: status === 'skipped' ? 'skipped' : isTest ? 'test' : pick(['full', 'incremental', 'view']),
        status,
        trigger: pick(['cli', 'graphql', 'mutation', 'schedule'] as const),
        startedAt: new Date(started),
        completedAt: new Date(started + durationMs),
        durationMs: status === 'skipped' ? 0 : durationMs,
        rowsAffected: next() < 0.2 ? null : Math.floor(next() * 10_000),
      });
    }
    for (const r of runs) await t.store.recordRun(r);

    for (const days of [7, 30, 365]) {
      expectSame(
        await t.store.modelPerformance({ days }),
        reference(runs, days, now, ['model', 'seed', 'snapshot']),
      );
    }
    expectSame(
      await t.store.modelPerformance({ days: 30, resourceTypes: ['test'] }),
      reference(runs, 30, now, ['test']),
    );

    const onlyFails = (await t.store.modelPerformance({ days: 365 })).find(
      (p) => p.uniqueId === 'model.p.only_fails',
    );
    expect(onlyFails).toMatchObject({
      successes: 0,
      avgDurationMs: null,
      p50DurationMs: null,
      lastBuiltAt: null,
    });
  });

  it('is empty when nothing ran in the window', async () => {
    expect(await t.store.modelPerformance({ days: 0.000001, resourceTypes: ['snapshot'] })).toEqual([]);
  });
});

describe('percentileCont (the reference itself)', () => {
  it('matches the textbook cases', () => {
    expect(percentileCont([1], 0.95)).toBe(1);
    expect(percentileCont([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(percentileCont([10, 20, 30, 40, 50], 0.95)).toBeCloseTo(48);
  });
});
