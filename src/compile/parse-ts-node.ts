/**
 * The parse phase for a TypeScript model: its module says what it reads and returns, so nothing is
 * rendered. The node is always built as a table (its rows are computed, there is no query to view).
 */
import { MartqlError } from '../errors';
import type { ParsedNode } from '../graph/types';
import { mergeConfigs, normalizeConfig } from '../project/merge-configs';
import type { ColumnProperties, SqlNodeFile } from '../project/types';
import { loadTsModel } from '../tsmodel';
import type { CompileSession } from './compile-session';
import { decideRelation } from './node-relation';
import { nodeFromFile } from './parse-node';

export function parseTsNode(cs: CompileSession, file: SqlNodeFile): ParsedNode {
  const base = nodeFromFile(cs, file, 'model', file.contents);
  const def = loadTsModel(file.absPath, base.location, file.checksum);
  const config = mergeConfigs(file.config, normalizeConfig(def.config ?? {}));
  if (def.config?.materialized !== undefined && def.config.materialized !== 'table') {
    throw new MartqlError(
      'PROJECT_CONFIG',
      `a TypeScript model is built as a table, not as '${String(def.config.materialized)}'`,
      {
        location: base.location,
      },
    );
  }
  config.materialized = 'table';
  const declared: ColumnProperties[] = Object.entries(def.columns).map(([name, type]) => ({
    name,
    description: '',
    dataType: type,
    constraints: [],
    tests: [],
    meta: {},
    tags: [],
    extra: {},
  }));
  const node: ParsedNode = {
    ...base,
    config,
    language: 'typescript',
    // YAML descriptions and tests win; the module's types fill in what YAML leaves out.
    columns: declared.map((col) => {
      const yaml = base.columns.find((c) => c.name === col.name);
      return yaml ? { ...col, ...yaml, dataType: yaml.dataType ?? col.dataType } : col;
    }),
    refs: (def.refs ?? []).map((r) => (Array.isArray(r) ? { package: r[0], name: r[1] } : { name: r })),
    sources: (def.sources ?? []).map(([sourceName, tableName]) => ({ sourceName, tableName })),
  };
  node.relation = decideRelation(cs, node);
  return node;
}
