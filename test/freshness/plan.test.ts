import {
  canonicalTimestamp,
  describePlan,
  forcePlan,
  planRefresh,
  storedVersion,
  upstreamVersionsFor,
  versionInputs,
  type RefreshPlan,
} from '../../src/freshness';
import { node, source } from '../graph/helpers';
import { T0, NOW, build, builtWorld, bump, forget, m, manifestOf, patch, sqlHashOf, src } from './helpers';

const table = { materialized: 'table' };
const short = (ids: string[]) => ids.map((id) => id.split('.').pop());
const reasons = (plan: RefreshPlan) =>
  Object.fromEntries(plan.stale.map((s) => [s.id.split('.').pop(), s.reasons]));

describe('planRefresh on a chain raw.orders -> a -> b -> c (tables)', () => {
  const manifest = manifestOf(
    [
      node({ name: 'a', sources: ['raw.orders'], config: table }),
      node({ name: 'b', refs: ['a'], config: table }),
      node({ name: 'c', refs: ['b'], config: table }),
    ],
    [source('raw', 'orders')],
  );
  const world = builtWorld(manifest);

  it('finds nothing to do after a complete build', () => {
    for (const id of manifest.nodes.keys()) {
      const plan = planRefresh(manifest, id, world);
      expect(plan).toMatchObject({ target: id, fresh: true, order: [], stale: [] });
    }
    expect(describePlan(planRefresh(manifest, m('c'), world))).toBe(
      `model.proj.c: fresh (checked ${new Date(NOW).toISOString()})`,
    );
  });

  it('upstream_changed: a source version moved; everything downstream of it is upstream_stale', () => {
    const plan = planRefresh(manifest, m('c'), bump(world, src('raw', 'orders')));
    expect(short(plan.order)).toEqual(['a', 'b', 'c']);
    expect(reasons(plan)).toEqual({
      a: ['upstream_changed'],
      b: ['upstream_stale'],
      c: ['upstream_stale'],
    });
    expect(plan.stale[0].changedParents).toEqual([src('raw', 'orders')]);
    expect(plan.fresh).toBe(false);
  });

  it('never plans a snapshot: a source change under it leaves its readers fresh until it runs', () => {
    const withSnapshot = manifestOf(
      [
        node({ name: 'snap', type: 'snapshot', sources: ['raw.orders'], config: table }),
        node({ name: 'd', refs: ['snap'], config: table }),
      ],
      [source('raw', 'orders')],
    );
    const built = builtWorld(withSnapshot);
    const d = m('d');
    expect(planRefresh(withSnapshot, d, bump(built, src('raw', 'orders')))).toMatchObject({
      fresh: true,
      order: [],
    });
    const snapshotRan = build(withSnapshot, built, 'snapshot.proj.snap', NOW - 10);
    const plan = planRefresh(withSnapshot, d, snapshotRan);
    expect(plan.order).toEqual([d]);
    expect(plan.stale[0]).toMatchObject({
      reasons: ['upstream_changed'],
      changedParents: ['snapshot.proj.snap'],
    });
  });

  it('upstream_changed: a parent model was rebuilt elsewhere since', () => {
    const plan = planRefresh(manifest, m('c'), build(manifest, world, m('a'), NOW - 10));
    expect(reasons(plan)).toEqual({ b: ['upstream_changed'], c: ['upstream_stale'] });
    expect(plan.stale[0].changedParents).toEqual([m('a')]);
  });

  it('never_built', () => {
    const plan = planRefresh(manifest, m('c'), forget(world, m('b')));
    expect(reasons(plan)).toEqual({ b: ['never_built'], c: ['upstream_changed', 'upstream_stale'] });
  });

  it('sql_changed, only when the caller gives the compiled hash and it differs', () => {
    const changed = (id: string) => (id === m('b') ? 'new-hash' : sqlHashOf(id));
    expect(reasons(planRefresh(manifest, m('c'), world, { compiledSqlHash: changed }))).toEqual({
      b: ['sql_changed'],
      c: ['upstream_stale'],
    });
    expect(planRefresh(manifest, m('c'), world, { compiledSqlHash: () => undefined }).fresh).toBe(true);
    expect(planRefresh(manifest, m('c'), world, { compiledSqlHash: (id) => sqlHashOf(id) }).fresh).toBe(true);
  });

  it('last_build_failed (an error; a skip is not a failure of the model)', () => {
    const failed = patch(world, m('a'), { lastStatus: 'error', lastError: { message: 'boom' } });
    expect(reasons(planRefresh(manifest, m('c'), failed))).toEqual({
      a: ['last_build_failed'],
      b: ['upstream_stale'],
      c: ['upstream_stale'],
    });
    expect(planRefresh(manifest, m('c'), patch(world, m('a'), { lastStatus: 'skipped' })).fresh).toBe(true);
  });

  it('only plans the target and its ancestors', () => {
    const plan = planRefresh(manifest, m('a'), bump(world, src('raw', 'orders')));
    expect(short(plan.order)).toEqual(['a']);
  });

  it('reads old-style records (a number, an invocation id) as changed, never as equal by accident', () => {
    const legacy = patch(world, m('b'), { upstreamVersions: { [m('a')]: 'some-invocation-id' } });
    expect(reasons(planRefresh(manifest, m('b'), legacy))).toEqual({ b: ['upstream_changed'] });
    const numeric = patch(world, m('a'), { upstreamVersions: { [src('raw', 'orders')]: 0 } });
    expect(planRefresh(manifest, m('a'), numeric).order).toEqual([m('a')]);
  });
});

describe('the stale slice only', () => {
  //   raw.x -> a -> c <- b <- raw.y ;  a -> d (a sibling of c)
  const manifest = manifestOf(
    [
      node({ name: 'a', sources: ['raw.x'], config: table }),
      node({ name: 'b', sources: ['raw.y'], config: table }),
      node({ name: 'c', refs: ['a', 'b'], config: table }),
      node({ name: 'd', refs: ['a'], config: table }),
    ],
    [source('raw', 'x'), source('raw', 'y')],
  );
  const world = builtWorld(manifest);

  it('leaves a fresh branch and a stale sibling of the target alone', () => {
    const plan = planRefresh(manifest, m('c'), bump(world, src('raw', 'x')));
    expect(short(plan.order)).toEqual(['a', 'c']);
    const other = planRefresh(manifest, m('c'), bump(world, src('raw', 'y')));
    expect(short(other.order)).toEqual(['b', 'c']);
  });

  it('orders parents before children', () => {
    const plan = planRefresh(manifest, m('c'), bump(bump(world, src('raw', 'x')), src('raw', 'y')));
    expect(short(plan.order)).toEqual(['a', 'b', 'c']);
  });
});

describe('ephemeral models and views read their parents live', () => {
  // raw.x -> e (ephemeral) -> t (table);  raw.x -> v (view) -> u (table);  a (table) -> w (view)
  const manifest = manifestOf(
    [
      node({ name: 'a', sources: ['raw.y'], config: table }),
      node({ name: 'e', sources: ['raw.x'], config: { materialized: 'ephemeral' } }),
      node({ name: 't', refs: ['e'], config: table }),
      node({ name: 'v', sources: ['raw.x'], config: { materialized: 'view' } }),
      node({ name: 'u', refs: ['v'], config: { materialized: 'incremental' } }),
      node({ name: 'w', refs: ['a'], config: { materialized: 'view' } }),
      node({ name: 'e2', refs: ['a'], config: { materialized: 'ephemeral' } }),
    ],
    [source('raw', 'x'), source('raw', 'y')],
  );
  const world = builtWorld(manifest);

  it('never rebuilds an ephemeral model; its consumer sees the source through it', () => {
    const plan = planRefresh(manifest, m('t'), bump(world, src('raw', 'x')));
    expect(reasons(plan)).toEqual({ t: ['upstream_changed'] });
    expect(plan.stale[0].changedParents).toEqual([m('e')]);
    expect(planRefresh(manifest, m('e'), bump(world, src('raw', 'x'))).fresh).toBe(true);
  });

  it('an ephemeral target or a view target gets its stale stored ancestors rebuilt', () => {
    const stale = bump(world, src('raw', 'y'));
    expect(short(planRefresh(manifest, m('e2'), stale).order)).toEqual(['a']);
    expect(short(planRefresh(manifest, m('w'), stale).order)).toEqual(['a']);
  });

  it('does not rebuild a view because its source moved, but rebuilds the table above it', () => {
    const moved = bump(world, src('raw', 'x'));
    expect(planRefresh(manifest, m('v'), moved).fresh).toBe(true);
    const plan = planRefresh(manifest, m('u'), moved);
    expect(reasons(plan)).toEqual({ u: ['upstream_changed'] });
  });

  it('rebuilds a view whose SQL changed or that was never built, and the tables reading it', () => {
    const changed = (id: string) => (id === m('v') ? 'new' : undefined);
    expect(reasons(planRefresh(manifest, m('u'), world, { compiledSqlHash: changed }))).toEqual({
      v: ['sql_changed'],
      u: ['upstream_stale'],
    });
    expect(reasons(planRefresh(manifest, m('u'), forget(world, m('v'))))).toEqual({
      v: ['never_built'],
      u: ['upstream_changed', 'upstream_stale'],
    });
  });

  it('a table over a view over a stale table: both tables, not the view', () => {
    const deep = manifestOf(
      [
        node({ name: 'a', sources: ['raw.y'], config: table }),
        node({ name: 'w', refs: ['a'], config: { materialized: 'view' } }),
        node({ name: 'z', refs: ['w'], config: table }),
      ],
      [source('raw', 'y')],
    );
    const plan = planRefresh(deep, m('z'), bump(builtWorld(deep), src('raw', 'y')));
    // z recorded w's version, which carries a's: a has not been rebuilt yet, so only upstream_stale.
    expect(reasons(plan)).toEqual({ a: ['upstream_changed'], z: ['upstream_stale'] });
  });
});

describe('max_staleness', () => {
  const manifest = (maxStaleness: unknown) =>
    manifestOf(
      [
        node({ name: 'a', sources: ['raw.x'], config: table }),
        node({ name: 'b', refs: ['a'], config: { ...table, max_staleness: maxStaleness } }),
      ],
      [source('raw', 'x')],
    );

  it('counts a model built within it as fresh even though upstream moved, and leaves its stale parents', () => {
    const mf = manifest(3600);
    // b was built at T0 + 1 s; the snapshot is at T0 + 1 h: within 3600 s.
    const snap = { ...bump(builtWorld(mf), src('raw', 'x')), takenAt: T0 + 1000 + 3_600_000 };
    const plan = planRefresh(mf, m('b'), snap);
    expect(plan.fresh).toBe(true);
    expect(plan.tolerated).toEqual([
      {
        id: m('b'),
        reasons: ['upstream_stale'],
        builtAt: '2024-05-01T12:00:01.000000Z',
        maxStalenessS: 3600,
      },
    ]);
    expect(describePlan(plan)).toContain('within max_staleness: model.proj.b');
    // a itself is stale, and a query on a refreshes it.
    expect(short(planRefresh(mf, m('a'), snap).order)).toEqual(['a']);
  });

  it('stops tolerating once the model is older than max_staleness', () => {
    const mf = manifest('60');
    const plan = planRefresh(mf, m('b'), bump(builtWorld(mf), src('raw', 'x')));
    expect(short(plan.order)).toEqual(['a', 'b']);
  });

  it('never tolerates its own reasons (SQL changed, failed, never built)', () => {
    const mf = manifest(1e9);
    const world = builtWorld(mf);
    const changed = planRefresh(mf, m('b'), world, {
      compiledSqlHash: (id) => (id === m('b') ? 'x' : undefined),
    });
    expect(reasons(changed)).toEqual({ b: ['sql_changed'] });
    expect(reasons(planRefresh(mf, m('b'), patch(world, m('b'), { lastStatus: 'error' })))).toEqual({
      b: ['last_build_failed'],
    });
  });

  it('ignores values that are not a number of seconds', () => {
    const mf = manifest('soon');
    expect(planRefresh(mf, m('b'), bump(builtWorld(mf), src('raw', 'x'))).order).toHaveLength(2);
  });
});

describe('plans as records', () => {
  const manifest = manifestOf(
    [
      node({ name: 'a', sources: ['raw.x', 'raw.quiet'], config: table }),
      node({ name: 'b', refs: ['a'], config: table }),
    ],
    [source('raw', 'x'), source('raw', 'quiet')],
  );
  const world = builtWorld(manifest, { [src('raw', 'quiet')]: { tracking: 'untracked', value: null } });

  it('name the sources nothing can check', () => {
    const plan = planRefresh(manifest, m('b'), world);
    expect(plan.untracked).toEqual([src('raw', 'quiet')]);
    expect(describePlan(plan)).toContain('no change detection for: source.proj.raw.quiet');
  });

  it('print what will be rebuilt and why', () => {
    const plan = planRefresh(manifest, m('b'), bump(world, src('raw', 'x')));
    expect(describePlan(plan).split('\n').slice(0, 3)).toEqual([
      `model.proj.b: 2 to refresh (checked ${new Date(NOW).toISOString()})`,
      '  1. model.proj.a  upstream changed (source.proj.raw.x)',
      '  2. model.proj.b  upstream is being refreshed',
    ]);
    expect(JSON.parse(JSON.stringify(plan))).toEqual(plan);
  });

  it('forcePlan adds the fresh target (NO_CACHE) and keeps a planned one once', () => {
    const fresh = planRefresh(manifest, m('b'), world);
    const forced = forcePlan(manifest, fresh);
    expect(forced).toMatchObject({
      fresh: false,
      order: [m('b')],
      stale: [{ id: m('b'), reasons: ['forced'] }],
    });
    const stale = planRefresh(manifest, m('b'), bump(world, src('raw', 'x')));
    expect(forcePlan(manifest, stale)).toBe(stale);
    expect(describePlan(forced)).toContain('refresh forced');
  });

  it('rejects an unknown target', () => {
    expect(() => planRefresh(manifest, m('nope'), world)).toThrow('unknown node model.proj.nope');
  });
});

describe('versionInputs', () => {
  // raw.x -> a (table) -> v (view) -> t (table);  raw.y -> e (ephemeral) -> t
  const manifest = manifestOf(
    [
      node({ name: 'a', sources: ['raw.x'], config: table }),
      node({ name: 'v', refs: ['a'], config: { materialized: 'view' } }),
      node({ name: 'e', sources: ['raw.y'], config: { materialized: 'ephemeral' } }),
      node({ name: 't', refs: ['v', 'e'], config: table }),
    ],
    [source('raw', 'x'), source('raw', 'y')],
  );

  it('reads through pass-through parents and stops at stored ones', () => {
    expect([...versionInputs(manifest, [m('t')])].sort()).toEqual(
      [m('a'), m('e'), m('t'), m('v'), src('raw', 'y')].sort(),
    );
    expect([...versionInputs(manifest, [m('t'), m('a')])].sort()).toEqual(
      [m('a'), m('e'), m('t'), m('v'), src('raw', 'x'), src('raw', 'y')].sort(),
    );
  });

  it('gives what upstreamVersionsFor needs: the same record as from a full snapshot', () => {
    const world = builtWorld(manifest);
    const inputs = versionInputs(manifest, [m('t')]);
    const partial = {
      ...world,
      models: new Map([...world.models].filter(([id]) => inputs.has(id))),
      sources: new Map([...world.sources].filter(([id]) => inputs.has(id))),
    };
    expect(upstreamVersionsFor(manifest, m('t'), partial)).toEqual(
      upstreamVersionsFor(manifest, m('t'), world),
    );
  });
});

describe('versions', () => {
  it('spell one instant the same from a Date and from the state store', () => {
    expect(canonicalTimestamp(new Date('2024-05-01T12:00:00.123Z'))).toBe('2024-05-01T12:00:00.123000Z');
    expect(canonicalTimestamp('2024-05-01T12:00:00.123000Z')).toBe('2024-05-01T12:00:00.123000Z');
    expect(canonicalTimestamp('2024-05-01T12:00:00Z')).toBe('2024-05-01T12:00:00.000000Z');
    expect(canonicalTimestamp('2024-05-01 14:00:00+02')).toBe('2024-05-01T12:00:00.000000Z');
    expect(storedVersion({ builtAt: '2024-05-01T12:00:00.123000Z', sqlHash: 'abc' })).toBe(
      storedVersion({ builtAt: new Date('2024-05-01T12:00:00.123Z').toISOString(), sqlHash: 'abc' }),
    );
    expect(storedVersion(undefined)).toBeNull();
  });
});
