/**
 * Progress of a generate/simulate run: the event the API reports, and the bar the CLI draws on a
 * terminal. The bar goes to stderr and only when stderr is a TTY, so piped output and logs stay
 * clean; it redraws at most every 100 ms.
 */
import type { RawTable } from './tables';

export interface ProgressEvent {
  /** The table being written, or 'updates' for simulate's order updates. */
  table: RawTable | 'updates';
  /** Customers of this table's pass done, of `total`. */
  done: number;
  total: number;
  /** The whole run's completion, 0..1. */
  fraction: number;
}

export type ProgressListener = (event: ProgressEvent) => void;

/** A listener drawing `[#####.....]  42% touchpoints 12000/50000` on the stream, or undefined if not a TTY. */
export function terminalProgressBar(
  stream: NodeJS.WriteStream = process.stderr,
): { listener: ProgressListener; finish(): void } | undefined {
  if (!stream.isTTY) return undefined;
  let last = 0;
  let drawn = false;
  const width = 30;
  return {
    listener(event) {
      const now = Date.now();
      if (now - last < 100 && event.fraction < 1) return;
      last = now;
      const filled = Math.round(event.fraction * width);
      const bar = `${'#'.repeat(filled)}${'.'.repeat(width - filled)}`;
      const percent = `${Math.floor(event.fraction * 100)}`.padStart(3);
      stream.write(`\r[${bar}] ${percent}% ${event.table} ${event.done}/${event.total}\x1b[K`);
      drawn = true;
    },
    finish() {
      if (drawn) stream.write('\r\x1b[K');
      drawn = false;
    },
  };
}
