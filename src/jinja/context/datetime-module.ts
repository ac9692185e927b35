/**
 * `modules.datetime` and `run_started_at`: the parts of Python's datetime that dbt code uses.
 *
 * Templates call `modules.datetime.datetime.now()`, `.utcnow()`, `.strftime(...)`, `.isoformat()`,
 * `modules.datetime.date.today()`, `modules.datetime.timedelta(days=1)`, `.replace(day=1)` and add or
 * subtract timedeltas. Times are kept in UTC. `__add__`/`__sub__` let the template engine apply
 * Python arithmetic to these objects.
 */
import { splitArgs } from '../engine';

const DAY_MS = 86_400_000;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** Python's strftime for the directives dbt code uses. */
export function strftime(date: Date, format: string, withTime: boolean): string {
  return format.replace(/%([a-zA-Z%])/g, (_, d: string) => {
    switch (d) {
      case 'Y':
        return String(date.getUTCFullYear());
      case 'y':
        return pad(date.getUTCFullYear() % 100);
      case 'm':
        return pad(date.getUTCMonth() + 1);
      case 'd':
        return pad(date.getUTCDate());
      case 'H':
        return pad(withTime ? date.getUTCHours() : 0);
      case 'M':
        return pad(withTime ? date.getUTCMinutes() : 0);
      case 'S':
        return pad(withTime ? date.getUTCSeconds() : 0);
      case 'f':
        return pad(withTime ? date.getUTCMilliseconds() * 1000 : 0, 6);
      case 'j':
        return pad(Math.floor((date.getTime() - Date.UTC(date.getUTCFullYear(), 0, 1)) / DAY_MS) + 1, 3);
      case 'A':
        return DAY_NAMES[date.getUTCDay()];
      case 'a':
        return DAY_NAMES[date.getUTCDay()].slice(0, 3);
      case 'B':
        return MONTH_NAMES[date.getUTCMonth()];
      case 'b':
        return MONTH_NAMES[date.getUTCMonth()].slice(0, 3);
      case 'w':
        return String(date.getUTCDay());
      case 'z':
        return withTime ? '+0000' : '';
      case 'Z':
        return withTime ? 'UTC' : '';
      case '%':
        return '%';
      default:
        return `%${d}`;
    }
  });
}

export class PyTimedelta {
  constructor(readonly ms: number) {}
  get days(): number {
    return Math.floor(this.ms / DAY_MS);
  }
  get seconds(): number {
    return Math.floor((this.ms - this.days * DAY_MS) / 1000);
  }
  total_seconds(): number {
    return this.ms / 1000;
  }
  __add__(other: unknown): unknown {
    if (other instanceof PyTimedelta) return new PyTimedelta(this.ms + other.ms);
    if (other instanceof PyDatetime) return other.__add__(this);
    return undefined;
  }
  __sub__(other: unknown): unknown {
    return other instanceof PyTimedelta ? new PyTimedelta(this.ms - other.ms) : undefined;
  }
  toString(): string {
    const days = this.days;
    const rest = this.ms - days * DAY_MS;
    const time = `${Math.floor(rest / 3_600_000)}:${pad(Math.floor(rest / 60_000) % 60)}:${pad(Math.floor(rest / 1000) % 60)}`;
    return days ? `${days} day${Math.abs(days) === 1 ? '' : 's'}, ${time}` : time;
  }
}

/** A Python `datetime.datetime` (withTime) or `datetime.date` in UTC. */
export class PyDatetime {
  constructor(
    readonly value: Date,
    readonly withTime = true,
  ) {}
  get year(): number {
    return this.value.getUTCFullYear();
  }
  get month(): number {
    return this.value.getUTCMonth() + 1;
  }
  get day(): number {
    return this.value.getUTCDate();
  }
  get hour(): number {
    return this.value.getUTCHours();
  }
  get minute(): number {
    return this.value.getUTCMinutes();
  }
  get second(): number {
    return this.value.getUTCSeconds();
  }
  strftime(format: string): string {
    return strftime(this.value, format, this.withTime);
  }
  isoformat(...raw: unknown[]): string {
    const { args } = splitArgs(raw);
    const sep = typeof args[0] === 'string' ? args[0] : 'T';
    return this.withTime ? this.strftime(`%Y-%m-%d${sep}%H:%M:%S.%f`) + '+00:00' : this.strftime('%Y-%m-%d');
  }
  timestamp(): number {
    return this.value.getTime() / 1000;
  }
  weekday(): number {
    return (this.value.getUTCDay() + 6) % 7;
  }
  /** `.date()` of a datetime. */
  date(): PyDatetime {
    return new PyDatetime(new Date(Date.UTC(this.year, this.month - 1, this.day)), false);
  }
  replace(...raw: unknown[]): PyDatetime {
    const { kwargs } = splitArgs(raw);
    const num = (k: string, d: number) => (typeof kwargs[k] === 'number' ? (kwargs[k] as number) : d);
    const ms = Date.UTC(
      num('year', this.year),
      num('month', this.month) - 1,
      num('day', this.day),
      num('hour', this.hour),
      num('minute', this.minute),
      num('second', this.second),
      num('microsecond', this.value.getUTCMilliseconds() * 1000) / 1000,
    );
    return new PyDatetime(new Date(ms), this.withTime);
  }
  __add__(other: unknown): unknown {
    return other instanceof PyTimedelta
      ? new PyDatetime(new Date(this.value.getTime() + other.ms), this.withTime)
      : undefined;
  }
  __sub__(other: unknown): unknown {
    if (other instanceof PyTimedelta)
      return new PyDatetime(new Date(this.value.getTime() - other.ms), this.withTime);
    if (other instanceof PyDatetime) return new PyTimedelta(this.value.getTime() - other.value.getTime());
    return undefined;
  }
  toString(): string {
    return this.withTime ? this.strftime('%Y-%m-%d %H:%M:%S.%f') + '+00:00' : this.strftime('%Y-%m-%d');
  }
  toJSON(): string {
    return this.isoformat();
  }
}

function timedelta(...raw: unknown[]): PyTimedelta {
  const { args, kwargs } = splitArgs(raw);
  const n = (v: unknown) => (typeof v === 'number' ? v : 0);
  const ms =
    (n(args[0]) + n(kwargs.days)) * DAY_MS +
    (n(args[1]) + n(kwargs.seconds)) * 1000 +
    n(kwargs.microseconds) / 1000 +
    n(kwargs.milliseconds) +
    n(kwargs.minutes) * 60_000 +
    n(kwargs.hours) * 3_600_000 +
    n(kwargs.weeks) * 7 * DAY_MS;
  return new PyTimedelta(ms);
}

function parseIso(text: string, withTime: boolean): PyDatetime {
  const normalized = /[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text.replace(' ', 'T')}Z`;
  const date = new Date(normalized);
  if (Number.isNaN(date.getTime())) throw new Error(`Invalid isoformat string: '${text}'`);
  return new PyDatetime(date, withTime);
}

/** The object templates see as `modules.datetime`. */
export function datetimeModule(now: () => Date = () => new Date()) {
  const datetime = Object.assign(
    (y: number, m: number, d: number, h = 0, mi = 0, s = 0) =>
      new PyDatetime(new Date(Date.UTC(y, m - 1, d, h, mi, s))),
    {
      now: () => new PyDatetime(now()),
      utcnow: () => new PyDatetime(now()),
      today: () => new PyDatetime(now()),
      fromisoformat: (text: string) => parseIso(text, true),
      strptime: (text: string) => parseIso(text, true),
    },
  );
  const date = Object.assign(
    (y: number, m: number, d: number) => new PyDatetime(new Date(Date.UTC(y, m - 1, d)), false),
    {
      today: () => new PyDatetime(now(), true).date(),
      fromisoformat: (text: string) => parseIso(text, false),
    },
  );
  return { datetime, date, timedelta, timezone: { utc: 'UTC' } };
}
