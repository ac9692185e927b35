/**
 * Where each node of the lineage graph goes, computed once when the docs are generated so the page
 * only draws. A layered (Sugiyama-style) layout, small enough to read:
 *
 * 1. layers by longest path: a node sits one layer right of its deepest parent, so every edge
 *    points rightwards and sources and seeds start the picture;
 * 2. an edge that spans several layers gets a virtual node in each layer it crosses, so long edges
 *    take part in the ordering and are routed around nodes rather than through them;
 * 3. the order inside each layer comes from barycentre sweeps (a node moves to the mean position of
 *    its neighbours in the layer just placed), down and up, keeping the ordering with the fewest
 *    edge crossings seen;
 * 4. coordinates: layers are columns, nodes are stacked in order and each column is centred.
 *
 * Pure: the same graph always gives the same picture, and it is tested without a browser.
 */
import { MartqlError } from '../errors';

export interface LineageNodeInput {
  id: string;
  /** Ties are broken by kind (sources first), then label, so the first ordering is stable. */
  kind: string;
  label: string;
}

export interface PlacedNode {
  id: string;
  layer: number;
  /** Position inside the layer, virtual nodes included. */
  order: number;
  x: number;
  y: number;
}

export interface RoutedEdge {
  from: string;
  to: string;
  /** From the right side of `from` through each virtual node to the left side of `to`. */
  points: [number, number][];
}

export interface LineageLayout {
  width: number;
  height: number;
  nodeWidth: number;
  nodeHeight: number;
  nodes: PlacedNode[];
  edges: RoutedEdge[];
  /** Edge crossings between adjacent layers in the chosen ordering. */
  crossings: number;
}

export const NODE_WIDTH = 190;
export const NODE_HEIGHT = 34;
const LAYER_GAP = 80;
const NODE_GAP = 14;
/** A virtual node is only a bend in an edge: it takes a thin slot. */
const VIRTUAL_SLOT = 14;
const MARGIN = 16;
const SWEEPS = 12;
const KIND_RANK: Record<string, number> = { source: 0, seed: 1, snapshot: 2, model: 3 };

interface Slot {
  id: string;
  virtual: boolean;
  layer: number;
  up: number[];
  down: number[];
}

/** Longest-path layers; throws when the edges hold a cycle (the manifest never does). */
export function longestPathLayers(ids: string[], edges: [string, string][]): Map<string, number> {
  const parents = new Map(ids.map((id) => [id, [] as string[]]));
  const children = new Map(ids.map((id) => [id, [] as string[]]));
  for (const [from, to] of edges) {
    parents.get(to)!.push(from);
    children.get(from)!.push(to);
  }
  const waiting = new Map(ids.map((id) => [id, parents.get(id)!.length]));
  const ready = ids.filter((id) => waiting.get(id) === 0);
  const layer = new Map<string, number>();
  while (ready.length > 0) {
    const id = ready.pop()!;
    layer.set(id, Math.max(-1, ...parents.get(id)!.map((p) => layer.get(p)!)) + 1);
    for (const child of children.get(id)!) {
      const left = waiting.get(child)! - 1;
      waiting.set(child, left);
      if (left === 0) ready.push(child);
    }
  }
  if (layer.size !== ids.length) {
    const stuck = ids.filter((id) => !layer.has(id)).slice(0, 5);
    throw new MartqlError('CYCLE', `the lineage graph has a cycle through ${stuck.join(', ')}`);
  }
  return layer;
}

/** Crossings between two adjacent layers: inversions among edges sorted by their upper end. */
export function countCrossings(pairs: [number, number][]): number {
  const sorted = [...pairs].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const size = Math.max(0, ...sorted.map((p) => p[1])) + 2;
  const tree = new Array<number>(size).fill(0);
  let crossings = 0;
  let seen = 0;
  for (const [, lower] of sorted) {
    // Edges already seen whose lower end is right of this one's cross it.
    let below = 0;
    for (let i = lower + 1; i > 0; i -= i & -i) below += tree[i];
    crossings += seen - below;
    for (let i = lower + 1; i < size; i += i & -i) tree[i] += 1;
    seen += 1;
  }
  return crossings;
}

export function layoutLineage(input: LineageNodeInput[], edgeList: [string, string][]): LineageLayout {
  const known = new Map(input.map((n) => [n.id, n]));
  const edges = [
    ...new Map(
      edgeList
        .filter(([a, b]) => a !== b && known.has(a) && known.has(b))
        .map((e) => [`${e[0]}\0${e[1]}`, e]),
    ).values(),
  ];
  const layerOf = longestPathLayers(
    input.map((n) => n.id),
    edges,
  );

  // Slots: real nodes, then a chain of virtual ones along every long edge.
  const slots: Slot[] = input.map((n) => ({
    id: n.id,
    virtual: false,
    layer: layerOf.get(n.id)!,
    up: [],
    down: [],
  }));
  const index = new Map(slots.map((s, i) => [s.id, i]));
  const chains: { from: string; to: string; path: number[] }[] = [];
  for (const [from, to] of edges) {
    const path = [index.get(from)!];
    for (let l = layerOf.get(from)! + 1; l < layerOf.get(to)!; l++) {
      slots.push({ id: `${from}->${to}#${l}`, virtual: true, layer: l, up: [], down: [] });
      path.push(slots.length - 1);
    }
    path.push(index.get(to)!);
    for (let i = 1; i < path.length; i++) {
      slots[path[i - 1]].down.push(path[i]);
      slots[path[i]].up.push(path[i - 1]);
    }
    chains.push({ from, to, path });
  }

  const depth = Math.max(-1, ...slots.map((s) => s.layer)) + 1;
  const rank = (s: Slot) => {
    const node = known.get(s.id);
    return node ? `${KIND_RANK[node.kind] ?? 9}\0${node.label}\0${node.id}` : `9\0${s.id}`;
  };
  let layers: number[][] = Array.from({ length: depth }, () => []);
  for (let i = 0; i < slots.length; i++) layers[slots[i].layer].push(i);
  for (const layer of layers) layer.sort((a, b) => (rank(slots[a]) < rank(slots[b]) ? -1 : 1));

  const positions = (order: number[][]) => {
    const pos = new Array<number>(slots.length);
    for (const layer of order) layer.forEach((s, i) => (pos[s] = i));
    return pos;
  };
  const crossingsOf = (order: number[][]) => {
    const pos = positions(order);
    let total = 0;
    for (let l = 0; l + 1 < order.length; l++) {
      total += countCrossings(
        order[l].flatMap((s) => slots[s].down.map((d) => [pos[s], pos[d]] as [number, number])),
      );
    }
    return total;
  };
  const sweep = (order: number[][], downwards: boolean) => {
    const next = order.map((layer) => [...layer]);
    const range = downwards ? [...Array(depth).keys()].slice(1) : [...Array(depth).keys()].reverse().slice(1);
    for (const l of range) {
      const pos = positions(next);
      const key = new Map<number, number>();
      for (const s of next[l]) {
        const neighbours = downwards ? slots[s].up : slots[s].down;
        // A node with no neighbour on that side keeps its place.
        key.set(
          s,
          neighbours.length ? neighbours.reduce((sum, n) => sum + pos[n], 0) / neighbours.length : pos[s],
        );
      }
      next[l].sort((a, b) => key.get(a)! - key.get(b)! || pos[a] - pos[b]);
    }
    return next;
  };

  let best = layers;
  let bestCrossings = crossingsOf(layers);
  for (let i = 0; i < SWEEPS && bestCrossings > 0; i++) {
    layers = sweep(sweep(layers, true), false);
    const crossings = crossingsOf(layers);
    if (crossings < bestCrossings) {
      best = layers;
      bestCrossings = crossings;
    }
  }

  // Coordinates: each column stacked top-down, then centred against the tallest one.
  const slotHeight = (s: number) => (slots[s].virtual ? VIRTUAL_SLOT : NODE_HEIGHT + NODE_GAP);
  const heights = best.map((layer) => layer.reduce((sum, s) => sum + slotHeight(s), 0));
  const tallest = Math.max(0, ...heights);
  const xy = new Array<[number, number]>(slots.length);
  best.forEach((layer, l) => {
    let y = MARGIN + (tallest - heights[l]) / 2;
    for (const s of layer) {
      const x = MARGIN + l * (NODE_WIDTH + LAYER_GAP);
      // A virtual node is the centre line of its thin slot.
      xy[s] = slots[s].virtual ? [x, y + VIRTUAL_SLOT / 2] : [x, y];
      y += slotHeight(s);
    }
  });
  const order = positions(best);

  const nodes: PlacedNode[] = input.map((n) => {
    const s = index.get(n.id)!;
    return { id: n.id, layer: slots[s].layer, order: order[s], x: xy[s][0], y: xy[s][1] };
  });
  const routed: RoutedEdge[] = chains.map(({ from, to, path }) => {
    const points: [number, number][] = [];
    const [fx, fy] = xy[path[0]];
    points.push([fx + NODE_WIDTH, fy + NODE_HEIGHT / 2]);
    for (const s of path.slice(1, -1)) points.push([xy[s][0], xy[s][1]], [xy[s][0] + NODE_WIDTH, xy[s][1]]);
    const [tx, ty] = xy[path[path.length - 1]];
    points.push([tx, ty + NODE_HEIGHT / 2]);
    return { from, to, points };
  });
  return {
    width: Math.max(1, depth) * (NODE_WIDTH + LAYER_GAP) - LAYER_GAP + 2 * MARGIN,
    height: tallest - NODE_GAP + 2 * MARGIN,
    nodeWidth: NODE_WIDTH,
    nodeHeight: NODE_HEIGHT,
    nodes,
    edges: routed,
    crossings: bestCrossings,
  };
}
