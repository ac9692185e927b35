/** Hand-built parsed nodes and sources for graph tests: no Jinja, just the captured calls. */
import type { NodeConfig, SourceTable } from '../../src/project/types';
import type { ParsedNode, RefCall, SourceCall } from '../../src/graph/types';

export interface NodeSpec {
  name: string;
  package?: string;
  type?: ParsedNode['resourceType'];
  /** `'a'` or `{ name: 'a', package: 'p' }`. */
  refs?: (string | RefCall)[];
  /** `'src.table'`. */
  sources?: string[];
  config?: Partial<NodeConfig>;
  /** Folder below `models/` (for path/fqn), e.g. `staging`. */
  folder?: string;
  rawCode?: string;
  attachedNode?: string;
  testName?: string;
  columnName?: string;
}

export function node(spec: NodeSpec): ParsedNode {
  const pkg = spec.package ?? 'proj';
  const type = spec.type ?? 'model';
  const base = type === 'test' ? 'tests' : type === 'seed' ? 'seeds' : 'models';
  const path = [base, spec.folder, `${spec.name}.${type === 'seed' ? 'csv' : 'sql'}`]
    .filter(Boolean)
    .join('/');
  const refs = (spec.refs ?? []).map((r) => (typeof r === 'string' ? { name: r } : r));
  const sources: SourceCall[] = (spec.sources ?? []).map((s) => {
    const [sourceName, tableName] = s.split('.');
    return { sourceName, tableName };
  });
  const rawCode =
    spec.rawCode ??
    [
      ...refs.map((r) => `select * from {{ ref('${r.name}') }}`),
      ...sources.map((s) => `select * from {{ source('${s.sourceName}', '${s.tableName}') }}`),
    ].join('\n');
  return {
    uniqueId: `${type}.${pkg}.${spec.name}`,
    resourceType: type,
    package: pkg,
    name: spec.name,
    path,
    absPath: `/work/${pkg}/${path}`,
    fqn: [pkg, ...(spec.folder ? spec.folder.split('/') : []), spec.name],
    rawCode,
    checksum: `sum-${spec.name}`,
    config: {
      enabled: true,
      materialized: type === 'test' ? 'test' : type === 'seed' ? 'seed' : 'view',
      tags: [],
      meta: {},
      pre_hook: [],
      post_hook: [],
      ...spec.config,
    },
    description: '',
    columns: [],
    refs,
    sources,
    macros: [],
    attachedNode: spec.attachedNode,
    columnName: spec.columnName,
    testMetadata: spec.testName
      ? { name: spec.testName, kwargs: { column_name: spec.columnName } }
      : undefined,
    location: { file: path },
  };
}

export function source(sourceName: string, name: string, extra: Partial<SourceTable> = {}): SourceTable {
  const pkg = extra.package ?? 'proj';
  return {
    uniqueId: `source.${pkg}.${sourceName}.${name}`,
    package: pkg,
    sourceName,
    name,
    schema: 'raw',
    identifier: name,
    description: '',
    columns: [],
    tests: [],
    meta: {},
    tags: [],
    config: {},
    location: { file: 'models/sources.yml', line: 3 },
    ...extra,
  };
}

export { prng as rng } from '../helpers/prng';

export function ids(set: Iterable<string>): string[] {
  return [...set].sort();
}
