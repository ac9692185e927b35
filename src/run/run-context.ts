/**
 * What every node executor of one invocation shares: the warehouse, the compiler, the manifest and
 * a few per-run caches. One per invocation; executors never keep state of their own.
 */
import { createHash } from 'node:crypto';
import type { CompileSession } from '../compile/compile-session';
import type { NodeCompiler } from '../compile/node-compiler';
import { MartqlError } from '../errors';
import type { Manifest, ManifestNode } from '../graph/types';
import type { BuildHook } from '../materialize';
import { hookInTransaction, hookSql, type HookConfig } from '../project/types';
import type { Warehouse } from '../warehouse';
import type { NodeResult } from './types';

export interface RunContext {
  warehouse: Warehouse;
  session: CompileSession;
  compiler: NodeCompiler;
  manifest: Manifest;
  fullRefresh: boolean;
  invocationId: string;
  /** Creates a schema once per invocation. */
  ensureSchema(schema: string): Promise<void>;
}

export function schemaEnsurer(warehouse: Warehouse): (schema: string) => Promise<void> {
  const done = new Map<string, Promise<void>>();
  return (schema) => {
    let pending = done.get(schema);
    if (!pending) {
      pending = warehouse.createSchema(schema).catch((err) => {
        done.delete(schema);
        throw err;
      });
      done.set(schema, pending);
    }
    return pending;
  };
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The error of a failed node, located in the node's file when it has no location of its own. */
export function nodeError(node: ManifestNode, err: unknown): MartqlError {
  if (err instanceof MartqlError) return err.at(node.location);
  return new MartqlError('INTERNAL', (err as Error)?.message ?? String(err), {
    location: node.location,
    cause: err,
  });
}

/** A result for a node that failed before or while executing. */
export function errorResult(
  node: ManifestNode,
  err: unknown,
  startedAt: Date,
  thread: number,
  compileMs = 0,
): NodeResult {
  const error = nodeError(node, err);
  const completedAt = new Date();
  return {
    uniqueId: node.uniqueId,
    resourceType: node.resourceType,
    name: node.name,
    status: 'error',
    kind: node.resourceType === 'test' ? 'test' : 'full',
    materialization: String(node.config.materialized),
    rowsAffected: null,
    message: error.message,
    error,
    startedAt,
    completedAt,
    compileMs,
    executeMs: completedAt.getTime() - startedAt.getTime() - compileMs,
    thread,
  };
}

/**
 * A node's hooks for its build, each keeping its `transaction` flag, named for errors
 * (`models/x.sql (post-hook 2)`) and rendered (Jinja, with `this` and the node's config) only
 * when it runs, on the session it runs on, as dbt renders a hook when it runs it: a post-hook's
 * `run_query` or `adapter.get_columns_in_relation(this)` sees the relation the build has just made.
 * `is_incremental()` in a hook answers what the build decided when it started.
 */
export function nodeHooks(
  rc: RunContext,
  node: ManifestNode,
  hooks: readonly HookConfig[],
  label: string,
  isIncremental = false,
): BuildHook[] {
  const out: BuildHook[] = [];
  for (const [i, hook] of hooks.entries()) {
    const code = hookSql(hook);
    if (code.trim() === '') continue;
    const name = `${node.location.file} (${label} ${i + 1})`;
    out.push({
      sql: code,
      transaction: hookInTransaction(hook),
      name,
      render: (members) =>
        rc.compiler.compile(node.uniqueId, { source: { code, label: name }, isIncremental, extra: members })
          .sql,
    });
  }
  return out;
}
