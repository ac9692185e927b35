/** Macros: arguments, return(), call blocks, cross-file calls through a Proxy context, dbt blocks. */
import { callMacro, jinjaReturn, splitArgs, type JinjaMacro } from '../../src/jinja/engine';
import { engine, render } from './helpers';

describe('macro arguments', () => {
  it('binds positional, keyword and default arguments', () => {
    expect(
      render("{% macro m(a, b=1, c='z') %}{{a}}-{{b}}-{{c}}{% endmacro %}{{ m(1, c='q') }}|{{ m(a=2) }}"),
    ).toBe('1-1-q|2-1-z');
  });

  it('evaluates defaults at call time and lets them use earlier arguments', () => {
    expect(render('{% macro m(a, b=a * 2) %}{{ b }}{% endmacro %}{{ m(3) }}')).toBe('6');
  });

  it('exposes varargs (a tuple) and kwargs only when the body uses them', () => {
    expect(render('{% macro m(a) %}{{ varargs }}{{ kwargs }}{% endmacro %}{{ m(1, 2, x=3) }}')).toBe(
      "(2,){'x': 3}",
    );
    expect(() => render('{% macro m(a) %}{{ a }}{% endmacro %}{{ m(1, 2) }}')).toThrow(
      /takes not more than 1/,
    );
    expect(() => render('{% macro m(a) %}{{ a }}{% endmacro %}{{ m(1, b=2) }}')).toThrow(
      /no keyword argument 'b'/,
    );
  });

  it('splats *args and **kwargs at call sites', () => {
    const tpl =
      '{% macro inner(a, b=0, c=0) %}{{a}}{{b}}{{c}}{% endmacro %}' +
      "{% set xs = [2] %}{% set kw = {'c': 3} %}{{ inner(1, *xs, **kw) }}";
    expect(render(tpl)).toBe('123');
  });
});

describe('return()', () => {
  it('returns non-string values and keeps the caller’s locals', () => {
    const tpl =
      "{% macro inner() %}{{ return({'k': [1, 2]}) }}{% endmacro %}" +
      "{% macro outer() %}{% set loc = 'L' %}{% set v = inner() %}{{ loc }}{{ v.k | length }}{{ loc }}{% endmacro %}{{ outer() }}";
    expect(render(tpl)).toBe('L2L');
  });

  it('works from {% do %} and from a TypeScript caller', () => {
    const macros = engine.instantiateMacros(
      engine.compile("{% macro cols() %}{% do return(['a', 'b']) %}{% endmacro %}", 'macros/c.sql'),
      { return: jinjaReturn },
    );
    expect(callMacro(macros.cols, [])).toEqual(['a', 'b']);
  });
});

describe('call blocks', () => {
  it('passes caller to a JS statement() and the body sees the calling macro’s locals', () => {
    const results: Record<string, unknown> = {};
    const statement = (...raw: unknown[]) => {
      const { args, kwargs } = splitArgs(raw);
      results[args[0] as string] = {
        sql: String((kwargs.caller as () => string)()).trim(),
        fetch: kwargs.fetch_result,
      };
      return '';
    };
    const tpl =
      "{% macro m(rel) %}{% set tmp = rel ~ '__tmp' %}{% call statement('main', fetch_result=True) %}" +
      'create table {{ tmp }}{% endcall %}{% endmacro %}{{ m("t") }}';
    render(tpl, { statement });
    expect(results.main).toEqual({ sql: 'create table t__tmp', fetch: true });
  });

  it('supports caller arguments', () => {
    expect(
      render("{% macro m() %}[{{ caller('x') }}]{% endmacro %}{% call(v) m() %}got {{ v }}{% endcall %}"),
    ).toBe('[got x]');
  });
});

describe('macros across files and contexts', () => {
  const fileA = engine.compile("{% macro a(x) %}A({{ b(x) }}, {{ ref('m') }}){% endmacro %}", 'macros/a.sql');
  const fileB = engine.compile('{% macro b(x) %}B{{ x }}{% endmacro %}', 'macros/b.sql');

  /** A context like MartQL's: a Proxy that instantiates macros on first lookup. */
  function lazyContext(model: string) {
    const state: Record<string, unknown> = { ref: (n: string) => `${model}->${n}`, return: jinjaReturn };
    const files = [fileA, fileB];
    const proxy: Record<string, unknown> = new Proxy(state, {
      has: (t, k) => k in t || files.some((f) => f.macros.some((m) => m.name === k)),
      get: (t, k: string) => {
        if (!(k in t)) {
          const file = files.find((f) => f.macros.some((m) => m.name === k));
          if (file) Object.assign(t, engine.instantiateMacros(file, proxy));
        }
        return t[k];
      },
    });
    return proxy;
  }

  it('resolves free names in the context at call time, per model', () => {
    const model = engine.compile("{{ a(1) }}{% set local = 'v' %}", 'models/x.sql');
    const ctx1 = lazyContext('x');
    expect(engine.render(model, ctx1)).toBe('A(B1, x->m)');
    expect(ctx1.local).toBe('v'); // top-level set lands in the context object itself
    expect(engine.render(model, lazyContext('y'))).toBe('A(B1, y->m)');
  });

  it('lists macros without rendering, with dbt block names', () => {
    const src = [
      '{% macro m(a, b=1) %}{% endmacro %}',
      '{% test not_null(model, column_name) %}{% endtest %}',
      "{% materialization incremental, adapter='postgres' %}{% endmaterialization %}",
      '{% materialization table, default %}{% endmaterialization %}',
      '{% docs orders %}x{% enddocs %}',
    ].join('\n');
    expect(engine.listMacros(src, 'macros/all.sql')).toEqual([
      { name: 'm', kind: 'macro', args: ['a', 'b'], line: 1 },
      { name: 'test_not_null', kind: 'test', args: ['model', 'column_name'], line: 2 },
      { name: 'materialization_incremental_postgres', kind: 'materialization', args: [], line: 3 },
      { name: 'materialization_table_default', kind: 'materialization', args: [], line: 4 },
      { name: 'docs_orders', kind: 'docs', args: [], line: 5 },
    ]);
  });

  it('instantiates dbt blocks as callable macros', () => {
    const file = engine.compile(
      '{% test not_null(model, column_name) %}select * from {{ model }} where {{ column_name }} is null{% endtest %}',
      'macros/t.sql',
    );
    const macros: Record<string, JinjaMacro> = engine.instantiateMacros(file, {});
    expect(String(callMacro(macros.test_not_null, [], { model: 't', column_name: 'c' }))).toBe(
      'select * from t where c is null',
    );
  });
});

describe('scoping', () => {
  it('does not leak {% set %} out of a for loop (each iteration starts from the outer value)', () => {
    expect(render('{% set t = 0 %}{% for i in [1, 2] %}{% set t = t + i %}{{ t }},{% endfor %}{{ t }}')).toBe(
      '1,2,0',
    );
  });

  it('carries state out of loops through namespace()', () => {
    expect(
      render(
        '{% set ns = namespace(n=0) %}{% for i in [1, 2, 3] %}{% set ns.n = ns.n + i %}{% endfor %}{{ ns.n }}',
      ),
    ).toBe('6');
  });

  it('supports with, loop controls and for-if filters', () => {
    expect(render('{% with a = 1 %}{{ a }}{% endwith %}[{{ a }}]')).toBe('1[]');
    expect(
      render(
        '{% for i in range(9) if i is odd %}{% if i > 5 %}{% break %}{% endif %}{{ loop.index }}{% endfor %}',
      ),
    ).toBe('123');
  });
});
