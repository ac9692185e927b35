/** The custom scalars: Postgres text in, ISO/JSON-safe strings out; inputs validated. */
import { BigIntScalar, DateScalar, DateTimeScalar } from '../../../src/graphql/schema';
import { isoDateTime } from '../../../src/warehouse';
import { fieldName, typeName, enumValueName } from '../../../src/graphql/schema';

describe('scalars', () => {
  it('DateTime turns Postgres text into ISO-8601, keeping microseconds and offsets', () => {
    expect(isoDateTime('2024-05-01 12:00:00.123456+00')).toBe('2024-05-01T12:00:00.123456Z');
    expect(isoDateTime('2024-05-01 12:00:00+05:30')).toBe('2024-05-01T12:00:00+05:30');
    expect(isoDateTime('2024-05-01 12:00:00-03')).toBe('2024-05-01T12:00:00-03:00');
    expect(isoDateTime('2024-05-01 12:00:00')).toBe('2024-05-01T12:00:00');
    expect(DateTimeScalar.parseValue('2024-05-01T12:00:00Z')).toBe('2024-05-01T12:00:00Z');
    expect(() => DateTimeScalar.parseValue("2024-05-01'; drop table x; --")).toThrow(/DateTime cannot represent/);
  });

  it('BigInt is exact as a string both ways', () => {
    expect(BigIntScalar.serialize(9007199254740993n)).toBe('9007199254740993');
    expect(BigIntScalar.serialize(42)).toBe('42');
    expect(BigIntScalar.parseValue('9007199254740993')).toBe('9007199254740993');
    expect(() => BigIntScalar.parseValue('1 or 1=1')).toThrow(/BigInt cannot represent/);
    expect(() => BigIntScalar.parseValue(1.5)).toThrow();
  });

  it('Date accepts only calendar dates', () => {
    expect(DateScalar.parseValue('2024-02-29')).toBe('2024-02-29');
    expect(() => DateScalar.parseValue('2024-02-30x')).toThrow();
  });
});

describe('names', () => {
  it('uses GraphQL casing', () => {
    expect(typeName('customer_clv')).toBe('CustomerClv');
    expect(fieldName('customer_clv')).toBe('customerClv');
    expect(fieldName('_inputs_loaded_at')).toBe('inputsLoadedAt');
    expect(enumValueName('customer_clv')).toBe('CUSTOMER_CLV');
    expect(typeName('7day_retention')).toBe('_7dayRetention');
  });
});
