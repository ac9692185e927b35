/**
 * Rows written as JSON text from each value's text (warehouse/json-rows.ts). The oracle is what the
 * object path does with the same text: decode it as the driver would, then JSON.stringify the
 * objects. Then through a real warehouse: `queryJsonRows` against `query` on the same statement.
 */
import {
  encodeJsonRows,
  type JsonCodec,
  type JsonRowEncoding,
  type JsonRows,
} from '../../src/warehouse/json-rows';
import { isoDateTime } from '../../src/warehouse';
import { prng } from '../helpers/prng';
import { openTestWarehouse } from '../helpers/warehouse';

/** What the driver and the GraphQL scalars make of a value's text, per codec. */
const DECODE: Record<JsonCodec, (text: string) => unknown> = {
  raw: (text) => JSON.parse(text),
  quoted: (text) => text,
  string: (text) => text,
  number: (text) => {
    const n = Number(text);
    return Number.isFinite(n) ? n : text;
  },
  boolean: (text) => text === 't',
  datetime: (text) => isoDateTime(text),
  json: (text) => JSON.parse(text),
};

const textOf = (rows: JsonRows) => Buffer.from(rows.bytes).toString('utf8');

function oracle(rows: (string | null)[][], encoding: JsonRowEncoding): string {
  return JSON.stringify(
    rows.map((row) => {
      let column = 0;
      const object: Record<string, unknown> = {};
      for (const field of encoding.fields) {
        if ('constant' in field) object[field.key] = field.constant;
        else {
          const text = row[column++];
          object[field.key] = text === null ? null : DECODE[field.codec](text);
        }
      }
      return object;
    }),
  );
}

const SAMPLES: Record<JsonCodec, string[]> = {
  raw: ['0', '-2147483648', '2147483647', '17', '"é日本"'],
  quoted: ['9007199254740993', '-9223372036854775808', '12.3400', 'NaN'],
  string: [
    '',
    'plain',
    'quote " and \\ backslash',
    'ctl \u0001\t\n end',
    'é日本🎉',
    'ascii then é',
    'lone \ud800 surrogate',
    '</script>',
    '\u2028',
    // Longer than the first buffer: it must grow.
    `${'x'.repeat(70_000)}é`,
  ],
  number: [
    '0',
    '-0',
    '1e-07',
    '1e+21',
    '5e-324',
    '3.4e+38',
    '0.1',
    '-1.5',
    'NaN',
    'Infinity',
    '-Infinity',
    // numeric's spellings, read as a Float: trailing zeros, small and long values.
    '0.500000000000',
    '100.00',
    '0.000001',
    '0.0000001',
    '-0.00000012',
    '9999999999999999',
    '123456789012345',
    '0.30000000000000004',
    '123456789012345678901234567890.123',
  ],
  boolean: ['t', 'f'],
  datetime: [
    '2024-05-01 12:00:00+00',
    '2024-05-01 12:00:00.123456+00',
    '2024-05-01 12:00:00.5+05:30',
    '1999-12-31 23:59:59.999-08',
    '2024-05-01 12:00:00',
    '0001-01-01 00:00:00+00 BC',
    'infinity',
    '-infinity',
    '2024-05-01 12:00:00+00 "not" a timestamp+00',
  ],
  json: ['{"b": 1, "a": [1.0, 2.50, {"c": null}]}', '"str"', 'null', '[]', '12345678901234567890'],
};
const CODECS = Object.keys(SAMPLES) as JsonCodec[];

describe('encodeJsonRows', () => {
  it('writes what JSON.stringify writes of the decoded rows, for random rows of every codec', () => {
    const random = prng(20261122);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
    for (let k = 0; k < 300; k++) {
      const encoding: JsonRowEncoding = { fields: [] };
      const width = Math.floor(random() * 6);
      for (let f = 0; f < width; f++) {
        encoding.fields.push(
          random() < 0.15
            ? { key: `k${f}`, constant: pick(['Edge', 'a "b"']) }
            : { key: `k${f}`, codec: pick(CODECS) },
        );
      }
      const rows = Array.from({ length: Math.floor(random() * 4) }, () =>
        encoding.fields.flatMap((field) =>
          'constant' in field ? [] : [random() < 0.1 ? null : pick(SAMPLES[field.codec])],
        ),
      );
      const { bytes, count } = encodeJsonRows(rows, encoding);
      const text = Buffer.from(bytes).toString('utf8');
      expect(count).toBe(rows.length);
      expect(text).toBe(oracle(rows, encoding));
    }
  });

  it('writes random text as JSON.stringify does: escapes, non-ASCII, surrogates, long values', () => {
    // The ASCII fast paths copy characters and hand anything else to JSON.stringify; a value that
    // switches path part-way (an escape after plain text, é after digits) must come out whole.
    const random = prng(7);
    const POOL = [
      'a',
      'Z',
      '0',
      '9',
      ' ',
      '"',
      '\\',
      '/',
      '\u0000',
      '\u001f',
      '\n',
      '\u007f',
      'é',
      '日',
      '\u2028',
      '🎉',
      '\ud800',
      '\udfff',
      '+',
      '-',
      ':',
      '.',
      'T',
    ];
    const text = (max: number) =>
      Array.from({ length: Math.floor(random() * max) }, () => POOL[Math.floor(random() * POOL.length)]).join(
        '',
      );
    const encoding: JsonRowEncoding = {
      fields: [
        { key: 's', codec: 'string' },
        { key: 'r', codec: 'raw' },
        { key: 'é', codec: 'string' },
      ],
    };
    for (let k = 0; k < 200; k++) {
      const rows = Array.from({ length: 1 + Math.floor(random() * 20) }, () => [
        text(k < 190 ? 12 : 40_000),
        JSON.stringify(text(12)),
        random() < 0.5 ? 'plain' : text(5),
      ]);
      expect(textOf(encodeJsonRows(rows, encoding))).toBe(oracle(rows, encoding));
    }
  });

  it('writes timestamps as isoDateTime does, for the UTC shape and texts one character off it', () => {
    const random = prng(11);
    const VALID = ['2024-05-01 12:00:00+00', '2024-05-01 12:00:00.123456+00', '1999-12-31 23:59:59.5+00'];
    const CHARS = ['0', '5', '9', '-', ':', ' ', '.', '+', 'x', 'é', '/'];
    const texts = [...VALID, '2024-05-01 12:00:00.+00', '12024-05-01 12:00:00+00', '2024-05-01 12:00:00+0'];
    for (let k = 0; k < 2000; k++) {
      const base = VALID[k % VALID.length];
      const at = Math.floor(random() * base.length);
      const edit = CHARS[Math.floor(random() * CHARS.length)];
      const kind = random();
      // Replace, insert or delete one character.
      texts.push(
        base.slice(0, at) + (kind < 0.8 ? edit : '') + base.slice(at + (kind < 0.4 || kind >= 0.8 ? 1 : 0)),
      );
    }
    const encoding: JsonRowEncoding = { fields: [{ key: 't', codec: 'datetime' }] };
    const rows = texts.map((t) => [t]);
    expect(textOf(encodeJsonRows(rows, encoding))).toBe(oracle(rows, encoding));
  });

  it('writes values longer as JSON than as text wherever they land against the buffer end', () => {
    // The page buffer grows when a write needs room. Values whose JSON is longer than their text
    // (CJK, 1e+20 spelled out, non-ASCII json) are placed at every offset across each of the first
    // two growth points by a padding row one byte longer each time. Before the fix, a row reserved
    // room once, from its values' lengths, and such a value ran off the end.
    const VALUES: [JsonCodec, string][] = [
      ['string', '東京都渋谷区の顧客'.repeat(5)],
      ['number', '1e+20'],
      ['json', '{"名前": "日本語のテキスト", "n": 1e20}'],
      ['raw', '"日本語のテキスト日本語のテキスト"'],
    ];
    for (const [codec, value] of VALUES) {
      const encoding: JsonRowEncoding = {
        fields: [
          { key: 'pad', codec: 'string' },
          { key: 'v', codec },
          { key: 'w', codec },
          { key: 'end', codec: 'raw' },
        ],
      };
      for (const boundary of [64 * 1024, 128 * 1024]) {
        for (let shift = 0; shift < 160; shift++) {
          const rows = [
            ['x'.repeat(boundary - 200 + shift), null, null, '0'],
            ...Array.from({ length: 4 }, () => ['', value, value, '1']),
          ];
          expect(textOf(encodeJsonRows(rows, encoding))).toBe(oracle(rows, encoding));
        }
      }
    }
  });

  it('writes non-finite numbers as strings and -0 as 0', () => {
    const encoding: JsonRowEncoding = { fields: [{ key: 'x', codec: 'number' }] };
    expect(textOf(encodeJsonRows([['NaN'], ['-Infinity'], ['-0']], encoding))).toBe(
      '[{"x":"NaN"},{"x":"-Infinity"},{"x":0}]',
    );
  });

  it('writes a row of constants only, and no rows', () => {
    const encoding: JsonRowEncoding = { fields: [{ key: '__typename', constant: 'Edge' }] };
    expect(textOf(encodeJsonRows([[null], [null]], encoding))).toBe(
      '[{"__typename":"Edge"},{"__typename":"Edge"}]',
    );
    expect(textOf(encodeJsonRows([], encoding))).toBe('[]');
    expect(textOf(encodeJsonRows([[]], { fields: [] }))).toBe('[{}]');
  });
});

describe('queryJsonRows', () => {
  it('answers the rows query answers, through the worker, on each value as the wire sends it', async () => {
    const { wh, cleanup } = await openTestWarehouse();
    try {
      const sql = `select i, b, f, r, t, flag, ts, doc from (values
          (1, 9007199254740993::int8, 1e-7::float8, 3.4e38::real, 'a"b', true, '2024-05-01 12:00:00+00'::timestamptz, '{"a": 1.0}'::jsonb),
          (null, null, '-0'::float8, null, null, null, null, null)) as v(i, b, f, r, t, flag, ts, doc)
        where $1::int = 1 order by i nulls last`;
      const codecs: JsonCodec[] = [
        'raw',
        'quoted',
        'number',
        'number',
        'string',
        'boolean',
        'datetime',
        'json',
      ];
      const encoding: JsonRowEncoding = {
        fields: [
          { key: '__typename', constant: 'T' },
          ...codecs.map((codec, i) => ({ key: `c${i}`, codec })),
        ],
      };
      const result = await wh.queryJsonRows(sql, [1], encoding);
      const [text, count] = [textOf(result), result.count];
      expect(count).toBe(2);
      expect(JSON.parse(text)).toEqual([
        {
          __typename: 'T',
          c0: 1,
          c1: '9007199254740993',
          c2: 1e-7,
          c3: 3.4e38,
          c4: 'a"b',
          c5: true,
          c6: expect.stringMatching(/^2024-05-01T\d\d:00:00(Z|[+-]\d\d:\d\d)$/),
          c7: { a: 1 },
        },
        { __typename: 'T', c0: null, c1: null, c2: 0, c3: null, c4: null, c5: null, c6: null, c7: null },
      ]);
      // The same statement through query: decoded by the driver, serialized as the GraphQL scalars
      // do (BigInt as digits, DateTime as ISO-8601), written by JSON.stringify.
      const { rows } = await wh.query<Record<string, unknown>>(sql, [1]);
      const serialize = (column: string, value: unknown) =>
        value === null
          ? null
          : column === 'b'
            ? String(value)
            : column === 'ts'
              ? isoDateTime(String(value))
              : value;
      const fromObjects = rows.map((row) => ({
        __typename: 'T',
        ...Object.fromEntries(
          Object.entries(row).map(([column, value], i) => [`c${i}`, serialize(column, value)]),
        ),
      }));
      expect(text).toBe(JSON.stringify(fromObjects));
    } finally {
      await cleanup();
    }
  });

  it('fails as the statement does when it fails after some rows, and the warehouse goes on', async () => {
    const { wh, cleanup } = await openTestWarehouse();
    try {
      const encoding: JsonRowEncoding = { fields: [{ key: 'x', codec: 'raw' }] };
      const failing = 'select (1 / (3 - i))::int4 from generate_series(1, 5) as i';
      await expect(wh.queryJsonRows(failing, [], encoding)).rejects.toThrow(/division by zero/);
      // Malformed json for the json codec fails the read (its parse throws inside the row handler).
      await expect(
        wh.queryJsonRows("select '{' as j from generate_series(1, 3)", [], {
          fields: [{ key: 'j', codec: 'json' }],
        }),
      ).rejects.toThrow(/JSON/);
      const ok = await wh.queryJsonRows('select i::int4 from generate_series(1, 3) as i', [], encoding);
      expect(textOf(ok)).toBe('[{"x":1},{"x":2},{"x":3}]');
    } finally {
      await cleanup();
    }
  });
});
