/**
 * The vocabulary of a run: what each node's outcome is, and the events a run emits while it goes.
 * The CLI prints events as dbt-style lines; the GraphQL layer turns results into refresh reports.
 */
import type { MartqlError } from '../errors';
import type { ResourceType } from '../graph/types';

export type Command = 'run' | 'seed' | 'snapshot' | 'test' | 'build' | 'compile';

/** How a node ended. Models and seeds: success/error/skipped; tests: pass/warn/fail/error/skipped. */
export type NodeStatus = 'success' | 'error' | 'skipped' | 'pass' | 'warn' | 'fail';

/** What a build did to the relation. */
export type RunKind =
  | 'view'
  | 'table'
  | 'full'
  | 'incremental'
  | 'append'
  | 'noop'
  | 'seed'
  | 'snapshot'
  | 'test'
  | 'compile'
  | 'skipped';

export type Trigger = 'cli' | 'graphql' | 'mutation' | 'schedule';

export interface NodeResult {
  uniqueId: string;
  resourceType: Exclude<ResourceType, 'source'>;
  name: string;
  status: NodeStatus;
  kind: RunKind;
  /** The relation built or tested, rendered (`"public"."orders"`), when there is one. */
  relation?: string;
  materialization?: string;
  rowsAffected: number | null;
  /** Tests: the number of failing rows. */
  failures?: number;
  message: string;
  error?: MartqlError;
  startedAt: Date;
  completedAt: Date;
  compileMs: number;
  executeMs: number;
  thread: number;
  compiledSql?: string;
  /** Skipped nodes: the node whose failure caused the skip. */
  skippedBecause?: string;
  /**
   * Hash of the node's SQL as a full build compiles it (stable across incremental runs), which
   * freshness compares with a fresh compile to tell whether the model's code changed.
   */
  sqlHash?: string;
  /** The statements the build ran, with rows and time each (not kept for skipped nodes). */
  statements?: { sql: string; rowCount: number; ms: number }[];
}

export type RunEvent =
  | { type: 'invocation-start'; invocationId: string; command: Command; total: number; description: string }
  | { type: 'node-start'; uniqueId: string; index: number; total: number; description: string }
  | { type: 'node-finish'; result: NodeResult; index: number; total: number }
  | { type: 'hook'; name: string; status: 'ok' | 'error'; ms: number }
  | { type: 'invocation-finish'; summary: RunSummary };

export interface RunCounts {
  pass: number;
  warn: number;
  error: number;
  skip: number;
  total: number;
}

export interface RunSummary {
  invocationId: string;
  command: Command;
  results: NodeResult[];
  counts: RunCounts;
  elapsedMs: number;
  success: boolean;
}

/** Whether a result stops the node's descendants: a failed build, or an error-severity test failure. */
export function blocksDescendants(result: NodeResult): boolean {
  return result.status === 'error' || result.status === 'fail';
}

export function countResults(results: NodeResult[]): RunCounts {
  const counts: RunCounts = { pass: 0, warn: 0, error: 0, skip: 0, total: results.length };
  for (const r of results) {
    switch (r.status) {
      case 'success':
      case 'pass':
        counts.pass += 1;
        break;
      case 'warn':
        counts.warn += 1;
        break;
      case 'error':
      case 'fail':
        counts.error += 1;
        break;
      case 'skipped':
        counts.skip += 1;
        break;
      default: {
        const unreachable: never = r.status;
        throw new Error(`unknown status ${String(unreachable)}`);
      }
    }
  }
  return counts;
}
