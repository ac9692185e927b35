/**
 * Turns read files into node records (name, fqn, default config) before any config is applied.
 *
 * The fqn is dbt's: the package, the folders between the resource path and the file, the name. A
 * snapshot file gives one node per `{% snapshot name %}` block, named by the block, and dbt keeps
 * the file name in its fqn as well (`[pkg, ...folders, file, snapshot]`).
 */
import { sha256 } from './files';
import { defaultConfig } from './merge-configs';
import type { PackageFile } from './package-files';
import { snapshotBlocks } from './snapshot-blocks';
import type { NodeResourceType, ProjectFile, SeedFile, SqlNodeFile } from './types';

export function toProjectFile(file: PackageFile): ProjectFile {
  return {
    package: file.package,
    path: file.path,
    absPath: file.absPath,
    contents: file.contents,
    checksum: file.checksum,
  };
}

export function sqlNode(
  file: PackageFile,
  resourceType: Exclude<NodeResourceType, 'seed' | 'snapshot'>,
): SqlNodeFile {
  const { folders, stem } = file.listed;
  return {
    ...toProjectFile(file),
    resourceType,
    name: stem,
    fqn: [file.package, ...folders, stem],
    config: defaultConfig(resourceType === 'test' ? 'test' : resourceType),
  };
}

/**
 * One node per snapshot block of a file. `contents` is the block's body padded to its place in the
 * file (see snapshot-blocks.ts) and `checksum` is the body's, so editing one block of a file
 * changes only that snapshot. A file without blocks is noted, since it defines nothing.
 */
export function snapshotNodes(file: PackageFile, shownPath: string, notes: string[]): SqlNodeFile[] {
  const { folders, stem } = file.listed;
  const blocks = snapshotBlocks(file.contents, shownPath);
  if (blocks.length === 0) notes.push(`${shownPath}: no {% snapshot %} block; the file defines nothing`);
  const names = blocks.map((b) => b.name);
  return blocks.map((block) => ({
    ...toProjectFile(file),
    contents: block.paddedBody,
    checksum: sha256(block.body),
    resourceType: 'snapshot',
    name: block.name,
    snapshotNames: names,
    fqn: [file.package, ...folders, stem, block.name],
    config: defaultConfig('snapshot'),
  }));
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
