/**
 * Turns the many spellings of a generic data test in YAML into one `TestDefinition`.
 *
 * dbt accepts, under `data_tests:` (or the older `tests:`) of a model, column, source or table:
 *   - not_null                                     a bare name
 *   - accepted_values: {values: [...], config: {severity: warn}}
 *   - relationships: {to: "ref('x')", field: id, severity: warn}   config keys at the top (pre-1.9)
 *   - unique: {arguments: {...}, config: {...}}    the 1.9+/1.10 form
 *   - dbt_utils.expression_is_true: {...}          a package namespace
 *   - {test_name: accepted_values, name: my_name, values: [...]}   an explicit test name
 * All of them normalize to: test name (and namespace), arguments, config, optional name, location.
 */
import type { TestDefinition } from './types';
import { isMapping, type LocatedYaml } from './yaml-file';

/** Config keys that dbt lifts out of a test's arguments when written beside them. */
const TEST_CONFIG_KEYS = new Set([
  'severity',
  'where',
  'limit',
  'warn_if',
  'error_if',
  'fail_calc',
  'store_failures',
  'store_failures_as',
  'enabled',
  'tags',
  'meta',
  'alias',
  'schema',
  'database',
  'group',
]);

/** Reads the `data_tests`/`tests` list of `owner` (a model, column, source or table mapping). */
export function parseTestList(
  owner: Record<string, unknown>,
  yaml: LocatedYaml,
  columnName?: string,
): TestDefinition[] {
  const hasData = owner.data_tests !== undefined && owner.data_tests !== null;
  const hasLegacy = owner.tests !== undefined && owner.tests !== null;
  if (hasData && hasLegacy) {
    throw yaml.schemaError(
      'both `data_tests` and `tests` are set; keep one (`tests` is the older name)',
      yaml.atKey(owner, 'tests'),
    );
  }
  const key = hasLegacy ? 'tests' : 'data_tests';
  const list = owner[key];
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) {
    throw yaml.schemaError(`\`${key}\` must be a list of tests`, yaml.atKey(owner, key));
  }
  return list.map((entry, i) => parseTest(entry, yaml, yaml.atItem(list, i), columnName));
}

function parseTest(
  entry: unknown,
  yaml: LocatedYaml,
  location: TestDefinition['location'],
  columnName: string | undefined,
): TestDefinition {
  const shapeError = () =>
    yaml.schemaError(
      'a test must be a name (`- not_null`) or a mapping with one key (`- accepted_values: {values: [...]}`)',
      location,
      'to give a test a custom name, use `- name: my_test` with `test_name: <generic test>`',
    );
  if (typeof entry === 'string') return build(entry, {}, location, columnName);
  if (!isMapping(entry)) throw shapeError();

  if ('test_name' in entry) {
    const { test_name: testName, ...body } = entry;
    if (typeof testName !== 'string') {
      throw yaml.schemaError(
        '`test_name` must be the name of a generic test',
        yaml.atKey(entry, 'test_name'),
      );
    }
    return build(testName, checkBody(body, yaml, entry), location, columnName);
  }
  const keys = Object.keys(entry);
  if (keys.length !== 1) throw shapeError();
  const body = entry[keys[0]];
  if (body !== null && !isMapping(body)) {
    throw yaml.schemaError(
      `the arguments of test \`${keys[0]}\` must be a mapping (\`${keys[0]}: {arg: value}\`)`,
      location,
    );
  }
  return build(keys[0], checkBody(body ?? {}, yaml, body ?? entry), location, columnName);
}

function checkBody(
  body: Record<string, unknown>,
  yaml: LocatedYaml,
  positions: Record<string, unknown>,
): Record<string, unknown> {
  for (const key of ['config', 'arguments']) {
    const value = body[key];
    if (value !== undefined && value !== null && !isMapping(value)) {
      throw yaml.schemaError(`a test's \`${key}\` must be a mapping`, yaml.atKey(positions, key));
    }
  }
  return body;
}

function build(
  testName: string,
  body: Record<string, unknown>,
  location: TestDefinition['location'],
  columnName: string | undefined,
): TestDefinition {
  const args: Record<string, unknown> = {};
  const lifted: Record<string, unknown> = {};
  let name: string | undefined;
  let description: string | undefined;
  for (const [key, value] of Object.entries(body)) {
    if (key === 'config' || key === 'arguments') continue;
    if (key === 'name' && typeof value === 'string') name = value;
    else if (key === 'description' && typeof value === 'string') description = value;
    else if (TEST_CONFIG_KEYS.has(key)) lifted[key] = value;
    else args[key] = value;
  }
  Object.assign(args, (body.arguments as Record<string, unknown> | undefined | null) ?? {});
  const config = { ...lifted, ...((body.config as Record<string, unknown> | undefined | null) ?? {}) };
  const dot = testName.indexOf('.');
  const test: TestDefinition = {
    testName,
    namespace: dot > 0 ? testName.slice(0, dot) : undefined,
    args,
    config,
    location,
  };
  if (name !== undefined) test.name = name;
  if (description !== undefined) test.description = description;
  if (columnName !== undefined) test.columnName = columnName;
  return test;
}
