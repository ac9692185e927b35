/**
 * MartQL's public API. Everything a program embedding MartQL may use is re-exported from here, and
 * nothing else is public: modules not listed may change without notice.
 */
export { MartqlError, formatError, type ErrorCode, type SourceLocation } from './errors';
export { loadProject } from './project';
export type { Project, NodeConfig } from './project/types';
export {
  compileProject,
  parseProjectDir,
  type CompileProjectOptions,
  type CompileProjectResult,
} from './compile/compile-project';
export { targetFromEnv } from './compile/target';
export { select, topoSort, executionLevels, writeManifestJson } from './graph';
export type { Manifest, ManifestNode, ParsedNode } from './graph/types';
export { runProject, type RunRequest } from './run/runner';
export type { NodeResult, RunEvent, RunSummary } from './run/types';
export {
  openWarehouse,
  quoteIdent,
  qualify,
  type Warehouse,
  type Session,
  type QueryResult,
} from './warehouse';
export { defineModel, type TsModelContext, type TsModelDefinition } from './tsmodel';
export { resolveDeps, type DepsResult, type ResolvedDependency } from './project/deps';
export { runSnapshot, type SnapshotOutcome, type SnapshotRequest } from './snapshot';
export { buildSchema, type BuildSchemaOptions, type BuiltSchema } from './graphql';
export { startServer, type RunningServer, type ServerOptions } from './server';
export { generateDocs, readCatalog, type CatalogJson, type DocsOptions } from './docs';
