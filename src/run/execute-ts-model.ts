/**
 * Building a TypeScript model: run its `run()` with a context (ref, source, query, var), stage the
 * rows it returns with COPY, and hand the staged rows to the `table` materialization, so the swap is
 * as atomic as any table build and dependent views keep working. The staging table is dropped
 * whatever happens.
 */
import type { ManifestNode } from '../graph/types';
import { materializationFor } from '../materialize';
import { fitIdentifier } from '../materialize/names';
import { resolveVar } from '../project';
import { loadTsModel, rowsAsCsv, type TsModelContext } from '../tsmodel';
import { qualify, quoteIdent } from '../warehouse';
import { errorResult, nodeHooks, type RunContext } from './run-context';
import type { NodeResult } from './types';

export async function executeTsModel(
  rc: RunContext,
  node: ManifestNode,
  thread: number,
): Promise<NodeResult> {
  const startedAt = new Date();
  const relation = rc.compiler.relationOf(node);
  const schema = relation.schema!;
  const identifier = relation.identifier!;
  const staging = fitIdentifier(`${identifier}__martql_rows`);
  let compileMs = 0;
  try {
    const def = loadTsModel(node.absPath, node.location, node.checksum);
    const columns = Object.keys(def.columns);
    const ctx: TsModelContext = {
      ref: (name, packageName) => rc.compiler.refRelation(node, { name, package: packageName }).render(),
      source: (sourceName, tableName) => rc.compiler.sourceRelationFor(node, sourceName, tableName).render(),
      query: async (sql, params) => (await rc.warehouse.query(sql, params)).rows as never,
      var: (name, fallback) => {
        const found = resolveVar(rc.session.project, node.package, name);
        return found.found ? found.value : fallback;
      },
      this: relation.render(),
      target: rc.session.target,
      config: node.config,
      log: (message) => rc.session.settings.log?.(message),
    };
    const t0 = performance.now();
    const rows = await def.run(ctx);
    compileMs = performance.now() - t0;
    if (!Array.isArray(rows)) throw new TypeError('run() must return an array of rows');

    await rc.ensureSchema(schema);
    const stagingSql = qualify(schema, staging);
    const columnDefs = columns.map((c) => `${quoteIdent(c)} ${def.columns[c]}`).join(', ');
    await rc.warehouse.query(`drop table if exists ${stagingSql}`);
    await rc.warehouse.query(`create table ${stagingSql} (${columnDefs})`);
    try {
      await rc.warehouse.copyFrom({ schema, name: staging }, columns, rowsAsCsv(rows, columns));
      const result = await rc.warehouse.withLock(`build:${relation.render()}`, () =>
        materializationFor('table').run({
          warehouse: rc.warehouse,
          relation: { schema, identifier },
          config: node.config,
          compile: () => `select ${columns.map(quoteIdent).join(', ')} from ${stagingSql}`,
          fullRefresh: rc.fullRefresh,
          columns: node.columns,
          preHooks: nodeHooks(rc, node, node.config.pre_hook, 'pre-hook'),
          postHooks: nodeHooks(rc, node, node.config.post_hook, 'post-hook'),
        }),
      );
      const completedAt = new Date();
      return {
        uniqueId: node.uniqueId,
        resourceType: 'model',
        name: node.name,
        status: 'success',
        kind: 'table',
        relation: relation.render(),
        materialization: 'table',
        rowsAffected: rows.length,
        message: `TABLE ${rows.length}`,
        startedAt,
        completedAt,
        compileMs,
        executeMs: completedAt.getTime() - startedAt.getTime() - compileMs,
        thread,
        statements: result.statements,
      };
    } finally {
      await rc.warehouse.query(`drop table if exists ${stagingSql}`);
    }
  } catch (err) {
    const result = errorResult(node, err, startedAt, thread, compileMs);
    result.relation = relation.render();
    return result;
  }
}
