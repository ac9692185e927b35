/**
 * The records the state store reads and writes, one type per table row, shared by the runner (which
 * writes them), freshness (which reads model state and source versions) and GraphQL (which reads run
 * history and performance).
 *
 * Timestamps come back as ISO-8601 UTC strings with microseconds (`2024-05-01T12:00:00.123456Z`):
 * exact, JSON-ready, and parseable by `Date`. They go in as a `Date` or any string Postgres reads as
 * `timestamptz`.
 */

/** What kind of node a row is about. Kept open-ended in the database (no check constraint). */
export type StateResourceType = 'model' | 'seed' | 'snapshot' | 'test' | 'source' | 'analysis' | 'operation';

/** How a node was (or was not) run. Custom `{% materialization %}` blocks report their own name. */
export type RunKind =
  | 'full'
  | 'incremental'
  | 'microbatch'
  | 'view'
  | 'ephemeral'
  | 'seed'
  | 'snapshot'
  | 'test'
  | 'operation'
  | 'skipped'
  | (string & {});

/** Node outcomes: models/seeds/snapshots end success/error/skipped, tests pass/fail/warn/error/skipped. */
export const RUN_STATUSES = ['success', 'error', 'skipped', 'pass', 'fail', 'warn'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** Who asked for the run. */
export const RUN_TRIGGERS = ['cli', 'graphql', 'mutation', 'schedule'] as const;
export type RunTrigger = (typeof RUN_TRIGGERS)[number];

export const INVOCATION_STATUSES = ['running', 'success', 'error', 'cancelled'] as const;
export type InvocationStatus = (typeof INVOCATION_STATUSES)[number];

export type Timestamp = Date | string;

/** A relation a node built (or stores test failures in). */
export interface RelationRef {
  schema: string;
  name: string;
}

/** One statement a node ran: enough to see where the time went, without keeping the SQL itself. */
export interface StatementStat {
  /** sha256 (hex) of the statement text. */
  sqlHash: string;
  /** Rows affected or returned, when the command tag reports them. */
  rows?: number | null;
  ms: number;
  /** The command tag's verb ('INSERT', 'CREATE TABLE', ...). */
  command?: string;
}

export interface RunError {
  message: string;
  /** A MartqlError code or SQLSTATE. */
  code?: string | null;
}

// ---- invocations ------------------------------------------------------------------------------

export interface InvocationStart {
  /** Generated (a UUID) when absent. */
  invocationId?: string;
  /** 'run', 'build', 'test', 'seed', 'refresh', ... */
  command: string;
  args?: Record<string, unknown>;
  trigger: RunTrigger;
  target?: string | null;
  startedAt?: Timestamp;
}

export interface InvocationCounts {
  pass: number;
  warn: number;
  error: number;
  skip: number;
}

export interface InvocationFinish {
  invocationId: string;
  status: Exclude<InvocationStatus, 'running'>;
  completedAt?: Timestamp;
  /** Counted from the invocation's run_history rows when absent. */
  counts?: InvocationCounts;
}

export interface Invocation {
  invocationId: string;
  command: string;
  args: Record<string, unknown>;
  trigger: RunTrigger;
  target: string | null;
  martqlVersion: string | null;
  /** `host:pid` of the process that ran it: with several replicas, which one. */
  process: string | null;
  status: InvocationStatus;
  startedAt: string;
  completedAt: string | null;
  counts: InvocationCounts | null;
}

// ---- run_history --------------------------------------------------------------------------------

/** One node's run in one invocation, written as the node finishes (also when it fails or is skipped). */
export interface RunRecord {
  invocationId: string;
  uniqueId: string;
  resourceType: StateResourceType;
  kind: RunKind;
  status: RunStatus;
  trigger: RunTrigger;
  startedAt: Timestamp;
  completedAt: Timestamp;
  durationMs: number;
  rowsAffected?: number | null;
  relation?: RelationRef | null;
  materialization?: string | null;
  /** Hash of the compiled SQL this run executed. */
  sqlHash?: string | null;
  statements?: StatementStat[];
  error?: RunError | null;
  /** The runner's worker name, e.g. 'Thread-2'. */
  thread?: string | null;
  /** A short human line (the adapter response, the reason it was skipped). */
  message?: string | null;
}

export interface RunHistoryRow {
  /** Append order: strictly increasing, so it orders rows even when clocks disagree. */
  seq: number;
  invocationId: string;
  uniqueId: string;
  resourceType: string;
  kind: string;
  status: RunStatus;
  trigger: RunTrigger;
  startedAt: string;
  completedAt: string;
  durationMs: number;
  rowsAffected: number | null;
  relation: RelationRef | null;
  materialization: string | null;
  sqlHash: string | null;
  statements: StatementStat[];
  error: RunError | null;
  thread: string | null;
  message: string | null;
}

export interface RunHistoryQuery {
  uniqueId?: string;
  invocationId?: string;
  status?: RunStatus;
  trigger?: RunTrigger;
  /** Only runs started at or after this time. */
  since?: Timestamp;
  /** Only rows with `seq` below this (the previous page's last `seq`): keyset pagination. */
  beforeSeq?: number;
  limit: number;
}

// ---- test_results -------------------------------------------------------------------------------

export type TestStatus = 'pass' | 'fail' | 'warn' | 'error' | 'skipped';
export type TestSeverity = 'error' | 'warn';

export interface TestResultRecord {
  invocationId: string;
  /** The test node. */
  uniqueId: string;
  /** The node the test is attached to (a model, seed, snapshot or source). */
  attachedNode?: string | null;
  columnName?: string | null;
  status: TestStatus;
  failures?: number | null;
  severity: TestSeverity;
  durationMs: number;
  message?: string | null;
  /** Where `store_failures` kept the failing rows. */
  storeFailures?: RelationRef | null;
  completedAt?: Timestamp;
}

export interface TestResultRow extends Required<Omit<TestResultRecord, 'completedAt'>> {
  seq: number;
  completedAt: string;
}

/** The latest result of each test attached to a node: what `ModelMeta.tests` shows. */
export interface TestSummary {
  attachedNode: string;
  passed: number;
  failed: number;
  warned: number;
  lastRunAt: string;
}

// ---- model_state --------------------------------------------------------------------------------

/** What a successful build leaves behind: everything freshness needs to decide staleness later. */
export interface ModelBuilt {
  status: 'success';
  uniqueId: string;
  resourceType: StateResourceType;
  /** Null for ephemeral models, which build no relation. */
  relation: RelationRef | null;
  materialization: string;
  sqlHash: string;
  configHash: string;
  builtAt: Timestamp;
  /** Each parent's (model or source) version as seen when this build started. */
  upstreamVersions: Record<string, string | number>;
  /** Incremental/microbatch high-water mark; null when the model has none. */
  watermark?: unknown;
  rowCount?: number | null;
  durationMs: number;
  invocationId: string;
  /**
   * Set when the build committed but the node still failed: a `transaction: false` post-hook failed
   * after the commit. The facts above describe what is in the warehouse; the attempt is an error.
   */
  error?: RunError | null;
}

/**
 * A build that did not happen or did not finish. A failed build leaves the old relation in place, so
 * it leaves the old build facts (sql hash, built_at, upstream versions, watermark) in place too and
 * only records the attempt.
 */
export interface ModelNotBuilt {
  status: 'error' | 'skipped';
  uniqueId: string;
  resourceType: StateResourceType;
  durationMs: number;
  invocationId: string;
  error?: RunError | null;
}

export type ModelStateUpdate = ModelBuilt | ModelNotBuilt;

export interface ModelState {
  uniqueId: string;
  resourceType: string;
  relation: RelationRef | null;
  /** The fields below are null until the first successful build. */
  materialization: string | null;
  sqlHash: string | null;
  configHash: string | null;
  builtAt: string | null;
  upstreamVersions: Record<string, string | number>;
  watermark: unknown;
  rowCount: number | null;
  lastDurationMs: number | null;
  lastStatus: 'success' | 'error' | 'skipped';
  lastInvocationId: string;
  lastError: RunError | null;
  updatedAt: string;
}

// ---- source_versions ----------------------------------------------------------------------------

export interface SourceVersion {
  schema: string;
  name: string;
  /** 0 for a table MartQL does not track (yet) or that has not changed since tracking began. */
  version: number;
  changedAt: string | null;
  /** Whether a row exists: a trigger was installed or a version was bumped by hand. */
  tracked: boolean;
}

// ---- performance --------------------------------------------------------------------------------

export interface PerformanceQuery {
  days: number;
  /** Which nodes count; models, seeds and snapshots by default (tests have their own results). */
  resourceTypes?: string[];
}

/**
 * Per node over the window. `runs` counts executed runs (success or error; skipped ones did not run).
 * Duration and row figures are over successful runs: a build that fails fast says nothing about how
 * long the model takes. Percentiles interpolate linearly (`percentile_cont`).
 */
export interface ModelPerformance {
  uniqueId: string;
  runs: number;
  successes: number;
  failures: number;
  skips: number;
  avgDurationMs: number | null;
  p50DurationMs: number | null;
  p95DurationMs: number | null;
  maxDurationMs: number | null;
  avgRows: number | null;
  lastBuiltAt: string | null;
  lastRunAt: string;
  lastStatus: RunStatus;
}
