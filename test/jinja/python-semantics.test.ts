/** Python values, operators, str/list/dict methods and rendering. */
import { isTruthy, pyStr, PyFloat } from '../../src/jinja/engine';
import { render } from './helpers';

describe('rendering values the Python way', () => {
  it('renders None, booleans, lists, tuples and dicts like str()', () => {
    expect(
      render('{{ x }}|{{ t }}|{{ l }}|{{ (1,) }}|{{ d }}', {
        x: null,
        t: true,
        l: ['a', 1],
        d: { a: "it's" },
      }),
    ).toBe(`None|True|['a', 1]|(1,)|{'a': "it's"}`);
  });

  it('keeps integral floats as floats (3.0, 10 / 2) but JS numbers from the context as ints', () => {
    expect(render('{{ 3.0 }}|{{ 10 / 2 }}|{{ 7 // 2 }}|{{ x * 1.5 }}|{{ x }}', { x: 2 })).toBe(
      '3.0|5.0|3|3.0|2',
    );
    expect(pyStr(new PyFloat(2))).toBe('2.0');
  });

  it('follows Python truthiness and deep equality', () => {
    expect([[], {}, '', 0, null, undefined].map(isTruthy)).toEqual([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(
      render("{% macro e() %}{% endmacro %}{{ 'T' if e() else 'F' }}{{ [1] == [1] }}{{ 1 < x < 3 }}", {
        x: 5,
      }),
    ).toBe('FTrueFalse');
  });

  it('formats with % and str.format, repeats with *, concatenates lists with +', () => {
    expect(
      render("{{ '%s-%05.1f' % ('a', 2.25) }}|{{ '{}.{x}'.format(1, x=2) }}|{{ '-' * 3 }}|{{ [1] + [2] }}"),
    ).toBe('a-002.2|1.2|---|[1, 2]');
  });

  it('supports negative indexes, slices and membership on sets', () => {
    expect(
      render("{{ 'abcdef'[2:] }}|{{ [1,2,3][-1] }}|{{ [1,2,3][::-1] }}|{{ 'a' in s }}", {
        s: new Set(['a']),
      }),
    ).toBe('cdef|3|[3, 2, 1]|True');
  });
});

describe('Python methods', () => {
  it('implements str methods with Python semantics', () => {
    expect(render("{{ 'a b  c'.split() }}{{ 'pkg.a.b'.split('.', 1) }}{{ 'a-a-a'.replace('-', '_') }}")).toBe(
      "['a', 'b', 'c']['pkg', 'a.b']a_a_a",
    );
    expect(
      render("{{ ' x '.strip() }}|{{ 'ab cd'.title() }}|{{ '12'.isdigit() }}|{{ ', '.join(['a', 'b']) }}"),
    ).toBe('x|Ab Cd|True|a, b');
  });

  it('implements list and dict methods', () => {
    const tpl =
      '{% set l = [1] %}{% do l.extend([2, 3]) %}{% do l.insert(0, 0) %}{{ l.pop() }}{{ l }}|' +
      "{% set d = {'a': 1} %}{% do d.update({'b': 2}) %}{{ d.get('z', 'dflt') }}{{ d.setdefault('c', 3) }}{{ d.items() | list }}";
    expect(render(tpl)).toBe("3[0, 1, 2]|dflt3[('a', 1), ('b', 2), ('c', 3)]");
  });

  it("lets an object's own methods win over the Python ones", () => {
    const config = { get: (k: string) => `own:${k}` };
    class Col {
      values() {
        return [1, 2];
      }
    }
    expect(render("{{ config.get('x') }}|{{ col.values() | join(',') }}", { config, col: new Col() })).toBe(
      'own:x|1,2',
    );
  });
});
