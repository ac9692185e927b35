/**
 * How the CLI reports a failure: one readable block (code, file:line, the source line, a hint) and
 * exit code 1. Unexpected errors keep their stack behind `MARTQL_DEBUG=1`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatError, MartqlError } from '../errors';

export function reportError(err: unknown, projectDir: string): void {
  const readLine = (file: string, line: number): string | undefined => {
    for (const candidate of [path.resolve(projectDir, file), file]) {
      try {
        return fs.readFileSync(candidate, 'utf8').split('\n')[line - 1];
      } catch {
        // try the next candidate
      }
    }
    return undefined;
  };
  process.stderr.write(`${formatError(err, readLine)}\n`);
  if (!(err instanceof MartqlError) && process.env.MARTQL_DEBUG && err instanceof Error) {
    process.stderr.write(`${err.stack}\n`);
  }
  process.exitCode = 1;
}
