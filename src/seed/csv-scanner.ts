/**
 * A streaming RFC 4180 scanner over bytes: the one CSV reader behind seeds.
 *
 * It works on UTF-8 bytes rather than strings because a seed is read twice (once to infer types,
 * once to feed COPY) and neither pass needs the values as JavaScript strings: type inference can
 * classify a field from its bytes, and COPY wants the original bytes. So a record is reported as a
 * view of field offsets into the current buffer (`CsvRecordView`, reused between records), and
 * nothing is allocated per field. `parse-csv.ts` turns views into string arrays when strings are
 * wanted.
 *
 * Accepted: quoted fields with doubled quotes, delimiters and newlines inside quotes, LF, CRLF or
 * CR line ends, a UTF-8 BOM, a last record with or without a line end. Blank lines are skipped.
 * Rejected with the line (and column) of the problem: an unterminated quote, a stray quote inside
 * an unquoted field, text after a closing quote, and (unless disabled) a record whose field count
 * differs from the first record's.
 */

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/** Bits of `CsvRecordView.flags`. */
export const FIELD_QUOTED = 1;
/** The quoted field holds doubled quotes, so its value is not its raw bytes. */
export const FIELD_ESCAPED = 2;

/** One record as offsets into `buf`; valid only during the callback (the object is reused). */
export interface CsvRecordView {
  buf: Buffer;
  /** Number of fields. */
  count: number;
  /** Field i's content is `buf[starts[i], ends[i])`, without the surrounding quotes when quoted. */
  starts: Int32Array;
  ends: Int32Array;
  flags: Uint8Array;
  /** First byte of the record. */
  start: number;
  /** First byte of the line end (equal to `end` when the record ends the input without one). */
  contentEnd: number;
  /** First byte after the line end. */
  end: number;
  /** 1-based line the record starts on. */
  line: number;
  /** 0-based record number; the header is record 0. */
  index: number;
}

export interface CsvScannerOptions {
  /** One single-byte character; ',' by default. */
  delimiter?: string;
  /** Reject records whose field count differs from the first record's (default true). */
  uniformWidth?: boolean;
  /** Called after each pushed chunk with the buffer and how far it was consumed (for writers). */
  onChunkDone?: (buf: Buffer, consumed: number) => void;
}

/** A malformed record: `line` and `column` are 1-based and point at the problem. */
export class CsvSyntaxError extends Error {
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column?: number,
  ) {
    super(`${reason} (line ${line}${column === undefined ? '' : `, column ${column}`})`);
    this.name = 'CsvSyntaxError';
  }
}

/** Checks a delimiter and returns its byte; COPY accepts only a one-byte delimiter. */
export function delimiterByte(delimiter: string): number {
  const code = delimiter.charCodeAt(0);
  if (delimiter.length !== 1 || code > 0x7f || code === QUOTE || code === LF || code === CR) {
    throw new Error(
      `the delimiter must be one ASCII character other than a quote or a line end, got ${JSON.stringify(delimiter)}`,
    );
  }
  return code;
}

const INCOMPLETE = -1;
const EMPTY = Buffer.alloc(0);

export class CsvScanner {
  private readonly delimiter: number;
  private readonly uniformWidth: boolean;
  private readonly onChunkDone?: (buf: Buffer, consumed: number) => void;
  /** 1 for bytes that end an unquoted field: the delimiter, CR, LF, and the quote (an error). */
  private readonly special = new Uint8Array(256);
  private readonly view: CsvRecordView;
  private leftover: Buffer | undefined;
  private started = false;
  private ended = false;
  /** Line of the next record. */
  private line = 1;
  private width = -1;
  /** Records seen, the header included. */
  records = 0;
  /** Blank lines skipped. */
  blankLines = 0;

  constructor(
    private readonly onRecord: (record: CsvRecordView) => void,
    options: CsvScannerOptions = {},
  ) {
    this.delimiter = delimiterByte(options.delimiter ?? ',');
    this.uniformWidth = options.uniformWidth ?? true;
    this.onChunkDone = options.onChunkDone;
    for (const b of [this.delimiter, QUOTE, LF, CR]) this.special[b] = 1;
    this.view = {
      buf: EMPTY,
      count: 0,
      starts: new Int32Array(16),
      ends: new Int32Array(16),
      flags: new Uint8Array(16),
      start: 0,
      contentEnd: 0,
      end: 0,
      line: 1,
      index: 0,
    };
  }

  push(chunk: Uint8Array | string): void {
    if (this.ended) throw new Error('push after end');
    let buf = toBuffer(chunk);
    if (this.leftover) {
      buf = Buffer.concat([this.leftover, buf]);
      this.leftover = undefined;
    }
    this.scan(buf, false);
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    const buf = this.leftover ?? EMPTY;
    this.leftover = undefined;
    this.scan(buf, true);
  }

  private scan(buf: Buffer, final: boolean): void {
    let pos = 0;
    if (!this.started) {
      // Wait for three bytes to tell whether the input starts with a BOM.
      if (buf.length < 3 && !final) {
        this.leftover = buf;
        return;
      }
      this.started = true;
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) pos = 3;
    }
    while (pos < buf.length) {
      const next = this.scanRecord(buf, pos, final);
      if (next === INCOMPLETE) break;
      pos = next;
    }
    // A record cut by the chunk's end is scanned again, whole, with the next chunk.
    if (pos < buf.length) this.leftover = buf.subarray(pos);
    this.onChunkDone?.(buf, pos);
  }

  /** Scans one record (or one blank line) at `pos`; returns where the next starts, or INCOMPLETE. */
  private scanRecord(buf: Buffer, pos: number, final: boolean): number {
    const len = buf.length;
    const first = buf[pos];
    if (first === LF || first === CR) {
      if (first === CR && pos + 1 >= len && !final) return INCOMPLETE;
      this.blankLines++;
      this.line++;
      return first === CR && buf[pos + 1] === LF ? pos + 2 : pos + 1;
    }
    const { special, delimiter } = this;
    const v = this.view;
    let line = this.line;
    let n = 0;
    let p = pos;
    for (;;) {
      if (n === v.starts.length) this.grow();
      if (p < len && buf[p] === QUOTE) {
        const s = p + 1;
        let q = s;
        let flag = FIELD_QUOTED;
        for (;;) {
          q = buf.indexOf(QUOTE, q);
          if (q < 0) {
            if (!final) return INCOMPLETE;
            throw this.error(buf, 'unterminated quoted field', line, p);
          }
          if (q + 1 >= len) {
            if (!final) return INCOMPLETE;
            break;
          }
          if (buf[q + 1] !== QUOTE) break;
          flag |= FIELD_ESCAPED;
          q += 2;
        }
        for (let i = s; i < q; i++) if (buf[i] === LF) line++;
        v.starts[n] = s;
        v.ends[n] = q;
        v.flags[n] = flag;
        n++;
        p = q + 1;
        if (p < len) {
          const c = buf[p];
          if (c === delimiter) {
            p++;
            continue;
          }
          if (c !== LF && c !== CR) {
            throw this.error(buf, 'unexpected text after a closing quote', line, p);
          }
        }
      } else {
        const s = p;
        while (p < len && special[buf[p]] === 0) p++;
        if (p >= len && !final) return INCOMPLETE;
        if (p < len && buf[p] === QUOTE) {
          throw this.error(
            buf,
            'a quote inside an unquoted field (quote the whole field and double the quote)',
            line,
            p,
          );
        }
        v.starts[n] = s;
        v.ends[n] = p;
        v.flags[n] = 0;
        n++;
        if (p < len && buf[p] === delimiter) {
          p++;
          continue;
        }
      }
      break;
    }
    // p is at a line end or at the end of the input.
    let end = p;
    if (p < len) {
      if (buf[p] === LF) end = p + 1;
      else if (p + 1 < len) end = buf[p + 1] === LF ? p + 2 : p + 1;
      else if (!final) return INCOMPLETE;
      else end = p + 1;
    }
    if (this.width < 0) this.width = n;
    else if (this.uniformWidth && n !== this.width) {
      throw new CsvSyntaxError(`expected ${this.width} fields (as in the header), found ${n}`, this.line);
    }
    v.buf = buf;
    v.count = n;
    v.start = pos;
    v.contentEnd = p;
    v.end = end;
    v.line = this.line;
    v.index = this.records++;
    this.line = line + 1;
    this.onRecord(v);
    return end;
  }

  private grow(): void {
    const v = this.view;
    const size = v.starts.length * 2;
    const starts = new Int32Array(size);
    const ends = new Int32Array(size);
    const flags = new Uint8Array(size);
    starts.set(v.starts);
    ends.set(v.ends);
    flags.set(v.flags);
    Object.assign(v, { starts, ends, flags });
  }

  /** A syntax error at byte `at`; the column counts characters from the start of its line. */
  private error(buf: Buffer, reason: string, line: number, at: number): CsvSyntaxError {
    // A record starts at a line start, so the line's start is always inside `buf`.
    let lineStart = at;
    while (lineStart > 0 && buf[lineStart - 1] !== LF && buf[lineStart - 1] !== CR) lineStart--;
    const column = buf.toString('utf8', lineStart, at).length + 1;
    return new CsvSyntaxError(reason, line, column);
  }
}

function toBuffer(chunk: Uint8Array | string): Buffer {
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  if (Buffer.isBuffer(chunk)) return chunk;
  return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}
