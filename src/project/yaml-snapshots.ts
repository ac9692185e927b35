/**
 * Snapshots declared in YAML (dbt 1.9): a `snapshots:` entry with a `relation:` is a snapshot of
 * that relation, configured by the entry's `config:`, with no SQL file.
 *
 *   snapshots:
 *     - name: orders_snapshot
 *       relation: source('shop', 'orders')
 *       config: {unique_key: id, strategy: timestamp, updated_at: updated_at}
 *
 * Each becomes a snapshot node whose code is `select * from {{ <relation> }}`, placed on the line
 * of its entry so that an error in the relation (an unknown ref) points at the YAML that wrote it.
 * An entry without `relation:` only describes a snapshot defined in SQL, as before dbt 1.9.
 */
import { sha256 } from './files';
import { defaultConfig } from './merge-configs';
import type { PackageFile } from './package-files';
import type { PropertyFile } from './properties';
import type { SqlNodeFile } from './types';

const RELATION = /^\s*(ref|source)\s*\([^]*\)\s*$/;

/** The snapshot nodes declared by one property file (`file` is the file `parsed` was read from). */
export function yamlSnapshots(file: PackageFile, parsed: PropertyFile): SqlNodeFile[] {
  const out: SqlNodeFile[] = [];
  for (const props of parsed.nodes.snapshots) {
    const relation = props.extra.relation;
    if (relation === undefined || relation === null) continue;
    if (typeof relation !== 'string' || !RELATION.test(relation)) {
      throw parsed.yaml.schemaError(
        `snapshot ${props.name}: \`relation\` must be ref('model') or source('source', 'table')`,
        props.location,
      );
    }
    const line = props.location.line ?? 1;
    out.push({
      package: file.package,
      path: file.path,
      absPath: file.absPath,
      contents: `${'\n'.repeat(line - 1)}select * from {{ ${relation.trim()} }}`,
      checksum: sha256(JSON.stringify({ relation, config: props.config })),
      resourceType: 'snapshot',
      name: props.name,
      fqn: [file.package, ...file.listed.folders, props.name],
      config: defaultConfig('snapshot'),
    });
  }
  return out;
}
