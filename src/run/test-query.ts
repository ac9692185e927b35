/**
 * How a data test's SQL becomes a verdict, as in dbt: the test selects failing rows; MartQL counts
 * them with `fail_calc` (default `count(*)`) and compares the count with `warn_if` / `error_if`
 * (default `!= 0`). `severity: warn` turns what would be an error into a warning.
 */
import { MartqlError } from '../errors';
import type { NodeConfig } from '../project/types';

export type TestStatus = 'pass' | 'warn' | 'fail';

export interface TestVerdictRow {
  failures: number;
  should_warn: boolean;
  should_error: boolean;
}

/** A comparison such as `!= 0`, `>10` or `>= 5`; anything else would be SQL injected into the query. */
const CONDITION = /^\s*(=|==|!=|<>|<=|>=|<|>)\s*-?\d+(\.\d+)?\s*$/;

function condition(config: NodeConfig, key: 'warn_if' | 'error_if'): string {
  const value = String(config[key] ?? '!= 0');
  if (!CONDITION.test(value)) {
    throw new MartqlError(
      'PROJECT_CONFIG',
      `test config ${key} must be a comparison like '!= 0' or '>10', not '${value}'`,
    );
  }
  return value.replace('==', '=');
}

/** The query that returns one row: failures, should_warn, should_error. */
export function testVerdictSql(testSql: string, config: NodeConfig): string {
  const failCalc = String(config.fail_calc ?? 'count(*)');
  const limit =
    config.limit === undefined || config.limit === null ? '' : `\n  limit ${Number(config.limit)}`;
  return [
    'select',
    `  ${failCalc} as failures,`,
    `  (${failCalc}) ${condition(config, 'warn_if')} as should_warn,`,
    `  (${failCalc}) ${condition(config, 'error_if')} as should_error`,
    'from (',
    `${testSql.trim()}${limit}`,
    ') dbt_internal_test',
  ].join('\n');
}

export function testStatus(row: TestVerdictRow, config: NodeConfig): TestStatus {
  const severity = String(config.severity ?? 'error').toLowerCase();
  if (severity === 'error' && row.should_error) return 'fail';
  // With severity warn, error_if is not consulted at all (dbt's rule).
  if (row.should_warn) return 'warn';
  return 'pass';
}

/** The schema `store_failures` writes to: `<target schema>_dbt_test__audit` unless the test sets `schema`. */
export function auditSchema(targetSchema: string, config: NodeConfig): string {
  return config.schema ? `${targetSchema}_${String(config.schema)}` : `${targetSchema}_dbt_test__audit`;
}
