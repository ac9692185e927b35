import { customersBefore } from '../../src/generate/customers';
import { DEFAULT_PARAMS, type GeneratorState } from '../../src/generate/params';
import { passChunks, type PassInput } from '../../src/generate/passes';
import { TWINS, twinChunks } from '../../src/generate/twin-passes';

const START = Date.UTC(2025, 0, 1) / 1000;

function inputFor(customers: number, days: number): PassInput {
  const state: GeneratorState = {
    seed: 9,
    customers,
    days,
    startSec: START,
    horizonSec: START + days * 86400,
    params: DEFAULT_PARAMS,
  };
  return {
    state,
    window: { fromSec: -Infinity, toSec: state.horizonSec },
    customers: customersBefore(state, state.horizonSec),
    customersBefore: 0,
    ids: { order: 1, touchpoint: 1, event: 1 },
  };
}

async function text(chunks: AsyncIterable<Buffer>, limit = Infinity): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of chunks) {
    parts.push(Buffer.from(chunk));
    if (parts.length >= limit) break;
  }
  return Buffer.concat(parts).toString('utf8');
}

describe('twin passes', () => {
  it('write each table exactly as its own pass does, whichever side reads first and however far ahead', async () => {
    for (const pair of TWINS) {
      const expected = await Promise.all(pair.map((t) => text(passChunks(t, inputFor(4000, 200), () => {}))));
      // One side read to the end before the other starts (the other's chunks, fewer than the queue's
      // bound here, wait in its queue).
      const [a, b] = twinChunks(pair, inputFor(4000, 200), () => {});
      expect(await text(a)).toBe(expected[0]);
      expect(await text(b)).toBe(expected[1]);
      // Both read at once.
      const [c, d] = twinChunks(pair, inputFor(4000, 200), () => {});
      expect(await Promise.all([text(c), text(d)])).toEqual(expected);
    }
  });

  it('reports progress for both tables and ends at the totals', async () => {
    const seen = new Map<string, number>();
    const input = inputFor(1200, 60);
    const [a, b] = twinChunks(['customers', 'orders'], input, (table, done) => seen.set(table, done));
    await Promise.all([text(a), text(b)]);
    expect(Object.fromEntries(seen)).toEqual({ customers: input.customers, orders: input.customers });
  });

  it('a side that stops reading never blocks the other, and a failure reaches both', async () => {
    const [a, b] = twinChunks(['touchpoints', 'product_usage'], inputFor(20_000, 365), () => {});
    await text(a, 1); // reads one chunk, then stops (as a failed COPY does)
    expect((await text(b)).length).toBeGreaterThan(1 << 20);

    const [c, d] = twinChunks(['touchpoints', 'product_usage'], inputFor(3000, 365), (_, done) => {
      if (done >= 1000) throw new Error('stop here');
    });
    await expect(text(c)).rejects.toThrow('stop here');
    await expect(text(d)).rejects.toThrow('stop here');
  });

  it('a read waiting for a side nobody reads fails when the load aborts', async () => {
    // Only product_usage is read: once touchpoints' queue is full the read waits for a consumer
    // that never comes (its stream failed before starting). The abort must end that wait.
    const abort = new AbortController();
    const [, usage] = twinChunks(
      ['touchpoints', 'product_usage'],
      inputFor(40_000, 365),
      () => {},
      abort.signal,
    );
    const reading = text(usage);
    let settled = false;
    reading.then(
      () => (settled = true),
      () => (settled = true),
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(settled).toBe(false); // parked
    abort.abort(new Error('the other COPY failed'));
    await expect(reading).rejects.toThrow('the other COPY failed');
  });
});
