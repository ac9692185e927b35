/**
 * The parse phase for a whole project: every SQL node rendered with `execute = false`, seeds and
 * YAML tests turned into nodes, then the manifest built (refs resolved, cycles rejected).
 */
import { buildManifest } from '../graph';
import type { Manifest, ParsedNode } from '../graph/types';
import type { SeedFile, SqlNodeFile } from '../project/types';
import { snapshotSpec } from '../snapshot/config';
import type { CompileSession } from './compile-session';
import { collectTestDefinitions, parseGenericTest } from './generic-tests';
import { decideRelation } from './node-relation';
import { nodeFromFile, parseSqlNode } from './parse-node';
import { parseTsNode } from './parse-ts-node';

function seedNode(cs: CompileSession, file: SeedFile): ParsedNode {
  const node = nodeFromFile(cs, file, 'seed', '');
  if (file.config.enabled !== false) node.relation = decideRelation(cs, node);
  return node;
}

/** Every node of the project, parsed (models, analyses, singular tests, snapshots, seeds, YAML tests). */
export function parseNodes(cs: CompileSession): ParsedNode[] {
  const project = cs.project;
  const nodes: ParsedNode[] = [];
  const groups: [SqlNodeFile[], ParsedNode['resourceType']][] = [
    [project.models, 'model'],
    [project.analyses, 'analysis'],
    [project.singularTests, 'test'],
    [project.snapshots, 'snapshot'],
  ];
  for (const [files, type] of groups) {
    for (const file of files) {
      if (file.config.enabled !== false && type === 'model' && file.path.endsWith('.ts')) {
        nodes.push(parseTsNode(cs, file));
        continue;
      }
      // A node disabled in dbt_project.yml or YAML is recorded without rendering its SQL.
      if (file.config.enabled === false) {
        nodes.push(nodeFromFile(cs, file, type, file.contents));
        continue;
      }
      const node = parseSqlNode(cs, file, type);
      // A snapshot's config is complete once its `config()` call ran: check it now, as dbt does.
      if (type === 'snapshot' && node.config.enabled !== false)
        snapshotSpec(node.name, node.config, node.location);
      nodes.push(node);
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
