/**
 * Execution order: topological levels of a selection, for running nodes in parallel.
 *
 * Levels are computed on the whole graph and then restricted to the selection, so an order that
 * passes through unselected nodes is kept (select `a` and `c` of `a -> b -> c`: `c` still waits for
 * `a`), as dbt's subset graph does.
 */
import { MartqlError } from '../errors';
import { findCycleIn } from './find-cycle';
import { graphIndex } from './graph-index';
import type { Manifest } from './types';

/**
 * Levels of the selected nodes: level 0 has no selected ancestor; a node sits one level after its
 * deepest selected ancestor. Ids that are not nodes (sources) are ignored; each level is sorted by
 * unique id so the output is deterministic.
 */
export function executionLevels(manifest: Manifest, ids: Set<string>): string[][] {
  const index = graphIndex(manifest);
  const order = index.order;
  if (!order) {
    // buildManifest rejects cycles; this guards a manifest assembled or edited by hand.
    const cycle = findCycleIn(index) ?? [];
    throw new MartqlError('CYCLE', `Found a cycle: ${[...cycle, cycle[0]].join(' -> ')}`, {
      data: { cycle },
    });
  }
  const selected = new Uint8Array(index.ids.length);
  for (const id of ids) {
    const i = index.indexOf.get(id);
    if (i !== undefined && manifest.nodes.has(id)) selected[i] = 1;
  }
  // reach[i]: the deepest level among selected nodes at or above i (-1 when none).
  const reach = new Int32Array(index.ids.length);
  const levels: string[][] = [];
  for (const i of order) {
    let deepest = -1;
    for (const p of index.parents[i]) if (reach[p] > deepest) deepest = reach[p];
    if (selected[i]) {
      reach[i] = deepest + 1;
      (levels[deepest + 1] ??= []).push(index.ids[i]);
    } else {
      reach[i] = deepest;
    }
  }
  for (const level of levels) level.sort();
  return levels;
}

/** The selected nodes (all nodes when `ids` is omitted) in one deterministic topological order. */
export function topoSort(manifest: Manifest, ids?: Set<string>): string[] {
  return executionLevels(manifest, ids ?? new Set(manifest.nodes.keys())).flat();
}
