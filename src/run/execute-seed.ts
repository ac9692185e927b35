/** Loading one seed: its CSV through COPY into the relation `generate_schema_name` chose. */
import type { ManifestNode } from '../graph/types';
import { loadSeed } from '../seed';
import { aroundBuild } from '../materialize';
import { errorResult, nodeHooks, type RunContext } from './run-context';
import type { NodeResult } from './types';

export async function executeSeed(rc: RunContext, node: ManifestNode, thread: number): Promise<NodeResult> {
  const startedAt = new Date();
  const relation = rc.compiler.relationOf(node);
  try {
    await rc.ensureSchema(relation.schema!);
    const preHooks = nodeHooks(rc, node, node.config.pre_hook, 'pre-hook');
    const postHooks = nodeHooks(rc, node, node.config.post_hook, 'post-hook');
    const load = () =>
      loadSeed({
        warehouse: rc.warehouse,
        relation: { schema: relation.schema!, identifier: relation.identifier! },
        path: node.location.file,
        csv: { file: node.absPath },
        columnTypes: node.config.column_types as Record<string, string> | undefined,
        delimiter: node.config.delimiter as string | undefined,
        quoteColumns:
          node.config.quote_columns === undefined ? undefined : Boolean(node.config.quote_columns),
        fullRefresh: rc.fullRefresh,
        preHooks,
        postHooks,
      }).then((loaded) => ({ ...loaded, statements: [] }));
    // `transaction: false` hooks run before the load's transaction opens and after it commits. One
    // load of a seed at a time, across processes too, as for models: two `martql seed` runs would
    // otherwise race on the staging table and the drop-and-rename.
    const loaded = await rc.warehouse.withLock(`build:${relation.render()}`, () =>
      aroundBuild(rc.warehouse, { pre: preHooks, post: postHooks }, load),
    );
    const completedAt = new Date();
    return {
      uniqueId: node.uniqueId,
      resourceType: 'seed',
      name: node.name,
      status: 'success',
      kind: 'seed',
      relation: relation.render(),
      materialization: 'seed',
      rowsAffected: loaded.rows,
      message: `INSERT ${loaded.rows}`,
      startedAt,
      completedAt,
      compileMs: 0,
      executeMs: completedAt.getTime() - startedAt.getTime(),
      thread,
    };
  } catch (err) {
    const result = errorResult(node, err, startedAt, thread);
    result.kind = 'seed';
    result.relation = relation.render();
    return result;
  }
}
