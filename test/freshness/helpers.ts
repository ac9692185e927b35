/**
 * Hand-built worlds for freshness tests: a manifest, and a snapshot in which every node was built
 * in order from the versions of its parents at that moment (the state a complete run leaves).
 */
import { buildManifest } from '../../src/graph/build-manifest';
import { topoSort } from '../../src/graph/levels';
import type { Manifest, ParsedNode } from '../../src/graph/types';
import type { SourceTable } from '../../src/project/types';
import type { ModelState } from '../../src/state/types';
import { upstreamVersionsFor, withBuilt, type Snapshot, type SourceReading } from '../../src/freshness';

export const T0 = Date.parse('2024-05-01T12:00:00.000Z');
export const NOW = T0 + 3_600_000;

export function manifestOf(nodes: ParsedNode[], sources: SourceTable[] = []): Manifest {
  return buildManifest({ rootPackage: 'proj', macros: [], sources, nodes });
}

export const m = (name: string) => `model.proj.${name}`;
export const src = (source: string, table: string) => `source.proj.${source}.${table}`;

export const sqlHashOf = (id: string, edit = 0) => `sql-${id}-${edit}`;

/** Every source read by trigger at version 0, every node built in topological order, one second apart. */
export function builtWorld(
  manifest: Manifest,
  readings: Record<string, SourceReading> = {},
  takenAt = NOW,
): Snapshot {
  let snap: Snapshot = {
    takenAt,
    models: new Map(),
    sources: new Map(
      [...manifest.sources.keys()].map((id) => [id, readings[id] ?? { tracking: 'trigger', value: 0 }]),
    ),
  };
  topoSort(manifest).forEach((id, i) => {
    if (manifest.nodes.get(id)!.resourceType === 'test') return;
    snap = build(manifest, snap, id, T0 + i * 1000);
  });
  return snap;
}

/** The snapshot after a successful build of `id` at `at` (what a runner following the contract records). */
export function build(manifest: Manifest, snap: Snapshot, id: string, at: number, edit = 0): Snapshot {
  const upstreamVersions = upstreamVersionsFor(manifest, id, snap);
  const next = withBuilt(snap, id, { builtAt: new Date(at), sqlHash: sqlHashOf(id, edit) });
  return patch(next, id, { upstreamVersions });
}

export function patch(snap: Snapshot, id: string, changes: Partial<ModelState>): Snapshot {
  const models = new Map(snap.models);
  models.set(id, { ...models.get(id)!, ...changes });
  return { ...snap, models };
}

export function forget(snap: Snapshot, id: string): Snapshot {
  const models = new Map(snap.models);
  models.delete(id);
  return { ...snap, models };
}

export function setSource(snap: Snapshot, id: string, reading: SourceReading): Snapshot {
  return { ...snap, sources: new Map(snap.sources).set(id, reading) };
}

export function bump(snap: Snapshot, id: string): Snapshot {
  const r = snap.sources.get(id)!;
  return setSource(snap, id, { ...r, value: Number(r.value ?? 0) + 1 });
}
