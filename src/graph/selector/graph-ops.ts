/**
 * Graph operators of the selection syntax: ancestors (`+x`, `n+x`), descendants (`x+`, `x+n`) and
 * `@x`. Each is one breadth-first walk from all seeds at once over the integer index, so
 * `+tag:daily` over hundreds of matches visits every edge at most once.
 *
 * Sets of nodes are `Uint8Array` masks over the index (1 = in the set): unions, intersections and
 * walks are then plain loops with no hashing.
 */
import { graphIndex } from '../graph-index';
import type { Manifest } from '../types';
import type { Criterion } from './parse';

export type Mask = Uint8Array;

/**
 * Marks (in a new mask) every index reachable from the seeds along `edges` within `depth` steps
 * (unlimited when undefined); seeds are not marked unless reached again.
 */
export function reachable(edges: number[][], seeds: Mask, depth?: number): Mask {
  const found = new Uint8Array(seeds.length);
  let frontier: number[] = [];
  for (let i = 0; i < seeds.length; i++) if (seeds[i]) frontier.push(i);
  for (let step = 0; frontier.length > 0 && (depth === undefined || step < depth); step++) {
    const next: number[] = [];
    for (const i of frontier) {
      for (const j of edges[i]) {
        if (found[j]) continue;
        found[j] = 1;
        next.push(j);
      }
    }
    frontier = next;
  }
  return found;
}

export function orInto(target: Mask, other: Mask): Mask {
  for (let i = 0; i < target.length; i++) target[i] |= other[i];
  return target;
}

/** Applies a criterion's graph operators to the mask its method matched. */
export function applyGraphOperators(
  parents: number[][],
  children: number[][],
  matched: Mask,
  c: Criterion,
): Mask {
  const result = matched.slice();
  if (c.childrensParents) {
    orInto(result, reachable(children, matched));
    return orInto(result, reachable(parents, result));
  }
  if (c.parents) orInto(result, reachable(parents, matched, c.parentsDepth));
  if (c.children) orInto(result, reachable(children, matched, c.childrenDepth));
  return result;
}

/** Unique ids upstream of the seeds (within `depth` generations when given), seeds excluded. */
export function ancestors(manifest: Manifest, seeds: Iterable<string>, depth?: number): Set<string> {
  return walkIds(manifest, seeds, 'parents', depth);
}

/** Unique ids downstream of the seeds (within `depth` generations when given), seeds excluded. */
export function descendants(manifest: Manifest, seeds: Iterable<string>, depth?: number): Set<string> {
  return walkIds(manifest, seeds, 'children', depth);
}

function walkIds(
  manifest: Manifest,
  seeds: Iterable<string>,
  direction: 'parents' | 'children',
  depth?: number,
): Set<string> {
  const index = graphIndex(manifest);
  const mask = new Uint8Array(index.ids.length);
  for (const id of seeds) {
    const i = index.indexOf.get(id);
    if (i !== undefined) mask[i] = 1;
  }
  const found = reachable(index[direction], mask, depth);
  const out = new Set<string>();
  for (let i = 0; i < found.length; i++) if (found[i]) out.add(index.ids[i]);
  return out;
}
