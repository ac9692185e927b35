/**
 * An integer-indexed copy of a manifest's edges, computed once per manifest.
 *
 * Selection, levels and cycle checks all walk the whole graph; doing that over string-keyed maps
 * costs more than the walking itself. Ids are numbered once, edges become arrays of numbers, and
 * the topological order is kept, so later walks use typed arrays and no hashing. The index is
 * cached per manifest object: a manifest is treated as immutable once built (the cache is dropped
 * if the number of ids changes, as a cheap guard against hand edits).
 */
import type { Manifest } from './types';

export interface GraphIndex {
  /** index -> unique id (sources and nodes). */
  ids: string[];
  indexOf: Map<string, number>;
  parents: number[][];
  children: number[][];
  /** Every index, parents before children; undefined when the graph has a cycle. */
  order: Int32Array | undefined;
}

const cache = new WeakMap<Manifest, GraphIndex>();

export function graphIndex(manifest: Manifest): GraphIndex {
  const cached = cache.get(manifest);
  if (cached && cached.ids.length === manifest.parents.size) return cached;
  const index = indexEdges(manifest.parents);
  cache.set(manifest, index);
  return index;
}

/** Numbers the ids of a parents map (which must list every id) and orders them topologically. */
export function indexEdges(parentsById: Map<string, string[]>): GraphIndex {
  const ids = [...parentsById.keys()];
  const indexOf = new Map<string, number>();
  for (let i = 0; i < ids.length; i++) indexOf.set(ids[i], i);
  const parents: number[][] = new Array(ids.length);
  const children: number[][] = Array.from({ length: ids.length }, () => []);
  for (let i = 0; i < ids.length; i++) {
    const ps = parentsById.get(ids[i])!;
    const row: number[] = [];
    for (const p of ps) {
      const j = indexOf.get(p);
      // An edge to an id outside the graph cannot affect order; it is dropped here.
      if (j === undefined) continue;
      row.push(j);
      children[j].push(i);
    }
    parents[i] = row;
  }
  return { ids, indexOf, parents, children, order: topologicalOrder(parents, children) };
}

/** Kahn's algorithm; undefined when some ids can never be released (a cycle). */
function topologicalOrder(parents: number[][], children: number[][]): Int32Array | undefined {
  const n = parents.length;
  const pending = new Int32Array(n);
  const order = new Int32Array(n);
  let tail = 0;
  for (let i = 0; i < n; i++) {
    pending[i] = parents[i].length;
    if (pending[i] === 0) order[tail++] = i;
  }
  for (let head = 0; head < tail; head++) {
    for (const c of children[order[head]]) if (--pending[c] === 0) order[tail++] = c;
  }
  return tail === n ? order : undefined;
}
