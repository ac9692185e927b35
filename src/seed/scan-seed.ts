/**
 * Reading a seed without loading it: `probeSeed` reads the header and infers kinds from the start of
 * the file (or all of it), validating what it reads; `fileLineOfCopyLine` maps a COPY error's line
 * back to the file. Both hold one chunk at a time.
 */
import { MartqlError } from '../errors';
import { CsvScanner, CsvSyntaxError } from './csv-scanner';
import { KindSniffer } from './infer-types';
import type { SeedSource } from './seed-source';
import type { Kind } from './value-kind';

export interface SeedProbe {
  header: string[];
  kinds: Kind[];
  /** True when the whole file was read, so `kinds` are final. */
  complete: boolean;
}

export interface ProbeOptions {
  /** Display path for errors. */
  path: string;
  delimiter: string;
  isOverridden?: (column: string) => boolean;
  /** Stop after about this many bytes (whole chunks); the whole file when undefined. */
  limitBytes?: number;
}

/** Runs `fn`, turning a CSV syntax error into a located SEED error. */
export async function withCsvErrors<T>(path: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toSeedError(path, err);
  }
}

export function toSeedError(path: string, err: unknown): unknown {
  if (!(err instanceof CsvSyntaxError)) return err;
  return new MartqlError('SEED', `malformed CSV: ${err.reason}`, {
    location: { file: path, line: err.line, column: err.column },
    cause: err,
  });
}

export function emptySeedError(path: string): MartqlError {
  return new MartqlError('SEED', 'the file is empty: a seed needs a header row', {
    location: { file: path },
  });
}

export function probeSeed(source: SeedSource, options: ProbeOptions): Promise<SeedProbe> {
  return withCsvErrors(options.path, async () => {
    const sniffer = new KindSniffer(options.isOverridden);
    const scanner = new CsvScanner(sniffer.onRecord, { delimiter: options.delimiter });
    const limit = options.limitBytes ?? Infinity;
    let read = 0;
    for await (const chunk of source.chunks()) {
      scanner.push(chunk);
      read += chunk.length;
      if (read >= limit && scanner.records > 0)
        return { header: sniffer.header, kinds: sniffer.kinds, complete: false };
    }
    scanner.end();
    if (scanner.records === 0) throw emptySeedError(options.path);
    return { header: sniffer.header, kinds: sniffer.kinds, complete: true };
  });
}

/**
 * The file line where the data record holding COPY input line `copyLine` starts, found by scanning
 * again (only for error messages). Postgres counts COPY input lines physically, so a record with a
 * quoted newline spans two; the header and skipped blank lines are not part of the COPY input.
 */
export async function fileLineOfCopyLine(
  source: SeedSource,
  delimiter: string,
  copyLine: number,
): Promise<number | undefined> {
  let line: number | undefined;
  let seen = 0;
  const scanner = new CsvScanner(
    (r) => {
      if (r.index === 0 || line !== undefined) return;
      seen += 1;
      for (let i = r.start; i < r.contentEnd; i++) if (r.buf[i] === 0x0a) seen++;
      if (seen >= copyLine) line = r.line;
    },
    { delimiter, uniformWidth: false },
  );
  try {
    for await (const chunk of source.chunks()) {
      scanner.push(chunk);
      if (line !== undefined) return line;
    }
    scanner.end();
  } catch {
    // The file changed or broke since the first pass; the line is then unknown.
  }
  return line;
}
