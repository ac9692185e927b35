/**
 * The public API of the materializations; everything outside `materialize/` imports from here.
 *
 * Pick one with `materializationFor(config.materialized, { macros })` and call `run(request)`. Builds do not
 * take locks: the caller serializes builds of one relation (`Warehouse.withLock`).
 */
export type {
  BatchRecord,
  BuildHook,
  BuildKind,
  Materialization,
  MaterializeRequest,
  MaterializeResult,
  RelationName,
  StatementRecord,
} from './types';
export type { ModelRenderer } from './types';
export {
  ephemeralMaterialization,
  knownMaterializations,
  materializationFor,
  type MaterializationScope,
} from './registry';
export { aroundBuild, withOutsideHooks } from './hooks';
export { checkContract, type ContractProblem } from './contract';
export { planIncremental, type IncrementalPlan } from './incremental/plan';
export { readIncrementalSettings, type IncrementalSettings } from './incremental/settings';
export { planBatches, batchWindow, type Batch } from './incremental/batches';
