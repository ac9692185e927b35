/**
 * Rows written as one JSON array of objects, from the text Postgres sends for each value: what the
 * GraphQL layer splices into a response instead of decoding values into objects, walking them and
 * stringifying them again (graphql/resolvers/raw-json.ts).
 *
 * It runs in the warehouse worker, on the rows as the wire carries them (text, no type parsing),
 * so the main thread receives one buffer per page and the database sends plain columns: building
 * the JSON in SQL (`to_json` per value) cost Postgres about as much again as the select itself.
 *
 * Each value's codec says how its text becomes JSON. The caller picks codecs that reproduce what
 * its own serialization of the decoded value would give (graphql/query/json-row.ts), and casts in
 * SQL whatever the codec relies on (an int4 has only digits); SQL NULL is `null` whatever the codec.
 */
import { isoDateTime } from './iso-date-time';

/**
 * - `raw`: the text is JSON already (an int4's digits);
 * - `quoted`: a JSON string of text that needs no escaping (int8 or numeric digits);
 * - `string`: a JSON string, escaped;
 * - `number`: a float's text as the double JavaScript would write (`1e-7`, `0` for -0); NaN and
 *   ±Infinity, which JSON has no number for, as the strings `"NaN"`, `"Infinity"`, `"-Infinity"`;
 * - `boolean`: Postgres's `t`/`f`;
 * - `datetime`: a timestamp's text as ISO-8601 (iso-date-time.ts), a JSON string;
 * - `json`: a json value's text, parsed and written again as JavaScript writes it (`1.0` is `1`,
 *   no spaces), which is what a driver's JSON.parse and a response's JSON.stringify give.
 */
export type JsonCodec = 'raw' | 'quoted' | 'string' | 'number' | 'boolean' | 'datetime' | 'json';

/** One key of the row object: the next column of the result, or a JSON constant. */
export type JsonRowField = { key: string; codec: JsonCodec } | { key: string; constant: unknown };

/** The keys of every row object, in order; the statement selects one column per non-constant key. */
export interface JsonRowEncoding {
  fields: JsonRowField[];
}

export interface JsonRows {
  /** `[{...},{...}]`, UTF-8. */
  bytes: Uint8Array;
  count: number;
}

/**
 * A number's text that JavaScript writes the same: at most 15 digits (so no shorter spelling reads
 * as the same double), no exponent, no trailing zero, not below 1e-6 (JavaScript writes `1e-7`).
 * Checked with the length at most 15.
 */
const PLAIN_NUMBER = /^-?(?:[1-9]\d*(?:\.\d*[1-9])?|0(?:\.(?!0{6})\d*[1-9])?)$/;

/** `YYYY-MM-DD HH:MM:SS[.ffffff]+00` (the session in ISO style and UTC), digits and separators only. */
const UTC_ISO = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)?\+00$/;

type Encode = (text: string) => string;

const ENCODERS: Record<JsonCodec, Encode> = {
  raw: (text) => text,
  quoted: (text) => `"${text}"`,
  string: (text) => JSON.stringify(text),
  number: (text) => {
    // Parsing and printing a double is most of this codec's cost; the common spelling needs neither.
    if (text.length <= 15 && text !== '-0' && PLAIN_NUMBER.test(text)) return text;
    const n = Number(text);
    return Number.isFinite(n) ? String(n) : JSON.stringify(text);
  },
  boolean: (text) => (text === 't' ? 'true' : 'false'),
  datetime: (text) =>
    UTC_ISO.test(text)
      ? `"${text.substring(0, 10)}T${text.substring(11, text.length - 3)}Z"`
      : JSON.stringify(isoDateTime(text)),
  json: (text) => JSON.stringify(JSON.parse(text)),
};

/**
 * Writes a page of rows as the UTF-8 JSON text of an array of objects, a row at a time as the
 * driver delivers them, so that on Postgres the writing overlaps the transfer of the rest.
 *
 * Rows are built as strings (short, so cheap to flatten) and copied into one buffer: one string
 * for the whole page, or a join of the rows, cost V8 about as much again in flattening as writing
 * the values did.
 */
export class JsonPageWriter {
  /** Per field: the text before its value (`{"key":` or `,"key":`; a constant's JSON is part of it). */
  private readonly prefixes: string[] = [];
  /** Per field: how to write its value; none for a constant. */
  private readonly encoders: (Encode | undefined)[] = [];
  private readonly close: string;
  private buf = Buffer.allocUnsafeSlow(64 * 1024);
  private pos = 0;
  private count = 0;

  constructor(encoding: JsonRowEncoding) {
    encoding.fields.forEach((field, i) => {
      const prefix = `${i === 0 ? '{' : ','}${JSON.stringify(field.key)}:`;
      const constant = 'constant' in field;
      this.prefixes.push(constant ? prefix + JSON.stringify(field.constant) : prefix);
      this.encoders.push(constant ? undefined : ENCODERS[field.codec]);
    });
    this.close = this.encoders.length === 0 ? '{}' : '}';
    this.write('[');
  }

  /** One row: each value's text (null for NULL), one per field that is not a constant. */
  row(values: readonly (string | null)[]): void {
    const { prefixes, encoders } = this;
    let text = this.count++ === 0 ? '' : ',';
    let column = 0;
    for (let f = 0; f < encoders.length; f++) {
      const encode = encoders[f];
      if (encode === undefined) {
        text += prefixes[f];
        continue;
      }
      const value = values[column++];
      text += prefixes[f] + (value === null ? 'null' : encode(value));
    }
    this.write(text + this.close);
  }

  done(): JsonRows {
    this.write(']');
    // A copy of exactly the bytes written: a view would take the whole buffer across threads.
    return { bytes: new Uint8Array(this.buf.subarray(0, this.pos)), count: this.count };
  }

  private write(text: string): void {
    const most = text.length * 3; // UTF-8 bytes per UTF-16 unit, at most
    if (this.pos + most > this.buf.length) {
      const grown = Buffer.allocUnsafeSlow(Math.max(this.buf.length * 2, this.pos + most));
      this.buf.copy(grown, 0, 0, this.pos);
      this.buf = grown;
    }
    this.pos += this.buf.write(text, this.pos, 'utf8');
  }
}

/** The rows (each value's text, null for NULL) as the UTF-8 JSON text of an array of objects. */
export function encodeJsonRows(
  rows: readonly (readonly (string | null)[])[],
  encoding: JsonRowEncoding,
): JsonRows {
  const page = new JsonPageWriter(encoding);
  for (const row of rows) page.row(row);
  return page.done();
}
