/** Errors: every failure is a MartqlError with a code and the file:line it comes from. */
import { MartqlError } from '../../src/errors';
import { jinjaReturn } from '../../src/jinja/engine';
import { engine, render } from './helpers';

function caught(fn: () => unknown): MartqlError {
  try {
    fn();
  } catch (e) {
    if (e instanceof MartqlError) return e;
    throw new Error(`expected a MartqlError, got ${String(e)}`, { cause: e });
  }
  throw new Error('expected an error');
}

describe('template errors', () => {
  it('reports a syntax error at file:line:column', () => {
    const e = caught(() => engine.compile('select 1\n{% if x %}\n{{ a + }}\n{% endif %}', 'models/bad.sql'));
    expect(e.code).toBe('JINJA_SYNTAX');
    expect(e.location).toMatchObject({ file: 'models/bad.sql', line: 3 });
  });

  it('reports an unknown tag by name', () => {
    const e = caught(() => engine.compile('a\n{% frobnicate %}', 'models/tag.sql'));
    expect(e.code).toBe('JINJA_SYNTAX');
    expect(e.message).toContain("unknown tag 'frobnicate'");
    expect(e.where).toBe('models/tag.sql:2:4');
  });

  it('reports an unknown filter at compile time', () => {
    const e = caught(() => engine.compile('{{ x | nope }}', 'models/f.sql'));
    expect(e.message).toContain("No filter named 'nope'");
  });

  it('fails loudly on constructs MartQL does not implement', () => {
    const e = caught(() =>
      engine.compile('\n{% for i in tree recursive %}{{ loop(i.c) }}{% endfor %}', 'models/r.sql'),
    );
    expect(e.code).toBe('JINJA_UNSUPPORTED');
    expect(e.message).toContain('recursive');
    expect(e.location).toMatchObject({ file: 'models/r.sql', line: 2 });
    expect(caught(() => engine.compile("{% include 'x.sql' %}", 'models/i.sql')).code).toBe(
      'JINJA_UNSUPPORTED',
    );
    expect(caught(() => engine.compile("{% extends 'x.sql' %}", 'models/e.sql')).code).toBe(
      'JINJA_UNSUPPORTED',
    );
  });

  it('locates a render error inside a macro at the macro’s own file and line', () => {
    const macros = engine.instantiateMacros(
      engine.compile('{% macro boom(x) %}\n\n{{ x.missing.deeper }}\n{% endmacro %}', 'macros/boom.sql'),
      {},
    );
    const e = caught(() =>
      engine.render(engine.compile('select\n{{ boom({}) }}', 'models/caller.sql'), { ...macros }),
    );
    expect(e.code).toBe('JINJA_RENDER');
    expect(e.location).toMatchObject({ file: 'macros/boom.sql', line: 3 });
    expect(e.data?.templateStack).toEqual(['models/caller.sql:2']);
  });

  it('passes a MartqlError from a context function through, adding its location', () => {
    const ref = () => {
      throw new MartqlError('UNKNOWN_REF', "model 'nope' not found");
    };
    const e = caught(() => render("select 1\nfrom {{ ref('nope') }}", { ref }, 'models/r.sql'));
    expect(e.code).toBe('UNKNOWN_REF');
    expect(e.location).toMatchObject({ file: 'models/r.sql', line: 2 });
  });

  it('raises Python errors as JINJA_RENDER with the Python type', () => {
    expect(caught(() => render("{{ 'a' + 1 }}")).message).toContain('TypeError');
    expect(caught(() => render('{{ missing.attr }}')).message).toContain("'missing' is undefined");
    expect(caught(() => render('{{ return(1) }}', { return: jinjaReturn })).message).toContain(
      'outside of a macro',
    );
  });

  it('renders undefined values leniently in dbt parse mode when asked', () => {
    const t = engine.compile('[{{ missing.attr }}][{{ nope(1).x }}]', 'models/p.sql');
    expect(engine.render(t, {}, { undefined: 'lenient' })).toBe('[][]');
  });
});
