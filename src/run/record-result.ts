/**
 * Writing one node's outcome to the state schema: a run_history row always, a test_results row for
 * tests, and model_state for models and seeds (a failed build keeps the previous build's facts).
 */
import { upstreamVersionsFor, withBuilt, type Snapshot } from '../freshness';
import type { StateStore } from '../state';
import { sha256, type RunContext } from './run-context';
import type { NodeResult, Trigger } from './types';

function relationRef(rc: RunContext, result: NodeResult): { schema: string; name: string } | null {
  const node = rc.manifest.nodes.get(result.uniqueId);
  if (!node?.relation || node.config.materialized === 'ephemeral') return null;
  return { schema: node.relation.schema, name: node.relation.identifier };
}

/** The versions of everything this run reads, updated as nodes are built (see src/freshness). */
export interface VersionTracker {
  snapshot: Snapshot;
}

export async function recordResult(
  state: StateStore,
  rc: RunContext,
  trigger: Trigger,
  result: NodeResult,
  versions: VersionTracker,
): Promise<void> {
  const node = rc.manifest.nodes.get(result.uniqueId)!;
  // Before any await: children record after their parents, and must see the parents' new versions.
  // Only a build that committed has a hash to record (a node that failed to compile would fail
  // again): a success, or an error after the commit (a `transaction: false` post-hook failed), whose
  // new data is in the warehouse; recorded as not built, every refresh would build it again.
  const committed = result.status === 'error' && result.error?.data?.committed === true;
  const built = (result.status === 'success' || committed) && result.resourceType !== 'test';
  const sqlHash = built ? (result.sqlHash ?? rc.compiler.sqlHash(node.uniqueId)) : '';
  let upstreamVersions: Record<string, string> = {};
  if (built) {
    upstreamVersions = upstreamVersionsFor(rc.manifest, node.uniqueId, versions.snapshot);
    versions.snapshot = withBuilt(versions.snapshot, node.uniqueId, { builtAt: result.completedAt, sqlHash });
  }
  const durationMs = result.completedAt.getTime() - result.startedAt.getTime();
  const error = result.error
    ? { message: result.error.message, code: (result.error.data?.sqlstate as string) ?? result.error.code }
    : null;
  await state.recordRun({
    invocationId: rc.invocationId,
    uniqueId: result.uniqueId,
    resourceType: result.resourceType,
    kind: result.kind,
    status: result.status,
    trigger,
    startedAt: result.startedAt,
    completedAt: result.completedAt,
    durationMs,
    rowsAffected: result.rowsAffected,
    relation: result.resourceType === 'test' ? null : relationRef(rc, result),
    materialization: result.materialization ?? null,
    sqlHash: result.compiledSql ? sha256(result.compiledSql) : null,
    statements: (result.statements ?? []).map((s) => ({
      sqlHash: sha256(s.sql),
      rows: s.rowCount,
      ms: Math.round(s.ms * 1000) / 1000,
      command: /^\s*(\w+(?:\s+(?:table|view|into|from))?)/i.exec(s.sql)?.[1]?.toUpperCase(),
    })),
    error,
    thread: result.thread ? `Thread-${result.thread}` : null,
    message: result.message,
  });
  if (result.resourceType === 'test') {
    const severity = String(node.config.severity ?? 'error').toLowerCase() === 'warn' ? 'warn' : 'error';
    await state.recordTestResult({
      invocationId: rc.invocationId,
      uniqueId: result.uniqueId,
      attachedNode: node.attachedNode ?? null,
      columnName: node.columnName ?? null,
      // A test never ends 'success' (its statuses are pass/warn/fail/error/skipped).
      status: result.status as 'pass' | 'fail' | 'warn' | 'error' | 'skipped',
      failures: result.failures ?? null,
      severity,
      durationMs,
      message: result.message,
      storeFailures: null,
    });
    return;
  }
  if (built) {
    await state.upsertModelState({
      status: 'success',
      uniqueId: node.uniqueId,
      resourceType: node.resourceType,
      relation: relationRef(rc, result),
      materialization: String(node.config.materialized),
      sqlHash,
      configHash: sha256(JSON.stringify(node.config)),
      builtAt: result.completedAt,
      upstreamVersions,
      rowCount: result.rowsAffected,
      durationMs,
      invocationId: rc.invocationId,
      error: committed ? error : null,
    });
  } else {
    await state.upsertModelState({
      status: result.status === 'skipped' ? 'skipped' : 'error',
      uniqueId: node.uniqueId,
      resourceType: node.resourceType,
      durationMs,
      invocationId: rc.invocationId,
      error,
    });
  }
}
