/**
 * Writing one generated file so a reader (a server answering /docs, a tool polling target/) sees
 * the previous version or the new one, never half of one: write a temporary sibling, then rename.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Writes `<dir>/<name>` atomically (creating `dir`) and returns its path. */
export async function writeFileAtomic(dir: string, name: string, text: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const finalPath = join(dir, name);
  const tempPath = join(dir, `.${name}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(tempPath, text);
    await rename(tempPath, finalPath);
  } catch (err) {
    await unlink(tempPath).catch(() => undefined);
    throw err;
  }
  return finalPath;
}
