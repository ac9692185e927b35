/**
 * A TypeScript model's rows as CSV chunks for COPY, streamed so a large result is never held twice.
 * Empty unquoted fields are NULL (COPY's CSV default); everything else is quoted when it must be.
 */
import type { TsModelRow } from './define-model';

function field(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number')
    return Number.isNaN(value)
      ? 'NaN'
      : Number.isFinite(value)
        ? String(value)
        : value > 0
          ? 'Infinity'
          : '-Infinity';
  if (typeof value === 'bigint') return value.toString();
  const text =
    value instanceof Date
      ? value.toISOString()
      : typeof value === 'object'
        ? JSON.stringify(value)
        : String(value);
  // Quoted always for text: an empty string must stay an empty string, not NULL.
  return `"${text.replace(/"/g, '""')}"`;
}

export async function* rowsAsCsv(
  rows: TsModelRow[],
  columns: string[],
  chunkRows = 2000,
): AsyncGenerator<string> {
  for (let i = 0; i < rows.length; i += chunkRows) {
    let chunk = '';
    for (const row of rows.slice(i, i + chunkRows))
      chunk += `${columns.map((c) => field(row[c])).join(',')}\n`;
    yield chunk;
  }
}
