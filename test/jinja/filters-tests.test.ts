/** Filters and `is` tests with Jinja's keyword arguments and Python types. */
import { createJinjaEngine } from '../../src/jinja/engine';
import { render } from './helpers';

const cols = [
  { name: 'b', t: 'x', n: 2 },
  { name: 'a', t: 'y', n: 1 },
];

describe('filters', () => {
  it('handles attribute= arguments', () => {
    expect(
      render(
        "{{ cols | join(', ', attribute='name') }}|{{ cols | sum(attribute='n') }}|{{ cols | map(attribute='name') | list }}",
        { cols },
      ),
    ).toBe("b, a|3|['b', 'a']");
    expect(
      render(
        "{{ (cols | sort(attribute='name') | first).name }}|{{ cols | selectattr('t', 'equalto', 'y') | map(attribute='name') | join }}",
        { cols },
      ),
    ).toBe('a|a');
  });

  it('groups Jinja-style and serialises JSON like Python', () => {
    expect(
      render("{% for g in cols | groupby('t') %}{{ g.grouper }}{{ g.list | length }};{% endfor %}", { cols }),
    ).toBe('x1;y1;');
    expect(render("{{ {'b': [1, 'x'], 'a': none} | tojson }}")).toBe('{"a": null, "b": [1, "x"]}');
  });

  it('converts numbers like Jinja', () => {
    expect(
      render(
        "{{ '42' | int + 1 }}|{{ 'x' | int }}|{{ '1.5' | float * 2 }}|{{ 2.5 | round }}|{{ 2.567 | round(2) }}",
      ),
    ).toBe('43|0|3.0|2.0|2.57');
  });

  it('renders default() for undefined only, unless boolean=true', () => {
    expect(
      render("{{ missing | default('d') }}|{{ n | default('d') }}|{{ '' | d('e', true) }}", { n: null }),
    ).toBe('d|None|e');
  });

  it('accepts extra filters and tests from options', () => {
    const e = createJinjaEngine({
      filters: { shout: (s: string) => `${s}!` },
      tests: { short: (s: unknown) => String(s).length < 3 },
    });
    expect(e.render(e.compile("{{ 'hi' | shout }}{{ 'ab' is short }}", 'x.sql'), {})).toBe('hi!True');
  });
});

describe('tests (is ...)', () => {
  it('uses Python’s type model', () => {
    const tpl =
      '{% macro m() %}x{% endmacro %}{{ m() is string }}{{ d is mapping }}{{ l is sequence }}{{ true is number }}' +
      '{{ true is integer }}{{ 3.0 is float }}{{ none is none }}{{ missing is defined }}';
    expect(render(tpl, { d: {}, l: [] })).toBe('TrueTrueTrueTrueFalseTrueTrueFalse');
  });

  it('accepts bare arguments and the in test', () => {
    expect(render("{{ 6 is divisibleby 3 }}{{ 'a' is in ['a'] }}{{ x is sameas none }}", { x: null })).toBe(
      'TrueTrueTrue',
    );
  });
});
