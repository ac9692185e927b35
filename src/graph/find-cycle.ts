/**
 * Finding one real cycle in the dependency graph, without recursion.
 *
 * Kahn's algorithm peels off every node whose parents are all peeled; what remains is exactly the
 * set of nodes on or downstream of a cycle, and every remaining node still has a remaining parent.
 * Walking from any remaining node to a remaining parent must therefore revisit a node, and the
 * revisited stretch is a cycle. Both passes are iterative and linear, so a 10,000-node chain costs
 * nothing and cannot overflow the stack.
 */
import { indexEdges, type GraphIndex } from './graph-index';

/**
 * Returns the ids of one cycle in data-flow order (each feeds the next; the last feeds the first),
 * rotated to start at its smallest id so the answer is deterministic; undefined when acyclic.
 * `parents` must have an entry (possibly empty) for every id in the graph.
 */
export function findCycle(parents: Map<string, string[]>): string[] | undefined {
  return findCycleIn(indexEdges(parents));
}

export function findCycleIn(index: GraphIndex): string[] | undefined {
  if (index.order) return undefined;
  const { ids, parents, children } = index;
  const n = ids.length;
  // Peel again (the index keeps only the verdict) to learn which nodes are stuck.
  const pending = new Int32Array(n);
  const queue: number[] = [];
  for (let i = 0; i < n; i++) {
    pending[i] = parents[i].length;
    if (pending[i] === 0) queue.push(i);
  }
  for (let head = 0; head < queue.length; head++) {
    for (const c of children[queue[head]]) if (--pending[c] === 0) queue.push(c);
  }
  const stuck = (i: number): boolean => pending[i] > 0;
  const byId = (a: number, b: number): number => (ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : 0);

  let start = -1;
  for (let i = 0; i < n; i++) if (stuck(i) && (start === -1 || byId(i, start) < 0)) start = i;
  // Walk upstream through stuck nodes, remembering the step at which each was reached.
  const seenAt = new Int32Array(n).fill(-1);
  const walk: number[] = [];
  let current = start;
  while (seenAt[current] === -1) {
    seenAt[current] = walk.length;
    walk.push(current);
    current = parents[current].filter(stuck).sort(byId)[0];
  }
  // The walk goes child -> parent; reverse it into data-flow order, then rotate to the smallest id.
  const cycle = walk.slice(seenAt[current]).reverse();
  let first = 0;
  for (let i = 1; i < cycle.length; i++) if (byId(cycle[i], cycle[first]) < 0) first = i;
  return [...cycle.slice(first), ...cycle.slice(0, first)].map((i) => ids[i]);
}
