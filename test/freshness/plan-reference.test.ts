/**
 * The planner against a brute-force reference on random DAGs: the stale set is the closure of the
 * changed nodes downstream, within the target's ancestors, where a view or an ephemeral model is
 * stale only for its own reasons (it reads its parents live) and an ephemeral one never rebuilds.
 * Then the plan is carried out (as the runner would, recording upstream versions) and the target
 * must come out fresh.
 */
import { ancestors } from '../../src/graph';
import type { Manifest } from '../../src/graph/types';
import { nodeKind, planRefresh, type Snapshot } from '../../src/freshness';
import { node, rng, source } from '../graph/helpers';
import { NOW, build, builtWorld, bump, forget, manifestOf, patch, sqlHashOf } from './helpers';

const MATERIALIZATIONS = ['table', 'table', 'incremental', 'view', 'view', 'ephemeral'];

function randomManifest(random: () => number): Manifest {
  const sourceCount = 1 + Math.floor(random() * 4);
  const sources = Array.from({ length: sourceCount }, (_, i) => source('raw', `s${i}`));
  const count = 5 + Math.floor(random() * 30);
  const nodes = Array.from({ length: count }, (_, i) => {
    const refs = [
      ...new Set(Array.from({ length: Math.floor(random() * 3) }, () => Math.floor(random() * i))),
    ]
      .filter((j) => j < i)
      .map((j) => `n${j}`);
    const srcs = refs.length === 0 || random() < 0.2 ? [`raw.s${Math.floor(random() * sourceCount)}`] : [];
    const materialized = MATERIALIZATIONS[Math.floor(random() * MATERIALIZATIONS.length)];
    return node({ name: `n${i}`, refs, sources: srcs, config: { materialized } });
  });
  return manifestOf(nodes, sources);
}

interface Changes {
  bumped: Set<string>;
  forgotten: Set<string>;
  failed: Set<string>;
  edited: Set<string>;
}

function mutate(manifest: Manifest, world: Snapshot, random: () => number): [Snapshot, Changes] {
  const changes: Changes = { bumped: new Set(), forgotten: new Set(), failed: new Set(), edited: new Set() };
  let snap = world;
  for (const id of manifest.sources.keys()) {
    if (random() < 0.3) {
      snap = bump(snap, id);
      changes.bumped.add(id);
    }
  }
  for (const [id, n] of manifest.nodes) {
    if (nodeKind(n) === 'ephemeral') continue;
    const r = random();
    if (r < 0.05) {
      snap = forget(snap, id);
      changes.forgotten.add(id);
    } else if (r < 0.1) {
      snap = patch(snap, id, { lastStatus: 'error' });
      changes.failed.add(id);
    } else if (r < 0.15) changes.edited.add(id);
  }
  return [snap, changes];
}

/** The reference: reachability from the changed origins, no version comparison involved. */
function referenceStale(manifest: Manifest, target: string, c: Changes): Set<string> {
  const scope = ancestors(manifest, [target]);
  scope.add(target);
  const own = (id: string) => c.forgotten.has(id) || c.failed.has(id) || c.edited.has(id);
  const origins = new Set([...c.bumped, ...[...manifest.nodes.keys()].filter(own)]);
  const stale = new Set<string>();
  for (const id of scope) {
    const n = manifest.nodes.get(id);
    if (!n) continue;
    const kind = nodeKind(n);
    if (kind === 'ephemeral') continue;
    if (own(id) || (kind === 'stored' && [...ancestors(manifest, [id])].some((a) => origins.has(a)))) {
      stale.add(id);
    }
  }
  return stale;
}

describe('planRefresh against a brute-force reference on random DAGs', () => {
  it('plans exactly the reference stale set, in topological order, and converges', () => {
    let checked = 0;
    for (let seed = 1; seed <= 150; seed++) {
      const random = rng(seed);
      const manifest = randomManifest(random);
      const world = builtWorld(manifest);
      const [snap, changes] = mutate(manifest, world, random);
      const compiledSqlHash = (id: string) => sqlHashOf(id, changes.edited.has(id) ? 1 : 0);
      for (const target of manifest.nodes.keys()) {
        const plan = planRefresh(manifest, target, snap, { compiledSqlHash });
        const expected = referenceStale(manifest, target, changes);
        const context = `seed ${seed}, target ${target}`;
        expect({ context, stale: [...plan.order].sort() }).toEqual({ context, stale: [...expected].sort() });
        expect(plan.fresh).toBe(expected.size === 0);

        const position = new Map(plan.order.map((id, i) => [id, i]));
        for (const id of plan.order) {
          for (const a of ancestors(manifest, [id])) {
            if (position.has(a)) expect(position.get(a)!).toBeLessThan(position.get(id)!);
          }
        }
        for (const s of plan.stale) {
          expect(s.reasons.includes('never_built')).toBe(changes.forgotten.has(s.id));
          expect(s.reasons.includes('last_build_failed')).toBe(changes.failed.has(s.id));
          expect(s.reasons.includes('sql_changed')).toBe(changes.edited.has(s.id));
        }

        // Carry the plan out as the runner does, then nothing is left to do for the target.
        let after = snap;
        plan.order.forEach((id, i) => {
          after = build(manifest, after, id, NOW + 1000 * (i + 1), changes.edited.has(id) ? 1 : 0);
        });
        const replan = planRefresh(manifest, target, after, { compiledSqlHash });
        expect({ context, left: replan.order }).toEqual({ context, left: [] });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });
});
