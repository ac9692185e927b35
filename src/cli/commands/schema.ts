/**
 * `martql schema`: write the GraphQL SDL of the project to `schema/schema.graphql`, built from the
 * manifest alone (no database: templates are parsed offline). `--check` writes nothing and exits 1
 * when the file differs from a fresh generation, which is how CI keeps the committed file current.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseProjectDir } from '../../compile/compile-project';
import { buildSchema } from '../../graphql';
import { printSdl } from '../../graphql/schema';

export interface SchemaCommandOptions {
  projectDir: string;
  check?: boolean;
  vars?: string;
}

export const SCHEMA_FILE = path.join('schema', 'schema.graphql');

/** The SDL of the project at `projectDir`. */
export async function projectSdl(projectDir: string, vars?: string): Promise<string> {
  const { manifest } = await parseProjectDir(path.resolve(projectDir), { vars, noParseCache: true });
  return printSdl(buildSchema(manifest, { withoutResolvers: true }).schema);
}

export async function schemaCommand(options: SchemaCommandOptions): Promise<void> {
  const projectDir = path.resolve(options.projectDir);
  const file = path.join(projectDir, SCHEMA_FILE);
  const sdl = await projectSdl(projectDir, options.vars);
  if (options.check) {
    const current = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
    if (current === sdl) {
      process.stdout.write(`${SCHEMA_FILE} is current\n`);
      return;
    }
    process.stderr.write(
      `${SCHEMA_FILE} is ${current === undefined ? 'missing' : 'out of date'}; run \`martql schema\` and commit it\n`,
    );
    process.exitCode = 1;
    return;
  }
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, sdl);
  process.stdout.write(`wrote ${SCHEMA_FILE}\n`);
}
