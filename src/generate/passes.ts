/**
 * One pass per raw table over the customers, yielding that table's CSV lines for a load window.
 *
 * Each pass recomputes what it needs of a customer's history from the seed (the touchpoints pass
 * recomputes the orders they precede) rather than sharing it across passes: COPY loads one table at
 * a time, and recomputing a customer is far cheaper than holding every customer's history.
 */
import { CsvBytes } from './csv-bytes';
import { byteChunks } from './csv-stream';
import { customerAt, customerRow } from './customers';
import { orderHistory, orderRows, orderUpdateLines } from './orders';
import type { GeneratorState } from './params';
import { type IdCounters, type LoadWindow, type RawTable } from './tables';
import { MAX_LOOKBACK_SEC, touchesOf, touchRows } from './touchpoints';
import { usageRows } from './usage';

/** Reports how many of the pass's customers are done. */
export type PassProgress = (done: number) => void;

export interface PassInput {
  state: GeneratorState;
  window: LoadWindow;
  /** Customers that exist at the end of the window: ids 1..customers. */
  customers: number;
  /** Customers that existed before the window (their rows are already loaded). */
  customersBefore: number;
  ids: IdCounters;
}

/** Writes each customer's rows with `rows`, yielding after each customer (a chunk may end there). */
function* perCustomer(input: PassInput, progress: PassProgress, rows: (id: number) => void): Generator<void> {
  for (let id = 1; id <= input.customers; id++) {
    rows(id);
    yield;
    if (id % 500 === 0) progress(id);
  }
  progress(input.customers);
}

/** The rows of `table` for the window, written into `out` customer by customer (one step each). */
export function passRows(
  table: RawTable,
  input: PassInput,
  progress: PassProgress,
  out: CsvBytes,
): Generator<void> {
  const { state, window, ids } = input;
  switch (table) {
    case 'customers':
      // Only the customers who signed up in the window: ids after those loaded before.
      return perCustomer({ ...input, customers: input.customers - input.customersBefore }, progress, (i) =>
        customerRow(out, customerAt(state, input.customersBefore + i), window),
      );
    case 'orders':
      return perCustomer(input, progress, (id) =>
        orderRows(out, id, orderHistory(state, customerAt(state, id), window.toSec), window, ids),
      );
    case 'touchpoints':
      return perCustomer(input, progress, (id) => {
        const c = customerAt(state, id);
        const history = orderHistory(state, c, window.toSec + MAX_LOOKBACK_SEC);
        touchRows(out, id, touchesOf(state, c, history, window.toSec), window, ids);
      });
    case 'product_usage':
      return perCustomer(input, progress, (id) => {
        const c = customerAt(state, id);
        usageRows(out, state, c, orderHistory(state, c, window.toSec + MAX_LOOKBACK_SEC), window, ids);
      });
  }
}

/** The CSV of `table` for the window, in chunks for `copyFrom` (see `byteChunks`). */
export function passChunks(table: RawTable, input: PassInput, progress: PassProgress): AsyncIterable<Buffer> {
  const out = new CsvBytes();
  return byteChunks(passRows(table, input, progress, out), out);
}

/** Lines for the orders' UPDATE staging table (see `orderUpdateLines`). */
export function orderUpdatePass(input: PassInput, progress: PassProgress): Generator<string> {
  const { state, window } = input;
  return perCustomerLines(input, progress, (id) =>
    orderUpdateLines(id, orderHistory(state, customerAt(state, id), window.toSec), window),
  );
}

function* perCustomerLines(
  input: PassInput,
  progress: PassProgress,
  lines: (id: number) => string[],
): Generator<string> {
  for (let id = 1; id <= input.customers; id++) {
    yield* lines(id);
    if (id % 500 === 0) progress(id);
  }
  progress(input.customers);
}

/** How many customers a pass visits (for progress). */
export function passSize(table: RawTable, input: PassInput): number {
  return table === 'customers' ? input.customers - input.customersBefore : input.customers;
}
