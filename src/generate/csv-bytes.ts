/**
 * CSV rows written straight into bytes, for the generator's passes.
 *
 * Why not strings: building each row as a template string, joining rows into chunks and encoding
 * the chunks to UTF-8 cost more than generating the data (a profile of `generate` had string
 * building, flattening and the garbage collector at ~40% of this thread's time, which on Postgres
 * is the load's bottleneck). Here integers, timestamps and cents are written digit by digit and
 * nothing is allocated per row. The bytes are exactly those of `formatTimestamp` / `formatCents` and
 * of the values' decimal strings.
 */
const CAPACITY = 256 * 1024;
const DATE_WINDOW = 4096;

const COMMA = 0x2c;
const NEWLINE = 0x0a;
const ZERO = 0x30;

export class CsvBytes {
  private buf = Buffer.allocUnsafe(CAPACITY);
  private pos = 0;
  /**
   * `YYYY-MM-DD` bytes (as `formatTimestamp` spells them) of the days around the first one seen, in
   * an array indexed by day: a Map lookup and a string per timestamp were ~10% of the main thread.
   */
  private readonly window: (Uint8Array | undefined)[] = new Array<undefined>(DATE_WINDOW).fill(undefined);
  private windowStart = NaN;
  /** Days outside the window (not met in generated data). */
  private readonly otherDays = new Map<number, Uint8Array>();

  /** Bytes written since the last `take`. */
  get length(): number {
    return this.pos;
  }

  /** The bytes written since the last call; the writer continues in a fresh buffer. */
  take(): Buffer {
    const out = this.buf.subarray(0, this.pos);
    this.buf = Buffer.allocUnsafe(CAPACITY);
    this.pos = 0;
    return out;
  }

  comma(): void {
    this.reserve(1);
    this.buf[this.pos++] = COMMA;
  }

  newline(): void {
    this.reserve(1);
    this.buf[this.pos++] = NEWLINE;
  }

  /** A safe integer in decimal, as `String(n)` writes it. */
  int(n: number): void {
    this.reserve(17);
    const buf = this.buf;
    if (n < 0) {
      buf[this.pos++] = 0x2d;
      n = -n;
    }
    let digits = 1;
    for (let p = 10; p <= n; p *= 10) digits++;
    let at = this.pos + digits;
    this.pos = at;
    do {
      const rest = n % 10;
      buf[--at] = ZERO + rest;
      n = (n - rest) / 10;
    } while (n > 0);
  }

  /** Text as UTF-8 (the generator's text values need no CSV quoting). */
  text(s: string): void {
    const n = s.length;
    this.reserve(n * 3);
    const buf = this.buf;
    let pos = this.pos;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c > 0x7f) {
        this.pos += buf.write(s, this.pos, 'utf8');
        return;
      }
      buf[pos++] = c;
    }
    this.pos = pos;
  }

  /** `YYYY-MM-DD HH:MM:SS+00` for whole epoch seconds: the bytes of `formatTimestamp(sec)`. */
  timestamp(sec: number): void {
    const day = Math.floor(sec / 86400);
    const date = this.dateOf(day);
    this.reserve(date.length + 13);
    const buf = this.buf;
    for (let i = 0; i < date.length; i++) buf[this.pos++] = date[i];
    let rest = sec - day * 86400;
    const hours = Math.floor(rest / 3600);
    rest -= hours * 3600;
    const minutes = Math.floor(rest / 60);
    buf[this.pos++] = 0x20;
    this.twoDigits(hours);
    buf[this.pos++] = 0x3a;
    this.twoDigits(minutes);
    buf[this.pos++] = 0x3a;
    this.twoDigits(rest - minutes * 60);
    buf[this.pos++] = 0x2b;
    buf[this.pos++] = ZERO;
    buf[this.pos++] = ZERO;
  }

  /** Cents as a numeric literal, the bytes of `formatCents(cents)`: 12345 -> 123.45. */
  cents(cents: number): void {
    const whole = Math.floor(cents / 100);
    this.int(whole);
    this.reserve(3);
    this.buf[this.pos++] = 0x2e;
    this.twoDigits(cents - whole * 100);
  }

  private dateOf(day: number): Uint8Array {
    if (Number.isNaN(this.windowStart)) this.windowStart = day - DATE_WINDOW / 4;
    const i = day - this.windowStart;
    if (i >= 0 && i < DATE_WINDOW) return (this.window[i] ??= dateBytes(day));
    let date = this.otherDays.get(day);
    if (date === undefined) {
      if (this.otherDays.size > 10_000) this.otherDays.clear();
      this.otherDays.set(day, (date = dateBytes(day)));
    }
    return date;
  }

  /** 0..99 as two digits; the caller reserved the room. */
  private twoDigits(n: number): void {
    const tens = (n / 10) | 0;
    this.buf[this.pos++] = ZERO + tens;
    this.buf[this.pos++] = ZERO + n - tens * 10;
  }

  private reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(grown, 0, 0, this.pos);
    this.buf = grown;
  }
}

function dateBytes(day: number): Uint8Array {
  return Buffer.from(new Date(day * 86_400_000).toISOString().slice(0, 10), 'latin1');
}
