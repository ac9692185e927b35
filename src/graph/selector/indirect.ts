/**
 * Indirect test selection, as dbt does it: selecting a model brings along the tests on it.
 *
 * Modes (dbt's `--indirect-selection`):
 * - `eager` (default): a test comes along when any of its parents is selected — a `relationships`
 *   test between a selected and an unselected model runs;
 * - `cautious`: only when all its parents are selected;
 * - `buildable`: when each parent is selected or an ancestor of something selected;
 * - `empty`: never; only tests selected directly run.
 * Exclusion mirrors this: unless the mode is `empty`, a test with an excluded parent is excluded.
 */
import type { GraphIndex } from '../graph-index';
import { reachable, type Mask } from './graph-ops';

export type IndirectSelection = 'eager' | 'cautious' | 'buildable' | 'empty';

/**
 * Tests outside `selected` that the mode brings along. `isTest` is aligned with the index; only
 * children of selected nodes are candidates, so the cost follows the selection, not the project.
 */
export function indirectTests(
  index: GraphIndex,
  isTest: Mask,
  selected: Mask,
  mode: IndirectSelection,
): Mask {
  const found = new Uint8Array(selected.length);
  if (mode === 'empty') return found;
  const buildable = mode === 'buildable' ? reachable(index.parents, selected) : undefined;
  const ok = (p: number): boolean => selected[p] === 1 || (buildable !== undefined && buildable[p] === 1);
  for (let i = 0; i < selected.length; i++) {
    if (!selected[i]) continue;
    for (const child of index.children[i]) {
      if (!isTest[child] || selected[child] || found[child]) continue;
      if (mode === 'eager' || index.parents[child].every(ok)) found[child] = 1;
    }
  }
  return found;
}

/** Tests (selected or not) with a parent in `excluded`: they go out with it. */
export function testsOfExcluded(
  index: GraphIndex,
  isTest: Mask,
  excluded: Mask,
  mode: IndirectSelection,
): Mask {
  const found = new Uint8Array(excluded.length);
  if (mode === 'empty') return found;
  for (let i = 0; i < excluded.length; i++) {
    if (!excluded[i]) continue;
    for (const child of index.children[i]) if (isTest[child]) found[child] = 1;
  }
  return found;
}
