/**
 * Turns the generator's rows into the CSV chunks `Warehouse.copyFrom` streams into COPY.
 *
 * Why it exists: a table is never built in memory. Rows come from a synchronous generator (as lines,
 * or written as bytes into a `CsvBytes`), are cut into chunks of ~128 KiB, and handed to COPY; while the warehouse's worker thread ingests a
 * batch, the main thread (otherwise idle, awaiting the worker) prepares the next few chunks, so
 * generating and loading overlap. At most `ahead` chunks are buffered, which bounds memory.
 */
import type { CsvBytes } from './csv-bytes';

const CHUNK_CHARS = 128 * 1024;
const CHUNK_BYTES = 128 * 1024;

/**
 * An async iterable of UTF-8 CSV chunks from an iterator of lines (each ending in '\n'). Production runs
 * ahead of consumption by at most `ahead` chunks, scheduled with setImmediate so I/O keeps flowing.
 */
export function csvChunks(lines: Iterator<string>, ahead = 8): AsyncIterable<Buffer> {
  return chunkStream(
    () => {
      let chunk = '';
      while (chunk.length < CHUNK_CHARS) {
        const next = lines.next();
        if (next.done) break;
        chunk += next.value;
      }
      // Encoded here, in time the main thread would spend waiting, rather than by the receiving side.
      return chunk.length > 0 ? Buffer.from(chunk) : undefined;
    },
    () => lines.return?.(),
    ahead,
  );
}

/**
 * The same for rows written as bytes: each step of `steps` writes some rows (a customer's) to `out`,
 * and a chunk is cut once it holds about 128 KiB.
 */
export function byteChunks(steps: Iterator<unknown>, out: CsvBytes, ahead = 8): AsyncIterable<Buffer> {
  return chunkStream(
    () => {
      while (out.length < CHUNK_BYTES && !steps.next().done);
      return out.length > 0 ? out.take() : undefined;
    },
    () => steps.return?.(),
    ahead,
  );
}

/** Runs `produce` (a chunk, or undefined when done) ahead of the consumer by up to `ahead` chunks. */
function chunkStream(produce: () => Buffer | undefined, stop: () => void, ahead = 8): AsyncIterable<Buffer> {
  const queue: Buffer[] = [];
  let done = false;
  let failure: { error: unknown } | undefined;
  let pumping = false;
  let stopped = false;

  const step = (): void => {
    const chunk = produce();
    if (chunk === undefined) done = true;
    else queue.push(chunk);
  };

  const pump = (): void => {
    if (pumping || stopped) return;
    pumping = true;
    setImmediate(() => {
      pumping = false;
      if (stopped || done || failure || queue.length >= ahead) return;
      try {
        step();
      } catch (error) {
        failure = { error };
        return;
      }
      pump();
    });
  };

  return {
    [Symbol.asyncIterator](): AsyncIterator<Buffer> {
      return {
        async next(): Promise<IteratorResult<Buffer>> {
          if (queue.length === 0 && !done && !failure) {
            try {
              step();
            } catch (error) {
              failure = { error };
            }
          }
          if (queue.length > 0) {
            const value = queue.shift() as Buffer;
            pump();
            return { done: false, value };
          }
          if (failure) throw failure.error;
          return { done: true, value: undefined };
        },
        async return(): Promise<IteratorResult<Buffer>> {
          stopped = true;
          stop();
          return { done: true, value: undefined };
        },
      };
    },
  };
}

const TWO_DIGITS = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const dayCache = new Map<number, string>();

/**
 * `YYYY-MM-DD HH:MM:SS+00` for whole epoch seconds: the form both databases parse for timestamptz,
 * built from a per-day cache because `Date#toISOString` per value is a measurable share of the time.
 */
export function formatTimestamp(sec: number): string {
  const day = Math.floor(sec / 86400);
  let date = dayCache.get(day);
  if (date === undefined) {
    date = new Date(day * 86_400_000).toISOString().slice(0, 10);
    if (dayCache.size > 100_000) dayCache.clear();
    dayCache.set(day, date);
  }
  let rest = sec - day * 86400;
  const hours = Math.floor(rest / 3600);
  rest -= hours * 3600;
  const minutes = Math.floor(rest / 60);
  return `${date} ${TWO_DIGITS[hours]}:${TWO_DIGITS[minutes]}:${TWO_DIGITS[rest - minutes * 60]}+00`;
}

/** Cents as a numeric literal: 12345 -> '123.45'. */
export function formatCents(cents: number): string {
  const whole = Math.floor(cents / 100);
  const frac = cents - whole * 100;
  return `${whole}.${TWO_DIGITS[frac]}`;
}
