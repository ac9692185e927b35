/**
 * Two tables from one walk over the customers, for the two COPY streams of `staged-load.ts`:
 * touchpoints with product usage (both need each customer and their order history to the lookback)
 * and customers with orders (both need each customer). Drawing a customer is ~15 gamma samples; done
 * once instead of once per table, the two big passes took 15–25% less CPU on this thread, which is
 * the load's bottleneck. Rows are the same as the passes' one by one (`passRows`): each table keeps
 * its own id counter and customer order.
 *
 * Each table is read by its own COPY stream. A stream asking for a chunk runs the walk until its
 * table has one; the other table's chunks queue for its stream, and when that queue is long the
 * asking stream waits for the other to catch up (so memory stays bounded; the streams carry similar
 * bytes, so the wait is rare).
 */
import { CsvBytes } from './csv-bytes';
import { customerAt, customerRow } from './customers';
import { orderHistory, orderRows } from './orders';
import type { PassInput, PassProgress } from './passes';
import type { RawTable } from './tables';
import { MAX_LOOKBACK_SEC, touchesOf, touchRows } from './touchpoints';
import { usageRows } from './usage';

export const TWINS: readonly [RawTable, RawTable][] = [
  ['touchpoints', 'product_usage'],
  ['customers', 'orders'],
];

const CHUNK_BYTES = 128 * 1024;
/** Chunks one table may run ahead of the other before the walk waits for its stream. */
const MAX_QUEUED = 64;

/** Writes both tables' rows customer by customer into `outs`, one step per customer. */
function* twinRows(
  pair: readonly [RawTable, RawTable],
  input: PassInput,
  progress: PassProgress,
  outs: [CsvBytes, CsvBytes],
): Generator<void> {
  const { state, window, ids } = input;
  const [a, b] = outs;
  for (let id = 1; id <= input.customers; id++) {
    const c = customerAt(state, id);
    if (pair[0] === 'touchpoints') {
      const history = orderHistory(state, c, window.toSec + MAX_LOOKBACK_SEC);
      touchRows(a, id, touchesOf(state, c, history, window.toSec), window, ids);
      usageRows(b, state, c, history, window, ids);
    } else {
      // The customers pass writes only the customers who signed up in the window.
      if (id > input.customersBefore) customerRow(a, c, window);
      orderRows(b, id, orderHistory(state, c, window.toSec), window, ids);
    }
    yield;
    if (id % 500 === 0) progress(id);
  }
  progress(input.customers);
}

/**
 * The CSV chunks of both tables of `pair`; `progress(table, done)` is told for each (the customers
 * table counts only its new customers, as `passSize` does). Read both at once, each by its own
 * consumer: one read alone stops once the other's queue is full, until the other reads or ends.
 * When `signal` aborts (the other stream's COPY failed, perhaps before it ever read its side), a
 * read waiting there fails with its reason instead of waiting for good.
 */
export function twinChunks(
  pair: readonly [RawTable, RawTable],
  input: PassInput,
  progress: (table: RawTable, done: number) => void,
  signal?: AbortSignal,
): [AsyncIterable<Buffer>, AsyncIterable<Buffer>] {
  const outs: [CsvBytes, CsvBytes] = [new CsvBytes(), new CsvBytes()];
  const report: PassProgress = (done) => {
    progress(pair[0], Math.max(0, done - (pair[0] === 'customers' ? input.customersBefore : 0)));
    progress(pair[1], done);
  };
  const steps = twinRows(pair, input, report, outs);
  const queues: [Buffer[], Buffer[]] = [[], []];
  let done = false;
  let failure: { error: unknown } | undefined;
  /** A side whose stream stopped reading (its COPY ended or failed): its rows are dropped. */
  const stopped = [false, false];
  const waiting: (() => void)[] = [];
  const wakeAll = () => waiting.splice(0).forEach((wake) => wake());
  const onAbort = () => {
    failure ??= { error: signal?.reason };
    wakeAll();
  };
  if (signal?.aborted) onAbort();
  else signal?.addEventListener('abort', onAbort, { once: true });

  const cut = (side: 0 | 1, force: boolean) => {
    if (outs[side].length < CHUNK_BYTES && !(force && outs[side].length > 0)) return;
    const chunk = outs[side].take();
    if (!stopped[side]) queues[side].push(chunk);
  };
  /** Runs the walk until `side` has a chunk (or the walk ends). */
  const produce = (side: 0 | 1) => {
    while (queues[side].length === 0 && !done) {
      if (steps.next().done) done = true;
      cut(0, done);
      cut(1, done);
    }
  };

  const stream = (side: 0 | 1): AsyncIterable<Buffer> => ({
    async *[Symbol.asyncIterator]() {
      const other = side === 0 ? 1 : 0;
      try {
        yield* read(side, other);
      } finally {
        stopped[side] = true;
        queues[side].length = 0;
        wakeAll();
      }
    },
  });

  async function* read(side: 0 | 1, other: 0 | 1): AsyncGenerator<Buffer> {
    for (;;) {
      if (failure) throw failure.error;
      if (queues[side].length === 0 && !done) {
        if (queues[other].length >= MAX_QUEUED && !stopped[other]) {
          await new Promise<void>((resolve) => waiting.push(resolve));
          continue;
        }
        try {
          produce(side);
        } catch (error) {
          failure = { error };
          wakeAll();
          throw error;
        }
      }
      const chunk = queues[side].shift();
      if (chunk === undefined) return;
      wakeAll(); // the other side may be waiting for this one to take its chunks
      yield chunk;
    }
  }
  return [stream(0), stream(1)];
}
