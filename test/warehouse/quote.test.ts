import { MartqlError } from '../../src/errors';
import { qualify, quoteIdent, quoteLiteral } from '../../src/warehouse';

describe('quoting (pure)', () => {
  it.each([
    ['orders', '"orders"'],
    ['Mixed Case', '"Mixed Case"'],
    ['we"ird', '"we""ird"'],
    ['""', '""""""'],
    ['select', '"select"'],
  ])('quoteIdent(%j) is %s', (name, quoted) => {
    expect(quoteIdent(name)).toBe(quoted);
  });

  it('qualifies schema and name', () => {
    expect(qualify('my schema', 'Ta"ble')).toBe('"my schema"."Ta""ble"');
  });

  it.each([
    ['plain', "'plain'"],
    ["it's", "'it''s'"],
    ['back\\slash', "E'back\\\\slash'"],
    ["both\\'", "E'both\\\\'''"],
    ['', "''"],
  ])('quoteLiteral(%j) is %s', (value, quoted) => {
    expect(quoteLiteral(value)).toBe(quoted);
  });

  it('rejects what Postgres cannot represent', () => {
    expect(() => quoteIdent('')).toThrow(MartqlError);
    expect(() => quoteIdent('a\0b')).toThrow(/NUL/);
    expect(() => quoteLiteral('a\0b')).toThrow(/NUL/);
  });
});
