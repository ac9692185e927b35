/**
 * `--select` / `--exclude` / `--resource-type`: from selector strings to a set of unique ids.
 *
 * Order of operations, as in dbt: evaluate the selection (everything when it is empty), subtract
 * the exclusion, add tests indirectly, drop tests of excluded nodes, then filter by resource type.
 * The result holds sources too when they match (`source:raw+` selects the source and its
 * children); `executionLevels` ignores them, and `resourceTypes` can drop them. A selector that
 * matches nothing is not an error: the caller decides whether to warn.
 */
import { graphIndex, type GraphIndex } from '../graph-index';
import type { Manifest, ResourceType } from '../types';
import { applyGraphOperators, type Mask } from './graph-ops';
import { indirectTests, testsOfExcluded, type IndirectSelection } from './indirect';
import { matchMethod, selectables, type Selectable } from './methods';
import { isEmptySelection, parseSelection, type SelectionSpec } from './parse';

export interface SelectOptions {
  select?: string[];
  exclude?: string[];
  /** Keep only these resource types (dbt's `--resource-type`); all when omitted or empty. */
  resourceTypes?: ResourceType[];
  /** How tests come along with the nodes they test; dbt's default is `eager`. */
  indirectSelection?: IndirectSelection;
}

export function select(manifest: Manifest, options: SelectOptions = {}): Set<string> {
  const mode = options.indirectSelection ?? 'eager';
  // Parse both sides first so a malformed --exclude fails before any work.
  const includeSpec = isEmptySelection(options.select) ? undefined : parseSelection(options.select ?? []);
  const excludeSpec = isEmptySelection(options.exclude) ? undefined : parseSelection(options.exclude ?? []);
  const index = graphIndex(manifest);
  const items = selectables(manifest);
  const n = items.length;

  const selected = includeSpec ? evaluate(manifest, index, items, includeSpec) : new Uint8Array(n).fill(1);
  const excluded = excludeSpec ? evaluate(manifest, index, items, excludeSpec) : new Uint8Array(n);
  const isTest = new Uint8Array(n);
  for (let i = 0; i < n; i++) isTest[i] = items[i].resourceType === 'test' ? 1 : 0;

  for (let i = 0; i < n; i++) if (excluded[i]) selected[i] = 0;
  const indirect = indirectTests(index, isTest, selected, mode);
  const dropped = testsOfExcluded(index, isTest, excluded, mode);
  const keep =
    options.resourceTypes && options.resourceTypes.length > 0 ? new Set(options.resourceTypes) : undefined;

  const out = new Set<string>();
  for (let i = 0; i < n; i++) {
    if (!(selected[i] || (indirect[i] && !excluded[i])) || dropped[i]) continue;
    if (keep && !keep.has(items[i].resourceType)) continue;
    out.add(items[i].id);
  }
  return out;
}

/** A mask of what a parsed selection matches (no indirect selection, no exclusion). */
function evaluate(manifest: Manifest, index: GraphIndex, items: Selectable[], spec: SelectionSpec): Mask {
  switch (spec.kind) {
    case 'criterion': {
      const matched = matchMethod(items, spec.criterion, manifest.rootPackage);
      return applyGraphOperators(index.parents, index.children, matched, spec.criterion);
    }
    case 'union': {
      const out = new Uint8Array(items.length);
      for (const item of spec.items) {
        const mask = evaluate(manifest, index, items, item);
        for (let i = 0; i < out.length; i++) out[i] |= mask[i];
      }
      return out;
    }
    case 'intersection': {
      const out = new Uint8Array(items.length).fill(1);
      for (const item of spec.items) {
        const mask = evaluate(manifest, index, items, item);
        for (let i = 0; i < out.length; i++) out[i] &= mask[i];
      }
      return out;
    }
  }
}
