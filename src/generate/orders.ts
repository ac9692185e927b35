/**
 * Orders: each converting customer's purchase history, a BG/NBD process with Gamma-Gamma spend.
 *
 * The first purchase is the customer's "birth"; repeat purchases follow a Poisson process with the
 * customer's rate lambda, and after each repeat purchase the customer drops out for good with
 * probability p (Fader, Hardie & Lee 2005: nobody drops out before the first repeat purchase). Each
 * transaction is worth Gamma(p, rate nu) with nu the customer's spend rate.
 *
 * Some orders are later refunded or partially refunded: an update that changes status and revenue
 * and bumps updated_at/_loaded_at. `simulate` applies those as UPDATEs in place (stg_orders reads
 * raw.orders directly, so there is one row per order and no versions to deduplicate). Which orders
 * get updated is independent of their value, so completed orders keep the Gamma-Gamma distribution.
 */
import type { Customer } from './customers';
import { exponential, gamma, uniform } from './distributions';
import type { GeneratorState } from './params';
import { Rng, STREAM } from './prng';
import type { CsvBytes } from './csv-bytes';
import { formatCents, formatTimestamp } from './csv-stream';
import { arrives, type IdCounters, type LoadWindow } from './tables';

const DAY = 86400;
export const REFUND_PROBABILITY = 0.05;
export const PARTIAL_REFUND_PROBABILITY = 0.04;

export interface OrderUpdate {
  atSec: number;
  loadedSec: number;
  status: 'refunded' | 'partially_refunded';
  cents: number;
}

export interface Order {
  /** 0 for the first purchase, then 1, 2, ... for repeat purchases. */
  index: number;
  atSec: number;
  cents: number;
  loadedSec: number;
  update: OrderUpdate | null;
}

export interface OrderHistory {
  orders: Order[];
  /** When the customer dropped out (right after their last purchase); null if not before the limit. */
  deathSec: number | null;
}

/**
 * The customer's purchases before `untilSec`. A prefix of the same infinite history whatever the
 * limit: draws are consumed purchase by purchase, so a later, longer call extends this one.
 */
export function orderHistory(state: GeneratorState, c: Customer, untilSec: number): OrderHistory {
  const orders: Order[] = [];
  if (!c.converts || c.firstOrderSec >= untilSec) return { orders, deathSec: null };
  const rng = new Rng(state.seed, STREAM.orders, c.id);
  const { p } = state.params.gammaGamma;
  const purchase = (index: number, atSec: number): Order => {
    const value = gamma(rng, p, 1 / c.nu);
    const cents = Math.max(1, Math.round(value * 100));
    const loadedSec = atSec + Math.floor(exponential(rng, 600));
    const coin = rng.next();
    const factor = uniform(rng, 0.2, 0.8);
    const updateAt = atSec + 3600 + Math.floor(exponential(rng, 4 * DAY));
    const updateLoaded = updateAt + Math.floor(exponential(rng, 600));
    let update: OrderUpdate | null = null;
    if (coin < REFUND_PROBABILITY) {
      update = { atSec: updateAt, loadedSec: updateLoaded, status: 'refunded', cents: 0 };
    } else if (coin < REFUND_PROBABILITY + PARTIAL_REFUND_PROBABILITY) {
      const kept = Math.max(1, Math.round(cents * factor));
      update = { atSec: updateAt, loadedSec: updateLoaded, status: 'partially_refunded', cents: kept };
    }
    return { index, atSec, cents, loadedSec, update };
  };
  orders.push(purchase(0, c.firstOrderSec));
  let t = c.firstOrderSec;
  for (let index = 1; ; index++) {
    // Whole seconds, strictly increasing: (customer_id, ordered_at) identifies an order for updates.
    t = Math.max(t + 1, Math.floor(t + exponential(rng, 1 / c.lambda) * DAY));
    if (t >= untilSec) return { orders, deathSec: null };
    orders.push(purchase(index, t));
    if (rng.next() < c.dropout) return { orders, deathSec: t };
  }
}

/** The version of an order visible at the end of the window: updated once the update has arrived. */
function versionAt(order: Order, window: LoadWindow) {
  const u = order.update;
  if (u && u.loadedSec < window.toSec) {
    return { status: u.status as string, cents: u.cents, updatedSec: u.atSec, loadedSec: u.loadedSec };
  }
  return { status: 'completed', cents: order.cents, updatedSec: order.atSec, loadedSec: order.loadedSec };
}

/** The rows of the orders that arrive in the window, in their latest version. */
export function orderRows(
  out: CsvBytes,
  customerId: number,
  history: OrderHistory,
  window: LoadWindow,
  ids: IdCounters,
): void {
  for (const order of history.orders) {
    if (!arrives(order.loadedSec, window)) continue;
    const v = versionAt(order, window);
    out.int(ids.order++);
    out.comma();
    out.int(customerId);
    out.comma();
    out.timestamp(order.atSec);
    out.comma();
    out.cents(v.cents);
    out.comma();
    out.text(v.status);
    out.comma();
    out.timestamp(v.updatedSec);
    out.comma();
    out.timestamp(v.loadedSec);
    out.newline();
  }
}

/**
 * CSV lines (customer_id, ordered_at, revenue, status, updated_at, _loaded_at) of the updates that
 * arrive in the window for orders already loaded before it: `simulate` applies them with UPDATE.
 */
export function orderUpdateLines(customerId: number, history: OrderHistory, window: LoadWindow): string[] {
  const lines: string[] = [];
  for (const order of history.orders) {
    const u = order.update;
    if (!u || order.loadedSec >= window.fromSec || !arrives(u.loadedSec, window)) continue;
    lines.push(
      `${customerId},${formatTimestamp(order.atSec)},${formatCents(u.cents)},${u.status},${formatTimestamp(u.atSec)},${formatTimestamp(u.loadedSec)}\n`,
    );
  }
  return lines;
}
