/**
 * Building one model: hand its compiled SQL and its hooks (rendered as they run) to its
 * materialization, and report what happened. The materialization decides full vs incremental and
 * keeps the build atomic.
 */
import type { ManifestNode } from '../graph/types';
import type { Relation } from '../jinja/context/relation';
import { materializationFor } from '../materialize';
import { errorResult, nodeHooks, sha256, type RunContext } from './run-context';
import type { NodeResult, RunKind } from './types';

export async function executeModel(rc: RunContext, node: ManifestNode, thread: number): Promise<NodeResult> {
  const startedAt = new Date();
  const relation = rc.compiler.relationOf(node);
  const materialized = String(node.config.materialized);
  let compiledSql: string | undefined;
  let compileMs = 0;
  try {
    if (materialized === 'ephemeral') {
      const t0 = performance.now();
      compiledSql = rc.compiler.compile(node.uniqueId).sql;
      compileMs = performance.now() - t0;
      return finished(node, startedAt, thread, {
        kind: 'noop',
        rowsAffected: null,
        message: 'ephemeral: inlined into its consumers',
        compiledSql,
        compileMs,
        relation: undefined,
      });
    }
    // What `is_incremental()` answers in the hooks: the build's own decision, taken as it starts.
    const incremental = materialized === 'incremental' && (await willBuildIncrementally(rc, node, relation));
    const preHooks = nodeHooks(rc, node, node.config.pre_hook, 'pre-hook', incremental);
    const postHooks = nodeHooks(rc, node, node.config.post_hook, 'post-hook', incremental);
    // A `{% materialization %}` block of the project, or a built-in.
    const materialization = materializationFor(materialized, { macros: rc.session.macros, model: node.name });
    await rc.ensureSchema(relation.schema!);
    // One build of a model at a time, across processes too (an advisory lock on Postgres): two
    // replicas refreshing the same model would otherwise race on its intermediate relations.
    const result = await rc.warehouse.withLock(`build:${relation.render()}`, () =>
      materialization.run({
        warehouse: rc.warehouse,
        relation: { schema: relation.schema!, identifier: relation.identifier! },
        config: node.config,
        compile: (options) => {
          const c0 = performance.now();
          compiledSql = rc.compiler.compile(node.uniqueId, options).sql;
          compileMs += performance.now() - c0;
          return compiledSql;
        },
        fullRefresh: rc.fullRefresh,
        columns: node.columns,
        preHooks,
        postHooks,
        renderer: {
          model: node.name,
          isIncremental: incremental,
          render: (code, label, extra) =>
            rc.compiler.compile(node.uniqueId, { source: { code, label }, extra, isIncremental: incremental })
              .sql,
        },
      }),
    );
    const rows = result.rowsAffected;
    return finished(node, startedAt, thread, {
      // An incremental run compiled the incremental variant; freshness compares the full build's SQL.
      sqlHash:
        incremental || compiledSql === undefined ? rc.compiler.sqlHash(node.uniqueId) : sha256(compiledSql),
      statements: result.statements,
      kind: result.kind as RunKind,
      rowsAffected: rows,
      message: `${result.kind.toUpperCase()}${rows === null ? '' : ` ${rows}`}`,
      compiledSql,
      compileMs,
      relation: relation.render(),
    });
  } catch (err) {
    const result = errorResult(node, err, startedAt, thread, compileMs);
    result.compiledSql = compiledSql;
    result.relation = relation.render();
    return result;
  }
}

/** dbt's `is_incremental()`: the table exists, and neither the flag nor the config asks for a full refresh. */
async function willBuildIncrementally(
  rc: RunContext,
  node: ManifestNode,
  relation: Relation,
): Promise<boolean> {
  const fullRefresh =
    typeof node.config.full_refresh === 'boolean' ? node.config.full_refresh : rc.fullRefresh;
  if (fullRefresh) return false;
  const existing = await rc.warehouse.getRelation(relation.schema!, relation.identifier!);
  return existing !== null && (existing.type === 'table' || existing.type === 'partitioned_table');
}

function finished(
  node: ManifestNode,
  startedAt: Date,
  thread: number,
  r: {
    sqlHash?: string;
    statements?: NodeResult['statements'];
    kind: RunKind;
    rowsAffected: number | null;
    message: string;
    compiledSql?: string;
    compileMs: number;
    relation?: string;
  },
): NodeResult {
  const completedAt = new Date();
  return {
    uniqueId: node.uniqueId,
    resourceType: node.resourceType,
    name: node.name,
    status: 'success',
    kind: r.kind,
    relation: r.relation,
    materialization: String(node.config.materialized),
    rowsAffected: r.rowsAffected,
    message: r.message,
    startedAt,
    completedAt,
    compileMs: r.compileMs,
    executeMs: completedAt.getTime() - startedAt.getTime() - r.compileMs,
    thread,
    compiledSql: r.compiledSql,
    sqlHash: r.sqlHash,
    statements: r.statements,
  };
}
