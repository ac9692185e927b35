import { MartqlError } from '../../src/errors';
import { inferColumnTypes } from '../../src/seed';
import { seedColumns } from '../../src/seed/seed-columns';
import { classify, Kind } from '../../src/seed/value-kind';

const kindOf = (v: string) => {
  const b = Buffer.from(v);
  return classify(b, 0, b.length);
};

describe('value kinds', () => {
  const cases: [string, Kind][] = [
    ['0', Kind.Int4],
    ['-42', Kind.Int4],
    ['+7', Kind.Int4],
    ['007', Kind.Int4],
    ['2147483647', Kind.Int4],
    ['-2147483648', Kind.Int4],
    ['2147483648', Kind.Int8],
    ['-2147483649', Kind.Int8],
    ['0000000000000000000001', Kind.Int4],
    ['9223372036854775807', Kind.Int8],
    ['-9223372036854775808', Kind.Int8],
    ['9223372036854775808', Kind.Numeric],
    ['123456789012345678901234567890', Kind.Numeric],
    ['1.5', Kind.Numeric],
    ['-.5', Kind.Numeric],
    ['5.', Kind.Numeric],
    ['1e10', Kind.Numeric],
    ['2.5E-3', Kind.Numeric],
    ['1e9999', Kind.Text],
    ['1e', Kind.Text],
    ['.', Kind.Text],
    ['-', Kind.Text],
    ['1,000', Kind.Text],
    ['NaN', Kind.Text],
    [' 1', Kind.Text],
    ['true', Kind.Bool],
    ['FALSE', Kind.Bool],
    ['True', Kind.Bool],
    ['yes', Kind.Text],
    ['t', Kind.Text],
    ['2024-02-29', Kind.Date],
    ['2023-02-29', Kind.Text],
    ['2024-13-01', Kind.Text],
    ['0000-01-01', Kind.Text],
    ['2024-1-5', Kind.Text],
    ['2024-01-02 03:04:05', Kind.Timestamp],
    ['2024-01-02T03:04', Kind.Timestamp],
    ['2024-01-02 03:04:05.123456', Kind.Timestamp],
    ['2024-01-02 24:00:00', Kind.Text],
    ['2024-01-02 03:04:05Z', Kind.TimestampTz],
    ['2024-01-02T03:04:05.5+05:30', Kind.TimestampTz],
    ['2024-01-02 03:04:05-0800', Kind.TimestampTz],
    ['2024-01-02 03:04:05+02', Kind.TimestampTz],
    ['2024-01-02 03:04:05+2', Kind.Text],
    ['2024-01-02x', Kind.Text],
    ['hello', Kind.Text],
  ];
  it.each(cases)('%s', (value, kind) => expect(kindOf(value)).toBe(kind));
});

describe('inferColumnTypes', () => {
  const infer = (values: string[]) =>
    inferColumnTypes(
      ['c'],
      values.map((v) => [v]),
    )[0].type;

  it.each([
    [['1', '2', ''], 'integer'],
    [['1', '3000000000'], 'bigint'],
    [['1', '2.5'], 'numeric'],
    [['1', '99999999999999999999'], 'numeric'],
    [['true', 'False', ''], 'boolean'],
    [['2024-01-01', ''], 'date'],
    [['2024-01-01', '2024-01-01 10:00:00'], 'timestamp'],
    [['2024-01-01 10:00:00', '2024-01-01T10:00:00Z'], 'timestamptz'],
    [['2024-01-01', '2024-01-01 10:00:00+01:00'], 'timestamptz'],
    [['1', 'true'], 'text'],
    [['1', '2024-01-01'], 'text'],
    [['1', '2', 'n/a'], 'text'],
    [['true', 'maybe'], 'text'],
    [['', ''], 'text'],
    [[], 'text'],
  ])('%j is %s', (values, type) => expect(infer(values as string[])).toBe(type));

  it('looks at every value, not a sample', () => {
    const values = Array.from({ length: 50_000 }, (_, i) => String(i));
    values.push('not a number');
    expect(infer(values)).toBe('text');
  });

  it('types several columns independently', () => {
    expect(
      inferColumnTypes(
        ['id', 'name', 'ok'],
        [
          ['1', 'a', 'true'],
          ['2', '', 'false'],
        ],
      ),
    ).toEqual([
      { name: 'id', type: 'integer' },
      { name: 'name', type: 'text' },
      { name: 'ok', type: 'boolean' },
    ]);
  });
});

describe('seedColumns', () => {
  const base = {
    path: 'seeds/x.csv',
    header: ['Id', 'Zip', 'Amount'],
    kinds: [Kind.Int4, Kind.Int4, Kind.Numeric],
  };

  it('applies column_types over inference, matching names case-insensitively', () => {
    expect(seedColumns({ ...base, columnTypes: { zip: 'varchar(5)', Amount: 'numeric(12, 2)' } })).toEqual([
      { name: 'Id', type: 'integer' },
      { name: 'Zip', type: 'varchar(5)' },
      { name: 'Amount', type: 'numeric(12, 2)' },
    ]);
  });

  it('prefers an exact key over a case-insensitive one', () => {
    const cols = seedColumns({ ...base, columnTypes: { ZIP: 'text', Zip: 'varchar(9)' } });
    expect(cols[1].type).toBe('varchar(9)');
  });

  it('accepts multi-word and array types, rejects SQL', () => {
    expect(
      seedColumns({ ...base, columnTypes: { id: 'timestamp(3) with time zone', zip: 'int[]' } }).map(
        (c) => c.type,
      ),
    ).toEqual(['timestamp(3) with time zone', 'int[]', 'numeric']);
    expect(() => seedColumns({ ...base, columnTypes: { id: 'int); drop table x; --' } })).toThrow(
      MartqlError,
    );
  });

  it('folds names like unquoted identifiers when quote_columns is false', () => {
    expect(seedColumns({ ...base, quoteColumns: false }).map((c) => c.name)).toEqual(['id', 'zip', 'amount']);
    expect(seedColumns({ ...base }).map((c) => c.name)).toEqual(['Id', 'Zip', 'Amount']);
  });

  it('rejects duplicate and empty header names', () => {
    expect(() => seedColumns({ ...base, header: ['a', 'A', 'b'], quoteColumns: false })).toThrow(
      /both named "a"/,
    );
    expect(() => seedColumns({ ...base, header: ['a', ' ', 'b'] })).toThrow(/column 2 has no name/);
  });
});
