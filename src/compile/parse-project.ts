/**
 * The parse phase for a whole project: every SQL node rendered with `execute = false`, seeds and
 * YAML tests turned into nodes, then the manifest built (refs resolved, cycles rejected).
 */
import { buildManifest } from '../graph';
import type { Manifest, ParsedNode } from '../graph/types';
import type { SeedFile, SqlNodeFile } from '../project/types';
import type { CompileSession } from './compile-session';
import { collectTestDefinitions, parseGenericTest } from './generic-tests';
import { decideRelation } from './node-relation';
import { displayPath, parseSqlNode } from './parse-node';

function seedNode(cs: CompileSession, file: SeedFile): ParsedNode {
  const node: ParsedNode = {
    uniqueId: `seed.${file.package}.${file.name}`,
    resourceType: 'seed',
    package: file.package,
    name: file.name,
    path: file.path,
    absPath: file.absPath,
    fqn: file.fqn,
    rawCode: '',
    checksum: file.checksum,
    config: file.config,
    description: file.properties?.description ?? '',
    columns: file.properties?.columns ?? [],
    refs: [],
    sources: [],
    macros: [],
    location: { file: displayPath(file, cs.project.name) },
  };
  if (file.config.enabled !== false) node.relation = decideRelation(cs, node);
  return node;
}

/** A node disabled in `dbt_project.yml` or YAML is recorded without rendering its SQL. */
function disabledNode(
  cs: CompileSession,
  file: SqlNodeFile,
  resourceType: ParsedNode['resourceType'],
): ParsedNode {
  return {
    uniqueId: `${resourceType}.${file.package}.${file.name}`,
    resourceType,
    package: file.package,
    name: file.name,
    path: file.path,
    absPath: file.absPath,
    fqn: file.fqn,
    rawCode: file.contents,
    checksum: file.checksum,
    config: file.config,
    description: file.properties?.description ?? '',
    columns: file.properties?.columns ?? [],
    refs: [],
    sources: [],
    macros: [],
    location: { file: displayPath(file, cs.project.name) },
  };
}

/** Every node of the project, parsed (models, analyses, singular tests, seeds, YAML tests). */
export function parseNodes(cs: CompileSession): ParsedNode[] {
  const project = cs.project;
  const nodes: ParsedNode[] = [];
  const groups: [SqlNodeFile[], ParsedNode['resourceType']][] = [
    [project.models, 'model'],
    [project.analyses, 'analysis'],
    [project.singularTests, 'test'],
  ];
  for (const [files, type] of groups) {
    for (const file of files) {
      nodes.push(file.config.enabled === false ? disabledNode(cs, file, type) : parseSqlNode(cs, file, type));
    }
  }
  for (const file of project.seeds) nodes.push(seedNode(cs, file));
  for (const { def, target } of collectTestDefinitions(project))
    nodes.push(parseGenericTest(cs, def, target));
  return nodes;
}

/** The manifest of parsed nodes: refs resolved, the graph checked for cycles. */
export function manifestFromNodes(cs: CompileSession, nodes: ParsedNode[]): Manifest {
  return buildManifest({
    nodes,
    sources: cs.project.sources,
    macros: [...cs.macros.entries()].map((e) => e.info),
    rootPackage: cs.project.name,
  });
}

export function parseProject(cs: CompileSession): Manifest {
  return manifestFromNodes(cs, parseNodes(cs));
}
