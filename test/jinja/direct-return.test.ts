/**
 * return() compiled as a direct return from the macro body (no throw) where the statement runs in
 * the body's own function, and as the throwing call everywhere else: both must give the same value.
 */
import { engine, render } from './helpers';

describe('return() in macro bodies', () => {
  it('returns from {{ return(x) }} and {% do return(x) %} at the top of a body and inside if/else', () => {
    const tpl =
      '{% macro a(x) %}before{{ return(x + 1) }}after{% endmacro %}' +
      '{% macro b(x) %}{% if x > 1 %}{% do return("big") %}{% else %}{{ return("small") }}{% endif %}{% endmacro %}' +
      '{{ a(1) }}|{{ b(5) }}|{{ b(0) }}';
    expect(render(tpl)).toBe('2|big|small');
  });

  it('returns from inside loops, set blocks and call blocks through the throwing path', () => {
    const tpl =
      '{% macro first_big(xs) %}{% for x in xs %}{% if x > 2 %}{{ return(x) }}{% endif %}{% endfor %}none{% endmacro %}' +
      '{% macro in_set() %}{% set s %}{{ return("from set") }}{% endset %}no{% endmacro %}' +
      '{{ first_big([1, 3, 5]) }}|{{ first_big([1]) }}|{{ in_set() }}';
    expect(render(tpl)).toBe('3|none|from set');
  });

  it('gives a float argument to the caller as a call to return() does', () => {
    const macros = engine.instantiateMacros(
      engine.compile('{% macro f() %}{{ return(1.5) }}{% endmacro %}', 'macros/f.sql'),
      { return: (v: unknown) => v },
    );
    // A `return` that is not dbt's is called as an ordinary function: f() renders its result.
    expect(String(macros.f())).toBe('1.5');
    // A call from a template hands JS functions plain numbers: 2.0 arrives as 2, on both paths.
    const direct = '{% macro f() %}{{ return(2.0) }}{% endmacro %}{% set v = f() %}{{ v }}|{{ v is number }}';
    const thrown =
      '{% macro f() %}{% for i in [1] %}{{ return(2.0) }}{% endfor %}{% endmacro %}{% set v = f() %}{{ v }}|{{ v is number }}';
    expect(render(direct)).toBe('2|True');
    expect(render(thrown)).toBe('2|True');
  });

  it('calls a return that is not dbt`s as an ordinary function', () => {
    const tpl = '{% macro m() %}{{ return("x") }}-rest{% endmacro %}{{ m() }}';
    expect(render(tpl, { return: (v: unknown) => `<${String(v)}>` })).toBe('<x>-rest');
  });
});
