/**
 * Attaches YAML property entries to the nodes they describe, and enforces name uniqueness.
 *
 * Entries only describe nodes of their own package. An entry naming nothing is a note (dbt warns);
 * the same node described twice is an error naming both files, because silently picking one would
 * hide half of someone's documentation and tests. A property `config:` is merged over the project
 * tree config, and a property `meta:` joins `config.meta`, as dbt keeps them in step.
 */
import { MartqlError, type SourceLocation } from '../errors';
import { mergeConfigs } from './merge-configs';
import type { NodePropertyKind, PropertyFile } from './properties';
import type { SeedFile, SqlNodeFile } from './types';

type Node = SqlNodeFile | SeedFile;

const SINGULAR: Record<NodePropertyKind, string> = {
  models: 'model',
  seeds: 'seed',
  snapshots: 'snapshot',
  analyses: 'analysis',
  data_tests: 'singular test',
};

export function applyNodeProperties(
  kind: NodePropertyKind,
  nodes: Node[],
  files: PropertyFile[],
  notes: string[],
): void {
  const byName = new Map<string, Node[]>();
  for (const node of nodes) {
    const key = `${node.package}\u0000${node.name}`;
    const list = byName.get(key);
    if (list) list.push(node);
    else byName.set(key, [node]);
  }
  const described = new Map<string, SourceLocation>();
  for (const file of files) {
    for (const props of file.nodes[kind]) {
      const key = `${file.package}\u0000${props.name}`;
      const earlier = described.get(key);
      if (earlier) {
        throw new MartqlError(
          'DUPLICATE_NODE',
          `${SINGULAR[kind]} ${props.name} is described twice: in ${where(earlier)} and in ${where(props.location)}`,
          { location: props.location, hint: 'merge the two entries into one' },
        );
      }
      described.set(key, props.location);
      const targets = byName.get(key);
      if (!targets) {
        notes.push(
          `${where(props.location)}: ${kind} entry ${props.name} matches no ${SINGULAR[kind]} in ${file.package}`,
        );
        continue;
      }
      for (const node of targets) {
        node.properties = props;
        node.config = mergeConfigs(mergeConfigs(node.config, { meta: props.meta }), props.config);
      }
    }
  }
}

/** Two enabled nodes sharing a name in one package (ref() could not tell them apart) fail the load. */
export function checkUniqueNames(nodes: Node[], what: string, label: (absPath: string) => string): void {
  const seen = new Map<string, Node>();
  for (const node of nodes) {
    if (node.config.enabled === false) continue;
    const key = `${node.package}\u0000${node.name}`;
    const first = seen.get(key);
    if (first) {
      throw new MartqlError(
        'DUPLICATE_NODE',
        `two ${what} named ${node.name} in package ${node.package}: ${label(first.absPath)} and ${label(node.absPath)}`,
        {
          location: { file: label(node.absPath) },
          hint: 'rename one, or disable one with `enabled: false`',
        },
      );
    }
    seen.set(key, node);
  }
}

function where(location: SourceLocation): string {
  return location.line === undefined ? location.file : `${location.file}:${location.line}`;
}
