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

/** A codec as a small number, for the writer's switch. */
const [RAW, QUOTED, STRING, NUMBER, BOOLEAN, DATETIME, JSON_TEXT] = [0, 1, 2, 3, 4, 5, 6];
const CODE: Record<JsonCodec, number> = {
  raw: RAW,
  quoted: QUOTED,
  string: STRING,
  number: NUMBER,
  boolean: BOOLEAN,
  datetime: DATETIME,
  json: JSON_TEXT,
};

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const DOT = 0x2e;
const SPACE = 0x20;
const LETTER_T = 0x54;
const DIGIT = -1;
/** `YYYY-MM-DD HH:MM:SS`, DIGIT for a digit: how a UTC timestamp's text starts (utcDateTime). */
const DATE_TIME_SHAPE = Array.from('dddd-dd-dd dd:dd:dd', (c) => (c === 'd' ? DIGIT : c.charCodeAt(0)));
const bytesOf = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));
const [TRUE, FALSE, NULL] = ['true', 'false', 'null'].map(bytesOf);

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

/**
 * A buffer not zeroed first: every byte up to the page's end is written before it is read. Its own
 * memory, not a slice of Buffer's shared pool, so that `buffer` is exactly these bytes.
 */
const uninitialized = (size: number) => new Uint8Array(Buffer.allocUnsafeSlow(size).buffer, 0, size);

/**
 * Writes a page of rows as the UTF-8 JSON text of an array of objects, a row at a time as the
 * driver delivers them, so that on Postgres the writing overlaps the transfer of the rest.
 *
 * Bytes go straight into one buffer: ASCII text (digits, timestamps, most names and labels) is
 * copied a character at a time, and only a value with anything else in it (a character to escape,
 * a non-ASCII one, a spelling to rewrite) goes through `JSON.stringify` and Buffer's UTF-8 writer.
 * Building each row as a string and encoding that cost about as much again as reading the rows off
 * the wire: V8 made a string per piece, flattened the row and then encoded every character.
 */
export class JsonPageWriter {
  /** Per field: the bytes before its value (`{"key":` or `,"key":`; a constant's JSON is part of it). */
  private readonly prefixes: Uint8Array[] = [];
  /** Per field: its codec's number (CODE), or -1 for a constant. */
  private readonly codecs: number[] = [];
  /** After the last field: `}`, or `{}` for a row of no fields. */
  private readonly close: Uint8Array;
  /** The page so far: bytes 0 to `pos`. A plain Uint8Array: V8 stores into a Buffer more slowly. */
  private buf = uninitialized(64 * 1024);
  /** The same memory as a Buffer, for its UTF-8 writer. */
  private bufView = Buffer.from(this.buf.buffer);
  private pos = 0;
  private count = 0;

  constructor(encoding: JsonRowEncoding) {
    encoding.fields.forEach((field, i) => {
      const prefix = `${i === 0 ? '{' : ','}${JSON.stringify(field.key)}:`;
      const constant = 'constant' in field;
      this.prefixes.push(bytesOf(constant ? prefix + JSON.stringify(field.constant) : prefix));
      this.codecs.push(constant ? -1 : CODE[field.codec]);
    });
    this.close = bytesOf(this.codecs.length === 0 ? '{}' : '}');
    this.buf[this.pos++] = 0x5b; // [
  }

  /** One row: each value's text (null for NULL), one per field that is not a constant. */
  row(values: readonly (string | null)[]): void {
    const { prefixes, codecs } = this;
    this.reserve(1);
    if (this.count++ > 0) this.buf[this.pos++] = COMMA;
    let column = 0;
    for (let f = 0; f < codecs.length; f++) {
      const prefix = prefixes[f];
      const codec = codecs[f];
      if (codec < 0) {
        this.reserve(prefix.length);
        this.copy(prefix);
        continue;
      }
      const value = values[column++];
      // Room for the prefix and the value as the ASCII paths write it (its characters, two
      // quotes; `false` for one character). A value that goes through JSON.stringify instead can
      // take more, so that path makes its own room: a reserve per row instead ran off the end of
      // the buffer when such a value came before others.
      this.reserve(prefix.length + (value === null ? 4 : value.length + 5));
      this.copy(prefix);
      if (value === null) this.copy(NULL);
      else this.value(codec, value);
    }
    this.reserve(this.close.length);
    this.copy(this.close);
  }

  done(): JsonRows {
    this.reserve(1);
    this.buf[this.pos++] = 0x5d; // ]
    // A copy of exactly the bytes written (Uint8Array's slice copies; a view, like Buffer's slice,
    // would take the whole buffer across threads): the worker moves its memory to the main thread.
    return { bytes: this.buf.slice(0, this.pos), count: this.count };
  }

  private value(codec: number, text: string): void {
    switch (codec) {
      case RAW:
        if (!this.ascii(text, 0, text.length)) this.utf8(text);
        return;
      case QUOTED:
        if (!this.quotedAscii(text)) this.utf8(`"${text}"`);
        return;
      case STRING:
        if (!this.quotedAscii(text)) this.utf8(JSON.stringify(text));
        return;
      case NUMBER: {
        // Parsing and printing a double is most of this codec's cost; the common spelling needs neither.
        if (text.length <= 15 && text !== '-0' && PLAIN_NUMBER.test(text)) this.ascii(text, 0, text.length);
        else {
          const n = Number(text);
          this.utf8(Number.isFinite(n) ? String(n) : JSON.stringify(text));
        }
        return;
      }
      case BOOLEAN:
        this.copy(text === 't' ? TRUE : FALSE);
        return;
      case DATETIME:
        if (!this.utcDateTime(text)) this.utf8(JSON.stringify(isoDateTime(text)));
        return;
      case JSON_TEXT:
        this.utf8(JSON.stringify(JSON.parse(text)));
        return;
    }
  }

  /**
   * `text` in quotes, if every character is ASCII that a JSON string holds as itself; otherwise
   * false, with nothing written.
   */
  private quotedAscii(text: string): boolean {
    const buf = this.buf;
    let pos = this.pos;
    buf[pos++] = QUOTE;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c < 0x20 || c >= 0x80 || c === QUOTE || c === BACKSLASH) return false;
      buf[pos++] = c;
    }
    buf[pos++] = QUOTE;
    this.pos = pos;
    return true;
  }

  /**
   * A timestamp's text in UTC, as the session (ISO style, UTC) writes it: `YYYY-MM-DD HH:MM:SS`,
   * a fraction of one or more digits or none, `+00`. Copied as ISO-8601 in quotes
   * (`"2024-05-01T12:00:00.5Z"`) and checked on the way; false, with nothing written, for any
   * other text (an offset, BC, infinity), which isoDateTime writes.
   */
  private utcDateTime(text: string): boolean {
    const end = text.length - 3; // before `+00`
    if (
      (end !== 19 && end < 21) ||
      text.charCodeAt(end) !== 0x2b ||
      text.charCodeAt(end + 1) !== 0x30 ||
      text.charCodeAt(end + 2) !== 0x30
    )
      return false;
    const buf = this.buf;
    let pos = this.pos;
    buf[pos++] = QUOTE;
    for (let i = 0; i < end; i++) {
      const c = text.charCodeAt(i);
      const shape = i < 19 ? DATE_TIME_SHAPE[i] : i === 19 ? DOT : DIGIT;
      if (shape === DIGIT ? !isDigit(c) : c !== shape) return false;
      buf[pos++] = c === SPACE ? LETTER_T : c;
    }
    buf[pos++] = 0x5a; // Z
    buf[pos++] = QUOTE;
    this.pos = pos;
    return true;
  }

  /** Characters `from` to `to` of `text`, if all are ASCII; otherwise false, with nothing written. */
  private ascii(text: string, from: number, to: number): boolean {
    const buf = this.buf;
    let pos = this.pos;
    for (let i = from; i < to; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0x80) return false;
      buf[pos++] = c;
    }
    this.pos = pos;
    return true;
  }

  private copy(bytes: Uint8Array): void {
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  private utf8(text: string): void {
    this.reserve(text.length * 3); // UTF-8 bytes per UTF-16 unit, at most
    this.pos += this.bufView.write(text, this.pos, 'utf8');
  }

  private reserve(bytes: number): void {
    if (this.pos + bytes <= this.buf.length) return;
    const grown = uninitialized(Math.max(this.buf.length * 2, this.pos + bytes));
    grown.set(this.buf.subarray(0, this.pos));
    this.buf = grown;
    this.bufView = Buffer.from(grown.buffer);
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
