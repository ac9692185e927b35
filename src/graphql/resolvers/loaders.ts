/**
 * Per-request DataLoaders: however many model fields one request selects, their `meta` costs one
 * model_state query and one test summary query, and rows loaded by key one query per model and
 * key column. A new set per request (dataloader's rule), so one request never sees another's
 * cached state.
 */
import DataLoader from 'dataloader';
import type { ModelState, StateStore, TestSummary } from '../../state';
import { RowLoaders } from './row-loaders';

export interface Loaders {
  modelState: DataLoader<string, ModelState | null>;
  testSummary: DataLoader<string, TestSummary | null>;
  /** Rows of exposed models by a unique column (relationship fields, `<model>ByKey`). */
  rows: RowLoaders;
}

export function createLoaders(store: StateStore): Loaders {
  return {
    modelState: new DataLoader(async (ids) => {
      const states = await store.getModelState(ids);
      return ids.map((id) => states.get(id) ?? null);
    }),
    testSummary: new DataLoader(async (ids) => {
      const summaries = await store.testSummaries(ids);
      return ids.map((id) => summaries.get(id) ?? null);
    }),
    rows: new RowLoaders(),
  };
}
