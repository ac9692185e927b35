/**
 * Turns a failed COPY into an error about the seed file: Postgres reports the line of the COPY
 * input (`COPY t, line 3, column id: "abc"`), which counts neither the header nor skipped blank
 * lines; the file line is found by scanning again up to that record (only on this error path).
 */
import { MartqlError } from '../errors';
import type { SeedColumn } from './infer-types';
import { fileLineOfCopyLine } from './scan-seed';
import type { SeedSource } from './seed-source';

const COPY_CONTEXT = /COPY [^,]+, line (\d+)(?:, column ([^:]+))?/;

export interface CopyErrorContext {
  path: string;
  source: SeedSource;
  delimiter: string;
  columns: SeedColumn[];
  /** Columns whose type came from `column_types`. */
  declared: Set<string>;
}

/** A SEED error naming the file, line and column for a COPY failure; other errors pass through. */
export async function explainCopyError(err: unknown, ctx: CopyErrorContext): Promise<unknown> {
  if (!(err instanceof MartqlError) || err.code !== 'DATABASE') return err;
  const where = typeof err.data?.where === 'string' ? err.data.where : '';
  const match = COPY_CONTEXT.exec(where);
  if (!match) return err;
  const line = await fileLineOfCopyLine(ctx.source, ctx.delimiter, Number(match[1]));
  const columnName = match[2];
  const column = ctx.columns.find((c) => c.name === columnName);
  const origin = column && ctx.declared.has(column.name) ? 'from column_types' : 'inferred';
  const about = column ? ` in column ${JSON.stringify(column.name)} (${column.type}, ${origin})` : '';
  return new MartqlError('SEED', `could not load the value${about}: ${err.message}`, {
    location: { file: ctx.path, line },
    cause: err,
    hint:
      column && origin === 'from column_types'
        ? 'fix the value or the column_types entry for this column'
        : undefined,
    data: err.data,
  });
}
