/**
 * Turns a seed's CSV into the exact bytes `COPY ... (FORMAT csv)` should read: the data records,
 * without the header, passed through unchanged whenever Postgres would read them as we did.
 *
 * Postgres's CSV reader agrees with ours on quoting, so most records go through as the original
 * bytes (slices of the input, no copying). A record is rewritten only where the two would differ:
 *  - a quoted empty field `""`: Postgres loads '' but a seed loads NULL (as dbt does), so the quotes
 *    are dropped and the field becomes the unquoted empty string, COPY's NULL;
 *  - a line end unlike the first data record's: COPY requires one style per load;
 *  - a record that is exactly `\.`: COPY would take it for its end-of-data marker, so it is quoted;
 *  - blank lines, which we skip, are dropped.
 * In dry mode nothing is collected; `dirty` then tells whether any rewrite would happen, which lets
 * a clean file stream to COPY straight from disk.
 */
import { type CsvRecordView, FIELD_QUOTED } from './csv-scanner';

const QUOTED = FIELD_QUOTED; // module-local: see infer-types.ts

const LF = 0x0a;
const BACKSLASH = 0x5c;
const DOT = 0x2e;

type LineEnd = 'LF' | 'CRLF' | 'CR';
const LINE_END_BYTES: Record<LineEnd, Buffer> = {
  LF: Buffer.from('\n'),
  CRLF: Buffer.from('\r\n'),
  CR: Buffer.from('\r'),
};

function lineEndOf(r: CsvRecordView): LineEnd | undefined {
  const n = r.end - r.contentEnd;
  if (n === 0) return undefined;
  if (n === 2) return 'CRLF';
  return r.buf[r.contentEnd] === LF ? 'LF' : 'CR';
}

/** Rewritten records are copied into scratch buffers of this size (or one record's size). */
const SCRATCH_BYTES = 1 << 20;
const END_MARKER = Buffer.from('"\\."');

export class CopyWriter {
  /** Records that needed a rewrite (blank lines are counted by the scanner). */
  dirty = 0;
  private out: Buffer[] = [];
  private lineEnd: LineEnd | undefined;
  /** Start of the pending pass-through range of the current buffer. */
  private emitFrom = 0;
  /** End of the last record seen in the current buffer. */
  private lastEnd = 0;
  private readonly delimiter: number;
  // Consecutive rewritten records share one scratch segment, so a file where every record is
  // rewritten still goes out as a few large buffers rather than a million small ones.
  private scratch = Buffer.alloc(0);
  private scratchStart = 0;
  private scratchPos = 0;

  constructor(
    delimiter: string,
    private readonly dry = false,
  ) {
    this.delimiter = delimiter.charCodeAt(0);
  }

  readonly onRecord = (r: CsvRecordView): void => {
    if (r.index === 0) {
      this.emitFrom = this.lastEnd = r.end;
      return;
    }
    if (r.start !== this.lastEnd) {
      // Skipped blank lines lie between the last record and this one.
      this.flush(r.buf, this.lastEnd);
      this.emitFrom = r.start;
    }
    const lineEnd = lineEndOf(r);
    this.lineEnd ??= lineEnd;
    if ((lineEnd !== undefined && lineEnd !== this.lineEnd) || hasQuotedEmpty(r) || isEndMarker(r)) {
      this.dirty++;
      this.flush(r.buf, r.start);
      if (!this.dry) this.rewrite(r);
      this.emitFrom = r.end;
    }
    this.lastEnd = r.end;
  };

  /** For the scanner's `onChunkDone`: the rest of this buffer's complete records go out. */
  readonly onChunkDone = (buf: Buffer): void => {
    this.flush(buf, this.lastEnd);
    this.emitFrom = this.lastEnd = 0;
  };

  /** The bytes produced since the last call. */
  take(): Buffer[] {
    this.closeScratch();
    const out = this.out;
    this.out = [];
    return out;
  }

  private flush(buf: Buffer, upTo: number): void {
    if (upTo > this.emitFrom && !this.dry) {
      this.closeScratch();
      this.out.push(buf.subarray(this.emitFrom, upTo));
    }
    this.emitFrom = upTo;
  }

  private closeScratch(): void {
    if (this.scratchPos > this.scratchStart)
      this.out.push(this.scratch.subarray(this.scratchStart, this.scratchPos));
    this.scratchStart = this.scratchPos;
  }

  private rewrite(r: CsvRecordView): void {
    // The rewrite is never longer than the record plus a line end and the quotes around `\.`.
    const room = r.end - r.start + 4;
    if (this.scratch.length - this.scratchPos < room) {
      this.closeScratch();
      this.scratch = Buffer.allocUnsafe(Math.max(SCRATCH_BYTES, room));
      this.scratchStart = this.scratchPos = 0;
    }
    const out = this.scratch;
    let pos = this.scratchPos;
    if (isEndMarker(r)) pos += END_MARKER.copy(out, pos);
    else {
      for (let i = 0; i < r.count; i++) {
        if (i > 0) out[pos++] = this.delimiter;
        const s = r.starts[i];
        const e = r.ends[i];
        const quoted = (r.flags[i] & QUOTED) !== 0;
        if (quoted && s === e) continue; // "" becomes NULL
        pos = copyBytes(r.buf, quoted ? s - 1 : s, quoted ? e + 1 : e, out, pos);
      }
    }
    pos += LINE_END_BYTES[this.lineEnd ?? 'LF'].copy(out, pos);
    this.scratchPos = pos;
  }
}

/**
 * `src[from, to)` into `out` at `at`; returns the end. Fields are short, and a `Buffer#copy` call per
 * field cost more than the bytes (a file whose every record is rewritten loaded at ~0.66x of psql).
 */
function copyBytes(src: Buffer, from: number, to: number, out: Buffer, at: number): number {
  if (to - from > 64) return at + src.copy(out, at, from, to);
  for (let i = from; i < to; i++) out[at++] = src[i];
  return at;
}

function hasQuotedEmpty(r: CsvRecordView): boolean {
  for (let i = 0; i < r.count; i++) {
    if (r.flags[i] & QUOTED && r.starts[i] === r.ends[i]) return true;
  }
  return false;
}

function isEndMarker(r: CsvRecordView): boolean {
  return (
    r.count === 1 &&
    r.flags[0] === 0 &&
    r.ends[0] - r.starts[0] === 2 &&
    r.buf[r.starts[0]] === BACKSLASH &&
    r.buf[r.starts[0] + 1] === DOT
  );
}
