/**
 * Database errors across the thread boundary: the worker flattens whatever its driver threw into a
 * `WireError`; the main thread turns that into a `MartqlError` whose `data` keeps every field
 * Postgres sent (SQLSTATE, detail, hint, position, schema, table, column, constraint, ...).
 */
import { MartqlError } from '../errors';
import type { WireError } from './protocol';

/** Thrown in the worker when a synchronous request would wait on something only the main thread can end. */
export class WouldDeadlockError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

/** Thrown in the worker for misuse (an unknown session, a closed warehouse). */
export class InternalError extends Error {}

// The ErrorResponse fields pg and PGlite both copy onto their DatabaseError.
const FIELDS = [
  'severity',
  'code',
  'detail',
  'hint',
  'position',
  'internalPosition',
  'internalQuery',
  'where',
  'schema',
  'table',
  'column',
  'dataType',
  'constraint',
  'routine',
] as const;

function isDatabaseError(err: unknown): err is Error & Record<string, unknown> {
  return (
    err instanceof Error && typeof (err as any).severity === 'string' && typeof (err as any).code === 'string'
  );
}

export function toWireError(err: unknown): WireError {
  if (err instanceof WouldDeadlockError)
    return { kind: 'deadlock', message: err.message, fields: { hint: err.hint } };
  if (err instanceof InternalError) return { kind: 'internal', message: err.message, fields: {} };
  if (isDatabaseError(err)) {
    const fields: WireError['fields'] = {};
    for (const key of FIELDS) {
      const value = err[key];
      if (value === undefined || value === null || value === '') continue;
      fields[key] = key === 'position' || key === 'internalPosition' ? Number(value) : String(value);
    }
    return { kind: 'database', message: err.message, fields };
  }
  // A TypeError or RangeError out of the worker's own code (or a driver's) is a bug, not a lost
  // connection: reported as internal, named by its class, so it is not mistaken for the network.
  if (isProgrammingError(err))
    return { kind: 'internal', message: `${err.name}: ${err.message}`, fields: {} };
  const message = err instanceof Error ? err.message : String(err);
  const code = (err as { code?: unknown } | null)?.code;
  return { kind: 'connection', message, fields: typeof code === 'string' ? { errno: code } : {} };
}

function isProgrammingError(err: unknown): err is Error {
  return (
    err instanceof TypeError ||
    err instanceof RangeError ||
    err instanceof ReferenceError ||
    err instanceof SyntaxError ||
    err instanceof EvalError ||
    err instanceof URIError
  );
}

/** The MartqlError for a failed request. `data.sqlstate` is set only for errors Postgres raised. */
export function fromWireError(wire: WireError): MartqlError {
  const { code, hint, ...rest } = wire.fields;
  const hintText = hint === undefined ? undefined : String(hint);
  switch (wire.kind) {
    case 'database':
      return new MartqlError('DATABASE', wire.message, {
        hint: hintText,
        data: { sqlstate: code, ...(hintText === undefined ? {} : { hint: hintText }), ...rest },
      });
    case 'deadlock':
      return new MartqlError('DATABASE', wire.message, {
        hint: hintText,
        data: { reason: 'would-deadlock' },
      });
    case 'connection':
      return new MartqlError('DATABASE', wire.message, { data: { reason: 'connection', ...rest } });
    case 'internal':
      return new MartqlError('INTERNAL', wire.message);
    default: {
      const never: never = wire.kind;
      return new MartqlError('INTERNAL', `unknown warehouse error kind ${String(never)}`);
    }
  }
}
