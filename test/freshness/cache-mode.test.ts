import {
  CACHE_MODES,
  cacheModeFor,
  cacheModeNeedsAdmin,
  decide,
  withinBudget,
  type RefreshPlan,
} from '../../src/freshness';
import { node } from '../graph/helpers';

const plan = (fresh: boolean): RefreshPlan => ({
  target: 'model.p.a',
  stale: fresh ? [] : [{ id: 'model.p.a', reasons: ['upstream_changed'] }],
  order: fresh ? [] : ['model.p.a'],
  fresh,
  tolerated: [],
  untracked: [],
  checkedAt: 0,
  targetVersion: null,
});

describe('decide', () => {
  it('answers a fresh plan as it is, in every mode but NO_CACHE', () => {
    for (const mode of CACHE_MODES.filter((x) => x !== 'NO_CACHE')) {
      expect(decide(mode, plan(true), 500)).toEqual({ action: 'ANSWER', freshness: 'FRESH' });
    }
  });

  it('says what to do with a stale plan, per mode', () => {
    expect(decide('MUST_REVALIDATE', plan(false), 500)).toEqual({
      action: 'REFRESH_THEN_ANSWER',
      force: false,
      freshness: 'REFRESHED',
    });
    expect(decide('STALE_WHILE_REVALIDATE', plan(false), 500)).toEqual({
      action: 'ANSWER_THEN_REFRESH',
      freshness: 'STALE_SERVED',
    });
    expect(decide('STALE_IF_SLOW', plan(false), 500)).toEqual({
      action: 'WAIT_UP_TO_BUDGET',
      budgetMs: 500,
      freshness: { onTime: 'REFRESHED', late: 'STALE_SERVED' },
    });
    expect(decide('STALE_IF_SLOW', plan(false), 0)).toEqual({
      action: 'ANSWER_THEN_REFRESH',
      freshness: 'STALE_SERVED',
    });
  });

  it('always refreshes for NO_CACHE, which needs the admin token', () => {
    for (const fresh of [true, false]) {
      expect(decide('NO_CACHE', plan(fresh), 0)).toEqual({
        action: 'REFRESH_THEN_ANSWER',
        force: true,
        freshness: 'REFRESHED',
      });
    }
    expect(CACHE_MODES.filter(cacheModeNeedsAdmin)).toEqual(['NO_CACHE']);
  });
});

describe('cacheModeFor', () => {
  it('takes the request, else the model default, else MUST_REVALIDATE', () => {
    const swr = node({ name: 'a', config: { cache_mode: 'stale_while_revalidate' } });
    expect(cacheModeFor(swr)).toBe('STALE_WHILE_REVALIDATE');
    expect(cacheModeFor(swr, 'NO_CACHE')).toBe('NO_CACHE');
    expect(cacheModeFor(node({ name: 'b' }))).toBe('MUST_REVALIDATE');
    expect(cacheModeFor(node({ name: 'c', config: { cache_mode: 'sometimes' } }))).toBe('MUST_REVALIDATE');
  });
});

describe('withinBudget', () => {
  const later = <T>(ms: number, value: T) =>
    new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

  it('returns the value when it comes in time, and gives up without cancelling otherwise', async () => {
    await expect(withinBudget(later(5, 'done'), 200)).resolves.toEqual({ done: true, value: 'done' });
    const slow = later(100, 'late');
    await expect(withinBudget(slow, 10)).resolves.toEqual({ done: false });
    await expect(slow).resolves.toBe('late');
  });

  it('rethrows a failure in time; swallows one that comes after the budget', async () => {
    await expect(withinBudget(Promise.reject(new Error('boom')), 100)).rejects.toThrow('boom');
    const failsLate = new Promise((_, reject) => setTimeout(() => reject(new Error('late boom')), 30));
    await expect(withinBudget(failsLate, 5)).resolves.toEqual({ done: false });
    await new Promise((resolve) => setTimeout(resolve, 50)); // no unhandled rejection
  });
});
