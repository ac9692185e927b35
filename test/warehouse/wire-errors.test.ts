/**
 * What crosses the worker boundary when a request fails: database errors keep Postgres's fields,
 * network failures are `connection`, and a bug in JavaScript (a RangeError, a TypeError) is
 * `internal`, never reported as a lost connection.
 */
import { MartqlError } from '../../src/errors';
import { fromWireError, toWireError } from '../../src/warehouse/errors';

const across = (err: unknown): MartqlError => fromWireError(toWireError(err));

describe('warehouse errors across the worker boundary', () => {
  it('a RangeError or TypeError from code is internal and keeps its class in the message', () => {
    const range = toWireError(new RangeError('offset is out of bounds'));
    expect(range).toEqual({ kind: 'internal', message: 'RangeError: offset is out of bounds', fields: {} });
    const typeError = across(new TypeError("Cannot read properties of undefined (reading 'length')"));
    expect(typeError.code).toBe('INTERNAL');
    expect(typeError.message).toBe("TypeError: Cannot read properties of undefined (reading 'length')");
  });

  it('a socket failure is a connection error with its errno', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(toWireError(refused)).toEqual({
      kind: 'connection',
      message: 'connect ECONNREFUSED 127.0.0.1:5432',
      fields: { errno: 'ECONNREFUSED' },
    });
    const ended = across(new Error('Connection terminated unexpectedly'));
    expect(ended.code).toBe('DATABASE');
    expect(ended.data).toEqual({ reason: 'connection' });
  });

  it('a database error keeps its SQLSTATE and fields', () => {
    const db = Object.assign(new Error('division by zero'), {
      severity: 'ERROR',
      code: '22012',
      position: '8',
    });
    const err = across(db);
    expect(err.code).toBe('DATABASE');
    expect(err.data).toEqual({ sqlstate: '22012', severity: 'ERROR', position: 8 });
  });
});
