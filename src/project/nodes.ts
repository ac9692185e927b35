/**
 * Turns read files into node records (name, fqn, default config) before any config is applied.
 *
 * The fqn is dbt's: the package, the folders between the resource path and the file, the name. A
 * snapshot file is named by its `{% snapshot name %}` block, and dbt keeps the file name in its fqn
 * as well (`[pkg, ...folders, file, snapshot]`).
 */
import { defaultConfig } from './merge-configs';
import type { PackageFile } from './package-files';
import type { NodeResourceType, ProjectFile, SeedFile, SqlNodeFile } from './types';

const SNAPSHOT_BLOCK = /\{%-?\s*snapshot\s+([A-Za-z_][A-Za-z0-9_]*)\s*-?%\}/g;

export function toProjectFile(file: PackageFile): ProjectFile {
  return {
    package: file.package,
    path: file.path,
    absPath: file.absPath,
    contents: file.contents,
    checksum: file.checksum,
  };
}

export function sqlNode(file: PackageFile, resourceType: Exclude<NodeResourceType, 'seed'>): SqlNodeFile {
  const { folders, stem } = file.listed;
  const node: SqlNodeFile = {
    ...toProjectFile(file),
    resourceType,
    name: stem,
    fqn: [file.package, ...folders, stem],
    config: defaultConfig(resourceType === 'test' ? 'test' : resourceType),
  };
  if (resourceType === 'snapshot') {
    const names = [...file.contents.matchAll(SNAPSHOT_BLOCK)].map((m) => m[1]);
    node.snapshotNames = names;
    if (names.length > 0) {
      node.name = names[0];
      node.fqn = [file.package, ...folders, stem, names[0]];
    }
  }
  return node;
}

export function seedNode(file: PackageFile): SeedFile {
  const { folders, stem } = file.listed;
  return {
    ...toProjectFile(file),
    resourceType: 'seed',
    name: stem,
    fqn: [file.package, ...folders, stem],
    config: defaultConfig('seed'),
  };
}
