/**
 * Generic data tests declared in YAML (`not_null`, `relationships`, custom `{% test %}` blocks)
 * become test nodes: named as dbt names them, depending on the node they test and on any relation
 * their arguments reference, with the test macro called at compile time.
 */
import * as path from 'node:path';
import { MartqlError } from '../errors';
import type { ParsedNode, RefCall, SourceCall } from '../graph/types';
import { createNodeContext, type NodeBindings } from '../jinja/context/node-context';
import { Relation } from '../jinja/context/relation';
import { resolveTreeConfig } from '../project';
import { hashHex } from '../project/files';
import { mergeConfigs } from '../project/merge-configs';
import type { NodeConfig, Project, TestDefinition } from '../project/types';
import type { CompileSession } from './compile-session';
import { evaluateTestArguments, isJinjaArgument, needsContext } from './test-arguments';
import { parseRefArgs } from '../jinja/context/node-context';
import { pyStr } from '../jinja/engine';

/** What a test is attached to: a model/seed/snapshot, or a source table. */
export interface TestTarget {
  uniqueId: string;
  package: string;
  /** The name used in the test's name: the model name, or `<source>_<table>`. */
  nameInTest: string;
  /** How the test's `model` argument refers to the target. */
  call: { kind: 'ref'; ref: RefCall } | { kind: 'source'; source: SourceCall };
}

/** Every YAML test in the project with what it is attached to. */
export function collectTestDefinitions(project: Project): { def: TestDefinition; target: TestTarget }[] {
  const out: { def: TestDefinition; target: TestTarget }[] = [];
  const nodes: [
    {
      package: string;
      name: string;
      config: { enabled: boolean };
      properties?: { tests: TestDefinition[]; columns: { tests: TestDefinition[] }[] };
    },
    string,
  ][] = [
    ...project.models.map((f) => [f, 'model'] as [typeof f, string]),
    ...project.seeds.map((f) => [f, 'seed'] as [typeof f, string]),
    ...project.snapshots.map((f) => [f, 'snapshot'] as [typeof f, string]),
  ];
  for (const [file, resourceType] of nodes) {
    if (!file.properties || file.config.enabled === false) continue;
    const target: TestTarget = {
      uniqueId: `${resourceType}.${file.package}.${file.name}`,
      package: file.package,
      nameInTest: file.name,
      call: { kind: 'ref', ref: { name: file.name, package: file.package } },
    };
    for (const def of file.properties.tests) out.push({ def, target });
    for (const column of file.properties.columns) for (const def of column.tests) out.push({ def, target });
  }
  for (const source of project.sources) {
    if (source.config.enabled === false) continue;
    const target: TestTarget = {
      uniqueId: source.uniqueId,
      package: source.package,
      nameInTest: `${source.sourceName}_${source.name}`,
      call: { kind: 'source', source: { sourceName: source.sourceName, tableName: source.name } },
    };
    for (const def of source.tests) out.push({ def, target });
    for (const column of source.columns) for (const def of column.tests) out.push({ def, target });
  }
  return out;
}

/** An argument's parts as dbt flattens them for names: a list's items, a dict's values. */
function flattenForName(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(pyStr);
  if (value && typeof value === 'object') return Object.values(value).map(pyStr);
  return [pyStr(value)];
}

/** The test's own name without its package: `is_positive` for `toolkit_pkg.is_positive`. */
export function bareTestName(def: TestDefinition): string {
  return def.testName.slice(def.testName.lastIndexOf('.') + 1);
}

/**
 * dbt's naming: `<test type>_<target>_<argument values>`, the values (sorted by argument name,
 * `column_name` included) cleaned and joined by `__`; the test type carries the package namespace
 * and, for sources, `source_` (`dbt_utils_source_expression_is_true_raw_orders_...`). A name of 64
 * characters or more gets a short alias, used for `store_failures` tables: its first 30 identifying
 * characters and the md5 of the full name.
 */
export function genericTestName(def: TestDefinition, target: TestTarget): { name: string; alias: string } {
  return testNameOf(def, target, testArguments(def));
}

/** The arguments a test macro receives besides `model`: the YAML arguments and `column_name`. */
function testArguments(def: TestDefinition): Record<string, unknown> {
  return def.columnName ? { ...def.args, column_name: def.columnName } : { ...def.args };
}

/** Characters a test name cannot hold; each run of them becomes one `_`. */
const NAME_UNSAFE = /[^0-9a-zA-Z_]/;
const NAME_UNSAFE_RUNS = /[^0-9a-zA-Z_]+/g;

function testNameOf(
  def: TestDefinition,
  target: TestTarget,
  args: Record<string, unknown>,
): { name: string; alias: string } {
  const testType = `${def.namespace ? `${def.namespace}_` : ''}${target.call.kind === 'source' ? 'source_' : ''}${bareTestName(def)}`;
  // A loop rather than a filter/flatMap/map chain: this runs for every test of a large project.
  const parts: string[] = [];
  for (const key of Object.keys(args).sort()) {
    if (key === 'model') continue;
    for (const value of flattenForName(args[key]))
      parts.push(NAME_UNSAFE.test(value) ? value.replace(NAME_UNSAFE_RUNS, '_') : value);
  }
  const unique = parts.join('__');
  const identifier = `${testType}_${target.nameInTest}`;
  const full = `${identifier}_${unique}`;
  const short = full.length >= 64 ? `${identifier.slice(0, 30)}_${hashHex('md5', full)}` : full;
  return { name: def.name ?? full, alias: def.name ?? short };
}

function modelExpression(target: TestTarget): string {
  return target.call.kind === 'ref'
    ? `ref('${target.call.ref.package}', '${target.call.ref.name}')`
    : `source('${target.call.source.sourceName}', '${target.call.source.tableName}')`;
}

/** The test node for one YAML test, with the refs its arguments make (rendered with execute = false). */
export function parseGenericTest(cs: CompileSession, def: TestDefinition, target: TestTarget): ParsedNode {
  const args = testArguments(def);
  const { name, alias } = testNameOf(def, target, args);
  const checksum = hashHex('sha256', JSON.stringify([name, args, def.config]));
  const file = def.location.file;
  const fqn = [target.package, ...yamlFolders(file), name];
  // resolveTreeConfig starts from the test defaults already, and mergeConfigs normalizes the
  // layer it applies: one merge gives what defaults + tree + normalized YAML config gave.
  const treeConfig = resolveTreeConfig(cs.project, 'data_tests', target.package, fqn);
  const config: NodeConfig = mergeConfigs(treeConfig, def.config);
  if (alias !== name && config.alias === undefined) config.alias = alias;
  const refs: RefCall[] = target.call.kind === 'ref' ? [target.call.ref] : [];
  const sources: SourceCall[] = target.call.kind === 'source' ? [target.call.source] : [];

  // Most tests (unique, not_null, accepted_values) have no Jinja arguments: nothing to evaluate.
  if (Object.values(def.args).some(hasJinja)) evaluateRefs(cs, def, name, target, config, refs, sources);
  return {
    uniqueId: `test.${target.package}.${name}.${checksum.slice(0, 10)}`,
    resourceType: 'test',
    package: target.package,
    name,
    path: file,
    absPath: file,
    fqn,
    rawCode: `{{ ${def.namespace ? `${def.namespace}.` : ''}test_${bareTestName(def)}(**_dbt_generic_test_kwargs) }}`,
    checksum,
    config,
    description: def.description ?? '',
    columns: [],
    refs,
    sources,
    macros: [],
    attachedNode: target.uniqueId,
    columnName: def.columnName,
    testMetadata: {
      name: bareTestName(def),
      namespace: def.namespace,
      kwargs: { ...args, model: `{{ get_where_subquery(${modelExpression(target)}) }}` },
    },
    location: def.location,
  };
}

/** The folders of a YAML file below its resource folder, per file: a file declares many tests. */
const foldersByFile = new Map<string, string[]>();

function yamlFolders(file: string): string[] {
  let folders = foldersByFile.get(file);
  if (!folders) {
    folders = path.posix.dirname(file).split('/').slice(1);
    foldersByFile.set(file, folders);
  }
  return folders;
}

/** Whether a test argument (or anything inside it) is Jinja that evaluateTestArguments evaluates. */
function hasJinja(value: unknown): boolean {
  if (isJinjaArgument(value)) return true;
  if (Array.isArray(value)) return value.some(hasJinja);
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype)
    return Object.values(value).some(hasJinja);
  return false;
}

/** Evaluates a test's Jinja arguments with execute = false, recording the refs and sources they make. */
function evaluateRefs(
  cs: CompileSession,
  def: TestDefinition,
  name: string,
  target: TestTarget,
  config: NodeConfig,
  refs: RefCall[],
  sources: SourceCall[],
): void {
  const file = def.location.file;
  const bindings: NodeBindings = {
    package: target.package,
    path: file,
    execute: false,
    ref: (call) => {
      refs.push(call);
      return new Relation({ schema: cs.target.schema, identifier: call.name });
    },
    source: (sourceName, tableName) => {
      sources.push({ sourceName, tableName });
      return new Relation({ schema: sourceName, identifier: tableName });
    },
    config: { set: () => undefined, get: (key) => config[key] },
    model: {},
    isIncremental: () => false,
  };
  try {
    // Most arguments are literals or a plain ref()/source(): those need no render context at all.
    if (needsContext(def.args)) {
      const { context, scope } = createNodeContext(cs.settings, bindings);
      scope.run(() => evaluateTestArguments(cs.engine, context, def.args));
    } else {
      evaluateTestArguments(
        cs.engine,
        { ref: (...a: unknown[]) => bindings.ref(parseRefArgs(a)), source: bindings.source },
        def.args,
      );
    }
  } catch (err) {
    if (err instanceof MartqlError) throw err.at(def.location);
    throw new MartqlError('JINJA_RENDER', `test '${name}': ${(err as Error).message}`, {
      location: def.location,
    });
  }
}
