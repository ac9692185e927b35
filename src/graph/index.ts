/**
 * The public API of the graph layer: everything other folders import from `graph/` comes from here.
 */
export type * from './types';
export { buildManifest, type BuildManifestInput } from './build-manifest';
export { findCycle } from './find-cycle';
export { executionLevels, topoSort } from './levels';
export {
  writeManifestJson,
  manifestToJson,
  MANIFEST_SCHEMA_VERSION,
  type ManifestJsonOptions,
} from './manifest-json';
export { select, type SelectOptions } from './selector/select';
export { parseSelection, type Criterion, type SelectionSpec, type MethodName } from './selector/parse';
export type { IndirectSelection } from './selector/indirect';
export { ancestors, descendants } from './selector/graph-ops';
