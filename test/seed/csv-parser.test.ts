import { CsvScanner, CsvSyntaxError, parseCsv, parseCsvStream } from '../../src/seed';

describe('parseCsv', () => {
  const cases: [string, string, string[][]][] = [
    [
      'simple',
      'a,b\n1,2\n',
      [
        ['a', 'b'],
        ['1', '2'],
      ],
    ],
    [
      'no trailing newline',
      'a,b\n1,2',
      [
        ['a', 'b'],
        ['1', '2'],
      ],
    ],
    [
      'CRLF',
      'a,b\r\n1,2\r\n',
      [
        ['a', 'b'],
        ['1', '2'],
      ],
    ],
    [
      'lone CR line ends',
      'a,b\r1,2\r',
      [
        ['a', 'b'],
        ['1', '2'],
      ],
    ],
    [
      'BOM',
      '\ufeffa,b\n1,2\n',
      [
        ['a', 'b'],
        ['1', '2'],
      ],
    ],
    [
      'quoted delimiter',
      'a,b\n"x,y",2\n',
      [
        ['a', 'b'],
        ['x,y', '2'],
      ],
    ],
    ['doubled quotes', 'a\n"say ""hi"""\n', [['a'], ['say "hi"']]],
    [
      'embedded LF and CRLF',
      'a,b\n"l1\nl2","m1\r\nm2"\n',
      [
        ['a', 'b'],
        ['l1\nl2', 'm1\r\nm2'],
      ],
    ],
    [
      'empty fields, quoted and not',
      'a,b,c\n,"",\n',
      [
        ['a', 'b', 'c'],
        ['', '', ''],
      ],
    ],
    ['blank lines skipped', 'a\n\n1\n\r\n2\n\n', [['a'], ['1'], ['2']]],
    ['unicode', 'name\nZoë 🚀\n"日本, 東京"\n', [['name'], ['Zoë 🚀'], ['日本, 東京']]],
    [
      'quoted field last, no newline',
      'a,b\n1,"x"',
      [
        ['a', 'b'],
        ['1', 'x'],
      ],
    ],
    ['header only', 'a,b\n', [['a', 'b']]],
    ['empty input', '', []],
    [
      'spaces kept',
      'a, b\n 1 ,2\n',
      [
        ['a', ' b'],
        [' 1 ', '2'],
      ],
    ],
  ];
  it.each(cases)('%s', (_name, input, expected) => {
    expect(parseCsv(input)).toEqual(expected);
  });

  it('honours another delimiter', () => {
    expect(parseCsv('a|b\n"x|y"|2,3\n', { delimiter: '|' })).toEqual([
      ['a', 'b'],
      ['x|y', '2,3'],
    ]);
    expect(parseCsv('a\tb\n1\t2\n', { delimiter: '\t' })).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('rejects a delimiter COPY cannot use', () => {
    expect(() => parseCsv('a', { delimiter: ';;' })).toThrow(/delimiter/);
    expect(() => parseCsv('a', { delimiter: '"' })).toThrow(/delimiter/);
  });

  const errors: [string, string, RegExp, number, number | undefined][] = [
    ['unterminated quote', 'a,b\n1,2\n3,"open\nmore\n', /unterminated quoted field/, 3, 3],
    ['stray quote in unquoted field', 'a,b\n1,ab"c\n', /quote inside an unquoted field/, 2, 5],
    ['text after closing quote', 'a,b\n1,"x" y\n', /after a closing quote/, 2, 6],
    ['text after a multi-line quoted field', 'a\n"x\nyz"q\n', /after a closing quote/, 3, 4],
    ['too many fields', 'a,b\n1,2\n1,2,3\n', /expected 2 fields \(as in the header\), found 3/, 3, undefined],
    ['too few fields', 'a,b\n1,2\n\n"multi\nline"\n', /expected 2 fields.*found 1/, 4, undefined],
  ];
  it.each(errors)('reports %s with its line', (_name, input, message, line, column) => {
    let caught: unknown;
    try {
      parseCsv(input);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(CsvSyntaxError);
    const err = caught as CsvSyntaxError;
    expect(err.reason).toMatch(message);
    expect(err.line).toBe(line);
    expect(err.column).toBe(column);
  });
});

describe('CsvScanner streaming', () => {
  const input = '\ufeffid,"na""me",note\r\n1,"a,b","x\r\ny"\r\n2,,""\r\n3,"日本",z\r\n"4",q,"end"';
  const whole = parseCsv(input);

  it('gives the same records however the bytes are split', () => {
    const bytes = Buffer.from(input);
    for (let cut = 0; cut <= bytes.length; cut++) {
      for (const step of [1, 3]) {
        const records: string[][] = [];
        const scanner = new CsvScanner((r) =>
          records.push(
            Array.from({ length: r.count }, (_, i) =>
              r.buf.toString('utf8', r.starts[i], r.ends[i]).replace(/""/g, '"'),
            ),
          ),
        );
        scanner.push(bytes.subarray(0, cut));
        for (let at = cut; at < bytes.length; at += step) scanner.push(bytes.subarray(at, at + step));
        scanner.end();
        expect(records).toEqual(whole);
      }
    }
  });

  it('reports lines across chunks', () => {
    const scanner = new CsvScanner(() => undefined);
    scanner.push('a,b\n1,"x\n');
    scanner.push('y"\n2,3\n4');
    expect(() => {
      scanner.push(',5,6\n');
      scanner.end();
    }).toThrow(expect.objectContaining({ line: 5 }));
  });

  it('parseCsvStream yields records chunk by chunk', async () => {
    async function* chunks() {
      yield 'a,b\n1,';
      yield '2\n3,4\n';
    }
    const batches: string[][][] = [];
    for await (const batch of parseCsvStream(chunks())) batches.push(batch);
    expect(batches.flat()).toEqual([
      ['a', 'b'],
      ['1', '2'],
      ['3', '4'],
    ]);
  });
});
