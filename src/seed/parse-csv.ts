/**
 * CSV as strings: `parseCsv` for text already in memory (tests, small files, headers), and
 * `fieldText` to read one field of a scanner record. Seeds themselves never build these arrays for
 * their data rows (see `csv-scanner.ts`).
 */
import { CsvScanner, type CsvRecordView, FIELD_ESCAPED } from './csv-scanner';

export interface ParseCsvOptions {
  delimiter?: string;
  /** Reject records whose field count differs from the first record's (default true). */
  uniformWidth?: boolean;
}

/** The value of field `i` of a record: its bytes as UTF-8, doubled quotes undoubled. */
export function fieldText(record: CsvRecordView, i: number): string {
  const text = record.buf.toString('utf8', record.starts[i], record.ends[i]);
  return record.flags[i] & FIELD_ESCAPED ? text.replace(/""/g, '"') : text;
}

/** Every field of a record as strings. */
export function recordFields(record: CsvRecordView): string[] {
  const fields = new Array<string>(record.count);
  for (let i = 0; i < record.count; i++) fields[i] = fieldText(record, i);
  return fields;
}

/**
 * Parses a whole CSV (the header is the first record) into string arrays; throws `CsvSyntaxError`
 * with the line of a malformed record. Empty fields are '' whether quoted or not.
 */
export function parseCsv(input: string | Uint8Array, options: ParseCsvOptions = {}): string[][] {
  const records: string[][] = [];
  const scanner = new CsvScanner((r) => records.push(recordFields(r)), options);
  scanner.push(input);
  scanner.end();
  return records;
}

/**
 * Parses CSV arriving in chunks (a file stream, say), yielding each chunk's complete records.
 * Memory holds one chunk's records at a time.
 */
export async function* parseCsvStream(
  chunks: AsyncIterable<Uint8Array | string>,
  options: ParseCsvOptions = {},
): AsyncGenerator<string[][]> {
  let batch: string[][] = [];
  const scanner = new CsvScanner((r) => batch.push(recordFields(r)), options);
  for await (const chunk of chunks) {
    scanner.push(chunk);
    if (batch.length > 0) {
      yield batch;
      batch = [];
    }
  }
  scanner.end();
  if (batch.length > 0) yield batch;
}
