/**
 * parseOr's single-operand fast path (parser-patches.ts): an operand followed by an operator must
 * still go through every precedence level, including the prefix ones (`not`, unary `-`/`+`).
 */
import { render } from './helpers';

describe('expression parsing after a pre-read operand', () => {
  it.each([
    ['{{ 1 - 2 }}', '-1'],
    ['{{ 1 + -2 }}', '-1'],
    ['{{ 2 * 3 + 1 }}', '7'],
    ['{{ 2 ** 3 ** 2 }}', '64'], // left-associative, as in Jinja2
    ['{{ 7 // 2 ~ "x" }}', '3x'],
    ["{{ 'a' not in ['b'] }}", 'True'],
    ["{{ 'a' in 'abc' and not false }}", 'True'],
    ['{{ x is none or 1 < 2 < 3 }}', 'True'],
    ["{{ 'ab' | upper ~ 'c' }}", 'ABc'],
    ['{{ [1, 2] | length > 1 }}', 'True'],
    ["{{ 'y' if 0 else 'n' }}", 'n'],
    ["{{ f('a') ~ f('b') }}", '<a><b>'],
    ['{{ (1, 2)[1] + {"k": 3}.k }}', '5'],
    ['{{ g(1, b=-2, c=not 1) }}', '1|-2|False'],
    ['{% set a, b = 1, 2 %}{{ a - b }}', '-1'],
    ['{% for i in [3, 1] if i > 2 %}{{ i }}{% endfor %}', '3'],
    ["{{ {'a': 1 - 1, 'b': 'x' ~ 'y'} | tojson }}", '{"a": 0, "b": "xy"}'],
  ])('%s', (tpl, out) => {
    const f = (s: string) => `<${s}>`;
    const g = (...args: unknown[]) => {
      const kw = args.pop() as Record<string, unknown>;
      return `${String(args[0])}|${String(kw.b)}|${kw.c ? 'True' : 'False'}`;
    };
    expect(render(tpl, { f, g })).toBe(out);
  });

  it('reports errors after an operand at the same place', () => {
    let err: any;
    try {
      render('{{ a +\n }}');
    } catch (e) {
      err = e;
    }
    expect(err?.message).toContain('unexpected token: }}');
    expect(err?.location).toMatchObject({ file: 'models/t.sql', line: 2 });
    expect(() => render("{{ f('a' 'b' c) }}")).toThrow();
  });
});
