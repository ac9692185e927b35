/**
 * Product usage: feature events for behavioural cohorts. A customer uses the product from signup
 * at their own rate, with their own tilt towards some features, until some weeks after they drop
 * out (for buyers, the BG/NBD dropout; for the others, soon after signup). So usage tracks purchase
 * behaviour, which is what behavioural cohorts look for.
 */
import { FEATURES } from './catalog';
import type { Customer } from './customers';
import { choose, exponential } from './distributions';
import type { OrderHistory } from './orders';
import type { GeneratorState } from './params';
import { Rng, STREAM } from './prng';
import type { CsvBytes } from './csv-bytes';
import { arrives, type IdCounters, type LoadWindow } from './tables';

const DAY = 86400;

/** The rows of the customer's usage events that arrive in the window. */
export function usageRows(
  out: CsvBytes,
  state: GeneratorState,
  c: Customer,
  history: OrderHistory,
  window: LoadWindow,
  ids: IdCounters,
): void {
  const tail = Math.floor(c.usageTailDays * DAY);
  let activeUntil: number;
  if (!c.converts) activeUntil = c.signupSec + tail;
  else activeUntil = history.deathSec === null ? Infinity : history.deathSec + tail;
  const end = Math.min(activeUntil, window.toSec);
  const rng = new Rng(state.seed, STREAM.usage, c.id);
  const meanGap = DAY / c.usageRate;
  let t = c.signupSec;
  for (;;) {
    t += Math.floor(exponential(rng, meanGap));
    if (t >= end) return;
    const feature = FEATURES[choose(rng, c.featureCum)];
    const loaded = t + Math.floor(exponential(rng, 300));
    if (arrives(loaded, window)) {
      out.int(ids.event++);
      out.comma();
      out.int(c.id);
      out.comma();
      out.timestamp(t);
      out.comma();
      out.text(feature);
      out.comma();
      out.timestamp(loaded);
      out.newline();
    }
  }
}
