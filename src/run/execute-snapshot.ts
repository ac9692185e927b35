/**
 * Running one snapshot: compile its query, then record the new versions in one transaction (its
 * hooks rendered as they run), holding the same build lock a model takes, so two processes never
 * snapshot one table at once and a failure leaves the table as it was.
 */
import type { ManifestNode } from '../graph/types';
import { aroundBuild } from '../materialize';
import { runSnapshot, snapshotSpec } from '../snapshot';
import { errorResult, nodeHooks, sha256, type RunContext } from './run-context';
import type { NodeResult } from './types';

/**
 * dbt's `snapshot_get_time()`: the time stamped on versions and deletions. A project may define
 * the macro (tests do, to control time); otherwise it is the transaction's start, as dbt-postgres
 * gives it.
 */
const SNAPSHOT_TIME =
  '{% if snapshot_get_time is defined %}{{ snapshot_get_time() }}' +
  '{% else %}now()::timestamp without time zone{% endif %}';

export async function executeSnapshot(
  rc: RunContext,
  node: ManifestNode,
  thread: number,
): Promise<NodeResult> {
  const startedAt = new Date();
  const relation = rc.compiler.relationOf(node);
  let compiledSql: string | undefined;
  let compileMs = 0;
  try {
    const spec = snapshotSpec(node.name, node.config, node.location);
    const t0 = performance.now();
    compiledSql = rc.compiler.compile(node.uniqueId).sql;
    const now = rc.compiler
      .compile(node.uniqueId, {
        source: { code: SNAPSHOT_TIME, label: `${node.location.file} (snapshot time)` },
      })
      .sql.trim();
    const preHooks = nodeHooks(rc, node, node.config.pre_hook, 'pre-hook');
    const postHooks = nodeHooks(rc, node, node.config.post_hook, 'post-hook');
    compileMs = performance.now() - t0;
    await rc.ensureSchema(relation.schema!);
    const sql = compiledSql;
    // `transaction: false` hooks run before the transaction opens and after it commits.
    const outcome = await rc.warehouse.withLock(`build:${relation.render()}`, () =>
      aroundBuild(rc.warehouse, { pre: preHooks, post: postHooks }, () =>
        rc.warehouse.transaction((tx) =>
          runSnapshot(tx, {
            name: node.name,
            location: node.location,
            relation: { schema: relation.schema!, identifier: relation.identifier! },
            sql,
            spec,
            now,
            preHooks,
            postHooks,
          }),
        ),
      ),
    );
    const completedAt = new Date();
    const added = outcome.inserted + outcome.deleted;
    return {
      uniqueId: node.uniqueId,
      resourceType: node.resourceType,
      name: node.name,
      status: 'success',
      kind: 'snapshot',
      relation: relation.render(),
      materialization: 'snapshot',
      rowsAffected: added,
      message: outcome.created
        ? `SNAPSHOT created with ${added} rows`
        : `SNAPSHOT ${added} inserted, ${outcome.closed} closed`,
      startedAt,
      completedAt,
      compileMs,
      executeMs: completedAt.getTime() - startedAt.getTime() - compileMs,
      thread,
      compiledSql,
      sqlHash: sha256(compiledSql),
      statements: outcome.statements,
    };
  } catch (err) {
    const result = errorResult(node, err, startedAt, thread, compileMs);
    result.kind = 'snapshot';
    result.compiledSql = compiledSql;
    result.relation = relation.render();
    return result;
  }
}
