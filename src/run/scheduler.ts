/**
 * Runs a selection of the DAG with up to N nodes at once, each as soon as its parents are done.
 *
 * Levels (all of level 1, then all of level 2) would wait for the slowest node of each level; a
 * ready queue starts a node the moment its last parent finishes. A node whose parent failed is not
 * run: it is reported as skipped with the failing ancestor named, and so are its own descendants —
 * the run reports instead of aborting. With `failFast`, the first failure skips everything not yet
 * started.
 */

import { MartqlError } from '../errors';

export interface ScheduleOptions<R> {
  /** Node ids in a topological order (parents first); the order breaks ties between ready nodes. */
  ids: string[];
  /** Parents of a node (any ids outside `ids` are ignored: they are not part of this run). */
  parents(id: string): readonly string[];
  threads: number;
  /** Runs one node. `thread` is 1-based, for logs. Must not throw: failures are results. */
  run(id: string, thread: number): Promise<R>;
  /** Whether a result stops the node's descendants. */
  blocksDescendants(result: R): boolean;
  /** The result recorded for a node that is not run, with the id of the node that caused it. */
  skipped(id: string, causeId: string): R;
  failFast?: boolean;
  /** Called as each node finishes or is skipped, in completion order. */
  onResult?(id: string, result: R): void;
}

export async function schedule<R>(options: ScheduleOptions<R>): Promise<Map<string, R>> {
  const { ids, threads } = options;
  const inRun = new Set(ids);
  const order = new Map(ids.map((id, i) => [id, i]));
  const children = new Map<string, string[]>();
  const waitingOn = new Map<string, number>();
  for (const id of ids) {
    const parents = options.parents(id).filter((p) => inRun.has(p) && p !== id);
    waitingOn.set(id, new Set(parents).size);
    for (const parent of new Set(parents)) {
      const list = children.get(parent) ?? [];
      list.push(id);
      children.set(parent, list);
    }
  }

  const results = new Map<string, R>();
  const ready: string[] = ids.filter((id) => waitingOn.get(id) === 0);
  let stopAll: string | undefined;

  const record = (id: string, result: R) => {
    results.set(id, result);
    options.onResult?.(id, result);
  };

  /** Skips every not-yet-finished descendant of `id`, naming `cause`. */
  const skipDescendants = (id: string, cause: string) => {
    const stack = [...(children.get(id) ?? [])];
    while (stack.length) {
      const child = stack.pop()!;
      if (results.has(child)) continue;
      record(child, options.skipped(child, cause));
      stack.push(...(children.get(child) ?? []));
    }
  };

  const release = (id: string) => {
    for (const child of children.get(id) ?? []) {
      const remaining = waitingOn.get(child)! - 1;
      waitingOn.set(child, remaining);
      if (remaining === 0 && !results.has(child)) insertByOrder(ready, child, order);
    }
  };

  let wake: (() => void) | undefined;
  let running = 0;
  const worker = async (thread: number): Promise<void> => {
    for (;;) {
      const id = ready.shift();
      if (id === undefined) {
        if (running === 0) {
          wake?.();
          return;
        }
        await new Promise<void>((resolve) => {
          const previous = wake;
          wake = () => {
            previous?.();
            resolve();
          };
        });
        continue;
      }
      if (results.has(id)) continue;
      if (stopAll !== undefined) {
        record(id, options.skipped(id, stopAll));
        release(id);
        continue;
      }
      running += 1;
      let result: R;
      try {
        result = await options.run(id, thread);
      } finally {
        running -= 1;
      }
      record(id, result);
      if (options.blocksDescendants(result)) {
        skipDescendants(id, id);
        if (options.failFast && stopAll === undefined) stopAll = id;
      }
      release(id);
      const w = wake;
      wake = undefined;
      w?.();
    }
  };

  const workers = Math.max(1, Math.floor(threads) || 1);
  await Promise.all(Array.from({ length: workers }, (_, i) => worker(i + 1)));
  const stuck = ids.filter((id) => !results.has(id));
  if (stuck.length && stopAll === undefined) {
    // Without fail-fast every node ends up run or skipped; anything left waits on a cycle in
    // `parents`, which is a bug in whoever built the graph, not a result to report as a skip.
    throw new MartqlError(
      'INTERNAL',
      `these nodes could never start (their dependencies form a cycle): ${stuck.join(', ')}`,
    );
  }
  for (const id of stuck) record(id, options.skipped(id, stopAll!));
  return results;
}

function insertByOrder(queue: string[], id: string, order: Map<string, number>): void {
  const rank = order.get(id)!;
  let i = queue.length;
  while (i > 0 && order.get(queue[i - 1])! > rank) i -= 1;
  queue.splice(i, 0, id);
}
