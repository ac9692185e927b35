/**
 * The public API of the state store: MartQL's own tables in the warehouse. Everything outside
 * `state/` imports from here.
 */
export { DEFAULT_STATE_SCHEMA, openStateStore, StateStore } from './state-store';
export type { NodeResult, StateStoreOptions } from './state-store';
export { currentVersion, type MigrateResult } from './migrate';
export { LATEST_VERSION } from './migrations';
export { changeTriggerName } from './source-versions';
export * from './types';
