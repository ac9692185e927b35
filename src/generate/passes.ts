/**
 * One pass per raw table over the customers, yielding that table's CSV lines for a load window.
 *
 * Each pass recomputes what it needs of a customer's history from the seed (the touchpoints pass
 * recomputes the orders they precede) rather than sharing it across passes: COPY loads one table at
 * a time, and recomputing a customer is far cheaper than holding every customer's history.
 */
import { customerAt, customerLines } from './customers';
import { orderHistory, orderLines, orderUpdateLines } from './orders';
import type { GeneratorState } from './params';
import { type IdCounters, type LoadWindow, type RawTable } from './tables';
import { MAX_LOOKBACK_SEC, touchesOf, touchLines } from './touchpoints';
import { usageLines } from './usage';

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

function* perCustomer(
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

export function passLines(table: RawTable, input: PassInput, progress: PassProgress): Generator<string> {
  const { state, window, ids } = input;
  switch (table) {
    case 'customers':
      return customerLines(
        state,
        window,
        { first: input.customersBefore + 1, last: input.customers },
        (done) => progress(done - input.customersBefore),
      );
    case 'orders':
      return perCustomer(input, progress, (id) =>
        orderLines(id, orderHistory(state, customerAt(state, id), window.toSec), window, ids),
      );
    case 'touchpoints':
      return perCustomer(input, progress, (id) => {
        const c = customerAt(state, id);
        const history = orderHistory(state, c, window.toSec + MAX_LOOKBACK_SEC);
        return touchLines(id, touchesOf(state, c, history, window.toSec), window, ids);
      });
    case 'product_usage':
      return perCustomer(input, progress, (id) => {
        const c = customerAt(state, id);
        return usageLines(state, c, orderHistory(state, c, window.toSec + MAX_LOOKBACK_SEC), window, ids);
      });
  }
}

/** Lines for the orders' UPDATE staging table (see `orderUpdateLines`). */
export function orderUpdatePass(input: PassInput, progress: PassProgress): Generator<string> {
  const { state, window } = input;
  return perCustomer(input, progress, (id) =>
    orderUpdateLines(id, orderHistory(state, customerAt(state, id), window.toSec), window),
  );
}

/** How many customers a pass visits (for progress). */
export function passSize(table: RawTable, input: PassInput): number {
  return table === 'customers' ? input.customers - input.customersBefore : input.customers;
}
