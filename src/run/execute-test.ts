/**
 * Running one data test: compile it, count its failing rows with `warn_if`/`error_if`, and with
 * `store_failures` keep the failing rows in a table named for the test.
 */
import type { ManifestNode } from '../graph/types';
import { qualify, quoteIdent } from '../warehouse';
import { errorResult, type RunContext } from './run-context';
import { auditSchema, testStatus, testVerdictSql, type TestVerdictRow } from './test-query';
import type { NodeResult } from './types';

/** Postgres truncates identifiers at 63 bytes; a stored-failures table must keep a stable name. */
function auditTableName(name: string): string {
  return name.length <= 63 ? name : name.slice(0, 63);
}

export async function executeTest(rc: RunContext, node: ManifestNode, thread: number): Promise<NodeResult> {
  const startedAt = new Date();
  let compileMs = 0;
  let compiledSql: string | undefined;
  try {
    const t0 = performance.now();
    const compiled = rc.compiler.compile(node.uniqueId);
    compiledSql = compiled.sql;
    // The config after the render: a `config(...)` call in the test macro's body counts.
    const config = compiled.config;
    compileMs = performance.now() - t0;
    const verdict = await rc.warehouse.query<TestVerdictRow>(testVerdictSql(compiledSql, config));
    const row = verdict.rows[0] ?? { failures: 0, should_warn: false, should_error: false };
    const failures = Number(row.failures);
    const status = testStatus({ ...row, failures }, config);
    let stored: string | undefined;
    if (config.store_failures) {
      const schema = auditSchema(rc.session.target.schema, config);
      const table = auditTableName(String(config.alias ?? node.name));
      await rc.ensureSchema(schema);
      await rc.warehouse.transaction(async (tx) => {
        await tx.query(`drop table if exists ${qualify(schema, table)}`);
        await tx.query(`create table ${qualify(schema, table)} as ${compiledSql}`);
      });
      stored = `${quoteIdent(schema)}.${quoteIdent(table)}`;
    }
    const completedAt = new Date();
    return {
      uniqueId: node.uniqueId,
      resourceType: 'test',
      name: node.name,
      status,
      kind: 'test',
      relation: stored,
      materialization: 'test',
      rowsAffected: null,
      failures,
      message:
        status === 'pass'
          ? 'PASS'
          : `Got ${failures} result${failures === 1 ? '' : 's'}, configured to ${status === 'warn' ? 'warn' : 'fail'} if ${String(config[status === 'warn' ? 'warn_if' : 'error_if'] ?? '!= 0')}`,
      startedAt,
      completedAt,
      compileMs,
      executeMs: completedAt.getTime() - startedAt.getTime() - compileMs,
      thread,
      compiledSql,
    };
  } catch (err) {
    const result = errorResult(node, err, startedAt, thread, compileMs);
    result.compiledSql = compiledSql;
    return result;
  }
}
