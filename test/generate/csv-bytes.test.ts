import { CsvBytes } from '../../src/generate/csv-bytes';
import { formatCents, formatTimestamp } from '../../src/generate/csv-stream';
import { Rng } from '../../src/generate/prng';

/** What the writer produced, as text. */
function written(write: (out: CsvBytes) => void): string {
  const out = new CsvBytes();
  write(out);
  return out.take().toString('utf8');
}

describe('CsvBytes', () => {
  it('writes integers as String() does, from 0 to the largest safe integer', () => {
    const rng = new Rng(7);
    const values = [
      0,
      1,
      9,
      10,
      99,
      100,
      2 ** 31 - 1,
      2 ** 31,
      10 ** 15,
      10 ** 16,
      Number.MAX_SAFE_INTEGER,
      -1,
      -120,
    ];
    for (let i = 0; i < 2000; i++) values.push(Math.floor(rng.next() * 10 ** Math.floor(rng.next() * 16)));
    expect(written((out) => values.forEach((v) => (out.int(v), out.comma())))).toBe(
      values.map((v) => `${v},`).join(''),
    );
  });

  it('writes timestamps and cents as formatTimestamp and formatCents do', () => {
    const rng = new Rng(8);
    const seconds = [
      0,
      59,
      86399,
      86400,
      Date.UTC(2025, 1, 28, 23, 59, 7) / 1000,
      Date.UTC(2028, 1, 29) / 1000,
    ];
    for (let i = 0; i < 2000; i++) seconds.push(Math.floor(1.7e9 + rng.next() * 1e8));
    const cents = [0, 1, 5, 99, 100, 123456, 1e9 + 7];
    for (let i = 0; i < 2000; i++) cents.push(Math.floor(rng.next() * 1e7));
    expect(written((out) => seconds.forEach((s) => (out.timestamp(s), out.newline())))).toBe(
      seconds.map((s) => `${formatTimestamp(s)}\n`).join(''),
    );
    expect(written((out) => cents.forEach((c) => (out.cents(c), out.comma())))).toBe(
      cents.map((c) => `${formatCents(c)},`).join(''),
    );
  });

  it('writes text as UTF-8 and grows past its buffer; take starts afresh', () => {
    const out = new CsvBytes();
    const texts = ['organic_search', '', 'café', 'ü'.repeat(40_000), 'x'.repeat(300_000)];
    for (const s of texts) {
      out.text(s);
      out.comma();
    }
    expect(out.take().toString('utf8')).toBe(texts.map((s) => `${s},`).join(''));
    expect(out.length).toBe(0);
    out.int(42);
    expect(out.take().toString('utf8')).toBe('42');
  });
});
