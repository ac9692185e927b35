/**
 * The main-thread half of `copyFrom`: streams CSV text to the worker in batches (a round trip per
 * batch gives backpressure without a round trip per row), and aborts the COPY if the input fails.
 *
 * Two batches are in flight: while the worker pushes one into the socket, the next is already
 * queued behind it, so the database never waits for this thread to read or build the next batch
 * (with one in flight, a seed's COPY backend sat in ClientRead ~7% of the time, a generator's ~24%).
 */
import type { Bridge } from './bridge';
import type { CopyOptions, TableName } from './types';

const BATCH_BYTES = 1 << 20;

async function* batches(input: AsyncIterable<string | Buffer>): AsyncGenerator<string | Uint8Array> {
  let parts: (string | Buffer)[] = [];
  let size = 0;
  for await (const chunk of input) {
    parts.push(chunk);
    size += chunk.length;
    if (size >= BATCH_BYTES) {
      yield join(parts);
      parts = [];
      size = 0;
    }
  }
  if (parts.length > 0) yield join(parts);
}

/**
 * The batch's memory when the batch is all of it (a fresh `Buffer.concat` result), to transfer
 * rather than copy to the worker (copying cost ~5% of `generate`'s main thread). A small Buffer
 * shares Node's allocation pool with others and must never be transferred, hence the length check.
 */
function ownedBuffer(chunk: string | Uint8Array): ArrayBuffer[] {
  if (typeof chunk === 'string') return [];
  const memory = chunk.buffer;
  return memory instanceof ArrayBuffer && chunk.byteOffset === 0 && chunk.byteLength === memory.byteLength
    ? [memory]
    : [];
}

function join(parts: (string | Buffer)[]): string | Uint8Array {
  if (parts.every((p) => typeof p === 'string')) return parts.join('');
  return Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)));
}

export async function copyFrom(
  bridge: Bridge,
  session: number,
  table: TableName,
  columns: string[],
  csv: string | AsyncIterable<string | Buffer>,
  options: CopyOptions = {},
): Promise<number> {
  const copyId = await bridge.call(session, { kind: 'copyBegin', spec: { table, columns, options } });
  try {
    if (typeof csv === 'string') {
      await bridge.call(session, { kind: 'copyData', copyId, chunk: csv });
    } else {
      let inflight: Promise<unknown> | undefined;
      for await (const chunk of batches(csv)) {
        const sent = bridge.call(session, { kind: 'copyData', copyId, chunk }, ownedBuffer(chunk));
        sent.catch(() => undefined); // awaited below: a failure is thrown there, never unhandled
        if (inflight) await inflight;
        inflight = sent;
      }
      await inflight;
    }
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    await bridge.call(session, { kind: 'copyAbort', copyId, reason }).catch(() => undefined);
    throw err;
  }
  return bridge.call(session, { kind: 'copyEnd', copyId });
}
