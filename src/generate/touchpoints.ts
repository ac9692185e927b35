/**
 * Touchpoints: the marketing events of each customer, in three kinds of paths.
 *
 * - The acquisition path: the signup visit through the acquisition channel, then a few touches;
 *   for a customer who buys, they lead to the first purchase (ending in a "closing" touch, often
 *   search, direct or email), for the others they form a non-converting path.
 * - A path before each repeat purchase: one to a few touches in the days before it (mostly within a
 *   30-day attribution window, occasionally older), leaning on email and direct.
 * - Browsing sessions that lead nowhere, while the customer stays engaged.
 * Channel mixes depend on the acquisition channel. Every touch happens at or after signup (identity
 * is known from the signup visit on), so a touch never arrives before its customer's row.
 *
 * Some touches arrive late (ad platforms report days afterwards): `_loaded_at` a day or more after
 * `touched_at`. Those are the late-arriving touchpoints `simulate` delivers for past conversions.
 */
import {
  CAMPAIGNS,
  CHANNELS,
  CLOSING_MIX_CUM,
  LATE_PROBABILITY,
  PATH_MIX_CUM,
  REPEAT_MIX_CUM,
} from './catalog';
import type { Customer } from './customers';
import { choose, exponential, poisson, uniform } from './distributions';
import type { OrderHistory } from './orders';
import type { GeneratorState } from './params';
import { Rng, STREAM } from './prng';
import type { CsvBytes } from './csv-bytes';
import { arrives, type IdCounters, type LoadWindow } from './tables';

const DAY = 86400;
/** Touches of a repeat purchase's path are at most this long before it. */
export const MAX_LOOKBACK_SEC = 60 * DAY;

export interface Touch {
  atSec: number;
  channel: number;
  campaign: string;
  loadedSec: number;
}

function touch(rng: Rng, atSec: number, channel: number): Touch {
  const campaigns = CAMPAIGNS[channel];
  const campaign = campaigns[Math.floor(rng.next() * campaigns.length)];
  const late = rng.next() < LATE_PROBABILITY[channel];
  const delay = late ? DAY + exponential(rng, 2 * DAY) : exponential(rng, 1200);
  return { atSec, channel, campaign, loadedSec: atSec + Math.floor(delay) };
}

function acquisitionPath(state: GeneratorState, c: Customer, out: Touch[]): void {
  const rng = new Rng(state.seed, STREAM.path, c.id, 0);
  const mix = PATH_MIX_CUM[c.acquisition];
  out.push(touch(rng, c.signupSec, c.acquisition));
  if (c.converts) {
    const span = c.firstOrderSec - c.signupSec;
    const k = poisson(rng, 2);
    for (let i = 0; i < k; i++)
      out.push(touch(rng, c.signupSec + Math.floor(rng.next() * span), choose(rng, mix)));
    const closing = Math.min(span, Math.max(60, Math.floor(exponential(rng, 7200))));
    out.push(touch(rng, c.firstOrderSec - closing, choose(rng, CLOSING_MIX_CUM)));
  } else {
    const k = poisson(rng, 2);
    for (let i = 0; i < k; i++) {
      out.push(touch(rng, c.signupSec + Math.floor(uniform(rng, 0, 30 * DAY)), choose(rng, mix)));
    }
  }
}

function repeatPath(state: GeneratorState, c: Customer, index: number, orderSec: number, out: Touch[]): void {
  const rng = new Rng(state.seed, STREAM.path, c.id, index);
  const before = (seconds: number) => Math.max(c.signupSec, orderSec - Math.max(60, Math.floor(seconds)));
  out.push(touch(rng, before(exponential(rng, 6 * 3600)), choose(rng, CLOSING_MIX_CUM)));
  const k = poisson(rng, 1.3);
  const mix = REPEAT_MIX_CUM[c.acquisition];
  for (let i = 0; i < k; i++) {
    const lookback = Math.min(exponential(rng, 5 * DAY), MAX_LOOKBACK_SEC);
    out.push(touch(rng, before(lookback), choose(rng, mix)));
  }
}

function sessions(state: GeneratorState, c: Customer, untilSec: number, out: Touch[]): void {
  const rng = new Rng(state.seed, STREAM.sessions, c.id);
  const end = Math.min(c.engagementEndSec, untilSec);
  const mix = PATH_MIX_CUM[c.acquisition];
  let t = c.signupSec;
  for (;;) {
    t += Math.floor(exponential(rng, 1 / c.sessionRate) * DAY);
    if (t >= end) return;
    const n = 1 + poisson(rng, 0.7);
    let at = t;
    for (let i = 0; i < n; i++) {
      out.push(touch(rng, at, choose(rng, mix)));
      at += 60 + Math.floor(exponential(rng, 1800));
    }
  }
}

/**
 * The customer's touches that happened before `untilSec`, in time order. `history` must reach
 * `untilSec + MAX_LOOKBACK_SEC` so that the paths of purchases just after the limit are included.
 */
export function touchesOf(
  state: GeneratorState,
  c: Customer,
  history: OrderHistory,
  untilSec: number,
): Touch[] {
  const all: Touch[] = [];
  acquisitionPath(state, c, all);
  for (const order of history.orders) {
    if (order.index > 0) repeatPath(state, c, order.index, order.atSec, all);
  }
  sessions(state, c, untilSec, all);
  const kept = all.filter((t) => t.atSec < untilSec);
  kept.sort((x, y) => x.atSec - y.atSec);
  return kept;
}

/** The rows of the touches that arrive in the window. */
export function touchRows(
  out: CsvBytes,
  customerId: number,
  touches: Touch[],
  window: LoadWindow,
  ids: IdCounters,
): void {
  for (const t of touches) {
    if (!arrives(t.loadedSec, window)) continue;
    out.int(ids.touchpoint++);
    out.comma();
    out.int(customerId);
    out.comma();
    out.timestamp(t.atSec);
    out.comma();
    out.text(CHANNELS[t.channel]);
    out.comma();
    out.text(t.campaign);
    out.comma();
    out.timestamp(t.loadedSec);
    out.newline();
  }
}
