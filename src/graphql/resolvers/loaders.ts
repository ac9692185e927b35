/**
 * Per-request DataLoaders over the state store: however many model fields one request selects,
 * their `meta` costs one model_state query and one test summary query. A new set per request
 * (dataloader's rule), so one request never sees another's cached state.
 */
import DataLoader from 'dataloader';
import type { ModelState, StateStore, TestSummary } from '../../state';

export interface Loaders {
  modelState: DataLoader<string, ModelState | null>;
  testSummary: DataLoader<string, TestSummary | null>;
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
  };
}
