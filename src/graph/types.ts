/**
 * The manifest: every node of a parsed project with its dependencies.
 *
 * The compiler's parse phase produces `ParsedNode`s (a model rendered with `execute = false`, its
 * `ref`/`source`/`config` calls captured); `buildManifest` resolves those calls into edges, checks
 * the graph and returns a `Manifest`.
 */
import type { SourceLocation } from '../errors';
import type { ColumnProperties, NodeConfig, SourceTable } from '../project/types';

export type ResourceType = 'model' | 'seed' | 'test' | 'snapshot' | 'analysis' | 'source';

/** A `ref(...)` call as written: `ref('m')`, `ref('pkg', 'm')`, `ref('m', version=2)`. */
export interface RefCall {
  name: string;
  package?: string;
  version?: string | number;
}

/** A `source('src', 'table')` call. */
export interface SourceCall {
  sourceName: string;
  tableName: string;
}

/** Metadata of a generic test node (dbt's `test_metadata`). */
export interface TestMetadata {
  /** Generic test name, e.g. `not_null`. */
  name: string;
  namespace?: string;
  /** Arguments passed to the test macro, `model` and `column_name` included. */
  kwargs: Record<string, unknown>;
}

/** One executable node: model, seed, test, snapshot or analysis (sources are kept separately). */
export interface ParsedNode {
  /** `model.<package>.<name>`, `seed.<package>.<name>`, `test.<package>.<test_name>`, ... */
  uniqueId: string;
  resourceType: Exclude<ResourceType, 'source'>;
  package: string;
  name: string;
  /** Path of the file relative to its package root. */
  path: string;
  /** Absolute path, for error messages and reading. */
  absPath: string;
  fqn: string[];
  rawCode: string;
  checksum: string;
  /** Final config: project tree < YAML properties < `config()` in the SQL. */
  config: NodeConfig;
  description: string;
  columns: ColumnProperties[];
  refs: RefCall[];
  sources: SourceCall[];
  /** Macros the node called while parsing (unique ids: `macro.<package>.<name>`). */
  macros: string[];
  /** For generic tests: the node the test is attached to (unique id) and the column. */
  attachedNode?: string;
  columnName?: string;
  testMetadata?: TestMetadata;
  /** Where the node is declared (for YAML-declared tests: the YAML line). */
  location: SourceLocation;
  /** Where the node is built, decided at parse time by `generate_schema_name`/`generate_alias_name`. */
  relation?: NodeRelation;
  /** `typescript` for a model defined by a `.ts` file (src/tsmodel); SQL otherwise. */
  language?: 'sql' | 'typescript';
}

/** The database relation of a node: `schema.identifier` (database kept for manifest.json). */
export interface NodeRelation {
  database: string;
  schema: string;
  identifier: string;
}

/** A node with its resolved dependencies. */
export interface ManifestNode extends ParsedNode {
  /** Unique ids of upstream nodes and sources, in first-seen order, without duplicates. */
  dependsOn: string[];
}

export interface MacroInfo {
  /** `macro.<package>.<name>` */
  uniqueId: string;
  package: string;
  name: string;
  path: string;
  absPath: string;
  /** 1-based line of `{% macro %}`. */
  line: number;
  /** Argument names as declared. */
  args: string[];
  /** `test` for `{% test %}` blocks, `materialization` for `{% materialization %}`, else `macro`. */
  kind: 'macro' | 'test' | 'materialization';
}

export interface Manifest {
  /** Every node by unique id (models, seeds, tests, snapshots, analyses). */
  nodes: Map<string, ManifestNode>;
  sources: Map<string, SourceTable>;
  macros: Map<string, MacroInfo>;
  /** unique id -> upstream unique ids (nodes and sources). */
  parents: Map<string, string[]>;
  /** unique id -> downstream unique ids. */
  children: Map<string, string[]>;
  /**
   * Nodes left out of the graph: disabled by config, or tests attached to a disabled node (dbt
   * disables those silently). Kept for `manifest.json`'s `disabled` and for "is disabled" messages.
   */
  disabled?: Map<string, ParsedNode>;
  /** The root project's name (for `package:this` and `manifest.json`); set by `buildManifest`. */
  rootPackage?: string;
}
