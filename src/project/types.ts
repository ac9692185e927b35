/**
 * The shape of a loaded dbt project: what `loadProject` returns and everything after it reads.
 *
 * Loading is pure file work: nothing here renders Jinja or touches a database. Configs are the merge
 * of the `dbt_project.yml` tree (by folder) and the YAML property files; the `config()` calls inside
 * SQL are applied later, at parse time, by the compiler.
 */
import type { SourceLocation } from '../errors';

/**
 * A model, seed or snapshot hook as configured (`pre-hook` / `post-hook`, `before_begin()`,
 * `after_commit()`): its SQL, still Jinja. A plain string runs inside the build's transaction, as
 * dbt's default `transaction: true`; a hook that runs outside it, or that has an `index`, is a
 * `HookObject`. Merging keeps `{sql, transaction: true}` without an index as its string.
 */
export type HookConfig = string | HookObject;

export interface HookObject {
  sql: string;
  /** false: a pre-hook runs before the build's transaction opens, a post-hook after it commits. */
  transaction: boolean;
  /** dbt's `index`, when the hook declares one (exported to manifest.json; null otherwise). */
  index?: number;
}

/** The SQL of a configured hook. */
export function hookSql(hook: HookConfig): string {
  return typeof hook === 'string' ? hook : hook.sql;
}

/** Whether a configured hook runs inside the build's transaction. */
export function hookInTransaction(hook: HookConfig): boolean {
  return typeof hook === 'string' || hook.transaction;
}

/** A node's config after merging. Keys are dbt's, with `pre-hook`/`post-hook` spelled `pre_hook`/`post_hook`. */
export interface NodeConfig {
  enabled: boolean;
  materialized: string;
  tags: string[];
  meta: Record<string, unknown>;
  pre_hook: HookConfig[];
  post_hook: HookConfig[];
  schema?: string;
  database?: string;
  alias?: string;
  /** Any other key (`unique_key`, `incremental_strategy`, `graphql`, `contract`, `severity`, ...). */
  [key: string]: unknown;
}

/** The paths and settings read from one `dbt_project.yml`. */
export interface DbtProjectConfig {
  name: string;
  version?: string;
  configVersion?: number;
  profile?: string;
  modelPaths: string[];
  macroPaths: string[];
  seedPaths: string[];
  testPaths: string[];
  analysisPaths: string[];
  snapshotPaths: string[];
  docsPaths: string[];
  targetPath: string;
  /** `vars:` as written: globals plus per-package scopes keyed by package name. */
  vars: Record<string, unknown>;
  /** The raw `models:` / `seeds:` / `data_tests:` / `snapshots:` / `sources:` config trees. */
  configTrees: Record<ConfigTreeKind, Record<string, unknown>>;
  onRunStart: string[];
  onRunEnd: string[];
  /** The `dispatch:` list: for a macro namespace, the packages searched first. */
  dispatch: { macroNamespace: string; searchOrder: string[] }[];
  /** Quoting settings (`quoting: {identifier: true}`). */
  quoting: Record<string, boolean>;
}

export type ConfigTreeKind = 'models' | 'seeds' | 'data_tests' | 'snapshots' | 'sources';

/** A package: the root project or a dependency resolved from `packages.yml`/`dependencies.yml`. */
export interface PackageInfo {
  name: string;
  /** Absolute directory of the package. */
  root: string;
  isRoot: boolean;
  config: DbtProjectConfig;
}

/** A file read from a package; `path` is relative to the package root (`models/stg/orders.sql`). */
export interface ProjectFile {
  package: string;
  path: string;
  absPath: string;
  contents: string;
  /** sha256 of the contents, hex. */
  checksum: string;
}

/** A generic data test declared in YAML (`not_null`, `accepted_values`, `pkg.custom_test`, ...). */
export interface TestDefinition {
  /** The test's name as written: `unique`, `relationships`, `dbt_utils.expression_is_true`. */
  testName: string;
  /** Package namespace when written `pkg.test`, else undefined. */
  namespace?: string;
  /** The test's arguments (`values`, `to`, `field`, ...), without `config`. */
  args: Record<string, unknown>;
  /** `config:` of the test (`severity`, `where`, `store_failures`, ...). */
  config: Record<string, unknown>;
  /** Optional explicit `name:` for the test. */
  name?: string;
  /** Optional `description:` of the test (dbt 1.9+). */
  description?: string;
  /** The column the test is attached to, if declared under a column. */
  columnName?: string;
  location: SourceLocation;
}

export interface ColumnProperties {
  name: string;
  description: string;
  dataType?: string;
  quote?: boolean;
  constraints: Record<string, unknown>[];
  tests: TestDefinition[];
  meta: Record<string, unknown>;
  tags: string[];
  /** Any other key of the column entry, kept verbatim (`granularity`, `policy_tags`, ...). */
  extra?: Record<string, unknown>;
}

/** What a YAML property file says about a model, seed, snapshot or analysis. */
export interface NodeProperties {
  name: string;
  description: string;
  config: Record<string, unknown>;
  columns: ColumnProperties[];
  /** Model-level tests. */
  tests: TestDefinition[];
  meta: Record<string, unknown>;
  docs?: Record<string, unknown>;
  /** Where the entry was declared (the YAML file and the line of `- name:`). */
  location: SourceLocation;
  /** Any other key, kept verbatim (`versions`, `latest_version`, `graphql`, ...). */
  extra: Record<string, unknown>;
}

export interface SourceTable {
  /** unique_id: `source.<package>.<source>.<table>`. */
  uniqueId: string;
  package: string;
  /** `[package, ...folders of the YAML file under its resource path, source, table]`, as dbt's. */
  fqn?: string[];
  sourceName: string;
  name: string;
  database?: string;
  schema: string;
  identifier: string;
  description: string;
  /** The description of the source the table belongs to. */
  sourceDescription?: string;
  loader?: string;
  loadedAtField?: string;
  /** dbt 1.10's alternative to `loaded_at_field`: a query returning the last load time. */
  loadedAtQuery?: string;
  freshness?: Record<string, unknown> | null;
  columns: ColumnProperties[];
  tests: TestDefinition[];
  meta: Record<string, unknown>;
  /** `meta` of the source (the table's own `meta` is `meta`; `config.meta` merges both). */
  sourceMeta?: Record<string, unknown>;
  tags: string[];
  /** Quoting of the source (`database`/`schema`/`identifier`), table over source. */
  quoting?: Record<string, unknown>;
  config: Record<string, unknown>;
  location: SourceLocation;
}

/** What a YAML property file says about a macro (`macros:`): documentation only. */
export interface MacroProperties {
  package: string;
  name: string;
  description: string;
  arguments: { name: string; type?: string; description: string }[];
  meta: Record<string, unknown>;
  docs?: Record<string, unknown>;
  location: SourceLocation;
  extra: Record<string, unknown>;
}

export type NodeResourceType = 'model' | 'analysis' | 'snapshot' | 'test' | 'seed';

/** A SQL file that becomes a node: model, analysis, singular test or snapshot. */
export interface SqlNodeFile extends ProjectFile {
  resourceType?: Exclude<NodeResourceType, 'seed'>;
  /**
   * File name without extension; for a snapshot, the name of its `{% snapshot %}` block (a file of
   * several blocks gives one node each, whose `contents` is that block's body) or its YAML entry.
   */
  name: string;
  /** Snapshots from SQL files only: the names of every `{% snapshot name %}` block in the file. */
  snapshotNames?: string[];
  /** dbt's fully qualified name: package, folders below the resource path, name. */
  fqn: string[];
  /** Config from the `dbt_project.yml` tree and the YAML properties (SQL `config()` comes later). */
  config: NodeConfig;
  properties?: NodeProperties;
}

export interface SeedFile extends ProjectFile {
  resourceType?: 'seed';
  name: string;
  fqn: string[];
  config: NodeConfig;
  properties?: NodeProperties;
}

export interface Project {
  /** Absolute path of the root project. */
  root: string;
  name: string;
  config: DbtProjectConfig;
  /** The root package first, then dependencies in resolution order. */
  packages: PackageInfo[];
  models: SqlNodeFile[];
  analyses: SqlNodeFile[];
  snapshots: SqlNodeFile[];
  singularTests: SqlNodeFile[];
  seeds: SeedFile[];
  /** Macro files, including generic tests under `<test-path>/generic/`. */
  macros: ProjectFile[];
  /** `macros:` entries of YAML property files. */
  macroProperties?: MacroProperties[];
  sources: SourceTable[];
  /** Every YAML property file read (for checksums and partial re-parsing). */
  propertyFiles?: ProjectFile[];
  /** `{% docs %}` files (`.md` under docs/model paths). */
  docs: ProjectFile[];
  /** Variables passed on the command line (`--vars`), already parsed. */
  cliVars: Record<string, unknown>;
  /** Non-fatal notes for the user (e.g. "require-dbt-version is ignored"). */
  notes: string[];
}
