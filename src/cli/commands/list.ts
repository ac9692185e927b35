/** `martql ls`: print the selected nodes' unique ids (or names), as `dbt ls` does. */
import * as path from 'node:path';
import { parseProjectDir } from '../../compile/compile-project';
import { select, topoSort } from '../../graph';

export async function listCommand(options: {
  projectDir: string;
  select?: string[];
  exclude?: string[];
  resourceType?: string[];
  vars?: string;
  output?: 'id' | 'name' | 'path';
}): Promise<void> {
  const { manifest } = await parseProjectDir(path.resolve(options.projectDir), {
    vars: options.vars,
    which: 'ls',
  });
  const chosen = select(manifest, { select: options.select, exclude: options.exclude });
  for (const id of topoSort(manifest, chosen)) {
    const node = manifest.nodes.get(id);
    if (!node) continue;
    if (options.resourceType?.length && !options.resourceType.includes(node.resourceType)) continue;
    const shown = options.output === 'name' ? node.name : options.output === 'path' ? node.path : id;
    process.stdout.write(`${shown}\n`);
  }
}
