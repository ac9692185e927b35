/**
 * Microbatch time arithmetic, pure: which batches a run processes.
 *
 * Batches are aligned to `batch_size` boundaries in UTC and cover `start <= event_time < end`. An
 * incremental run processes the batch holding `now` plus `lookback` batches before it; the first
 * build (or a full refresh) starts at `begin`; `--event-time-start/--event-time-end` replace either
 * bound. The last batch ends at the boundary after the end bound, so the current, still-filling
 * batch is processed too (as in dbt).
 */
import { MartqlError } from '../../errors';
import type { BatchSize, MicrobatchSettings } from './settings';

export interface Batch {
  start: Date;
  end: Date;
}

export function floorTo(date: Date, size: BatchSize): Date {
  const d = date;
  switch (size) {
    case 'hour':
      return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours()));
    case 'day':
      return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
    case 'month':
      return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
    case 'year':
      return new Date(Date.UTC(d.getUTCFullYear(), 0, 1));
    default: {
      const never: never = size;
      throw new MartqlError('INTERNAL', `unknown batch size ${String(never)}`);
    }
  }
}

/** `date` (aligned) moved by `n` batches. */
export function addBatches(date: Date, size: BatchSize, n: number): Date {
  const d = date;
  switch (size) {
    case 'hour':
      return new Date(d.getTime() + n * 3_600_000);
    case 'day':
      return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + n, d.getUTCHours()));
    case 'month':
      return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + n, d.getUTCDate(), d.getUTCHours()));
    case 'year':
      return new Date(Date.UTC(d.getUTCFullYear() + n, d.getUTCMonth(), d.getUTCDate(), d.getUTCHours()));
    default: {
      const never: never = size;
      throw new MartqlError('INTERNAL', `unknown batch size ${String(never)}`);
    }
  }
}

export function ceilTo(date: Date, size: BatchSize): Date {
  const floor = floorTo(date, size);
  return floor.getTime() === date.getTime() ? floor : addBatches(floor, size, 1);
}

/** The aligned batches between `start` and `end` (empty when `end <= start`). */
export function planBatches(size: BatchSize, start: Date, end: Date): Batch[] {
  const batches: Batch[] = [];
  const last = ceilTo(end, size);
  for (let s = floorTo(start, size); s < last;) {
    const e = addBatches(s, size, 1);
    batches.push({ start: s, end: e });
    s = e;
  }
  return batches;
}

/** The time window of a run, before alignment. */
export function batchWindow(args: {
  mode: 'full' | 'incremental';
  settings: MicrobatchSettings;
  now: Date;
  eventTimeStart?: Date;
  eventTimeEnd?: Date;
  model: string;
}): { start: Date; end: Date } {
  const { settings } = args;
  const end = args.eventTimeEnd ?? args.now;
  if (args.eventTimeStart) return { start: args.eventTimeStart, end };
  if (args.mode === 'incremental') {
    return {
      start: addBatches(floorTo(end, settings.batchSize), settings.batchSize, -settings.lookback),
      end,
    };
  }
  if (!settings.begin) {
    throw new MartqlError(
      'PROJECT_CONFIG',
      `${args.model}: a microbatch model needs \`begin\` for its first build`,
      {
        hint: "set begin: '2024-01-01' in the model's config, or pass --event-time-start",
      },
    );
  }
  return { start: settings.begin, end };
}
