/**
 * The process-wide template caches (engine.ts, template-cache.ts): templates that differ only in
 * text, string literals and positions share one generated function, sources compiled by another
 * engine are reused, and neither changes what a template renders or where its errors point.
 */
import { MartqlError } from '../../src/errors';
import { createJinjaEngine, jinjaReturn, type JinjaEngine } from '../../src/jinja/engine';
import { clearTemplateCaches } from '../../src/jinja/engine/engine';
import { LruCache } from '../../src/jinja/engine/template-cache';

function caught(fn: () => unknown): MartqlError {
  try {
    fn();
  } catch (e) {
    if (e instanceof MartqlError) return e;
    throw new Error(`expected a MartqlError, got ${String(e)}`, { cause: e });
  }
  throw new Error('expected an error');
}

const ctx = (extra: Record<string, unknown> = {}) => ({
  return: jinjaReturn,
  ref: (n: string) => `"public"."${n}"`,
  ...extra,
});

function renderWith(engine: JinjaEngine, src: string, path: string, extra: Record<string, unknown> = {}) {
  return engine.render(engine.compile(src, path), ctx(extra));
}

beforeEach(() => clearTemplateCaches());

describe('shared generated code', () => {
  it('templates differing only in text, literals and positions render their own values', () => {
    const engine = createJinjaEngine();
    const a = engine.compile("select a\nfrom {{ ref('x') }}", 'models/a.sql');
    const b = engine.compile("select bb, cc\n\n  from {{ ref('why') }}", 'models/b.sql');
    expect(a.root).not.toBe(b.root);
    expect(engine.render(a, ctx())).toBe('select a\nfrom "public"."x"');
    expect(engine.render(b, ctx())).toBe('select bb, cc\n\n  from "public"."why"');
  });

  it('locates run-time errors at each template’s own file, line and column', () => {
    const engine = createJinjaEngine();
    const boom = () => {
      throw new Error('boom');
    };
    const e1 = caught(() => renderWith(engine, "x {{ boom('a') }}", 'models/one.sql', { boom }));
    const e2 = caught(() => renderWith(engine, "xyz\n\n   {{ boom('bcd') }}", 'models/two.sql', { boom }));
    expect(e1.location).toMatchObject({ file: 'models/one.sql', line: 1, column: 10 });
    expect(e2.location).toMatchObject({ file: 'models/two.sql', line: 3, column: 11 });
  });

  it('one source compiled under two paths keeps each path (errors and macros)', () => {
    const src = '{% macro m(x) %}{{ x.y.z }}{% endmacro %}';
    const engine = createJinjaEngine();
    const one = engine.instantiateMacros(engine.compile(src, 'macros/one.sql'), ctx());
    const two = engine.instantiateMacros(engine.compile(src, 'macros/two.sql'), ctx());
    expect(one.m.templatePath).toBe('macros/one.sql');
    expect(two.m.templatePath).toBe('macros/two.sql');
    const render = (path: string) =>
      engine.render(
        engine.compile('{{ m(1) }}', 'models/caller.sql'),
        ctx({ m: path === 'one' ? one.m : two.m }),
      );
    expect(caught(() => render('one')).location).toMatchObject({ file: 'macros/one.sql', line: 1 });
    expect(caught(() => render('two')).location).toMatchObject({ file: 'macros/two.sql', line: 1 });
  });

  it('reports the same macros for a cached source, as copies', () => {
    const src = '\n{% macro a(x, y=1) %}{% endmacro %}\n{% test t(model) %}{% endtest %}';
    const first = createJinjaEngine().listMacros(src, 'macros/a.sql');
    first[0].args.push('mutated');
    const second = createJinjaEngine().listMacros(src, 'macros/b.sql');
    expect(second).toEqual([
      { name: 'a', kind: 'macro', args: ['x', 'y'], line: 2 },
      { name: 'test_t', kind: 'test', args: ['model'], line: 3 },
    ]);
  });

  it('keeps string literals that look like code, quotes and unicode intact', () => {
    const engine = createJinjaEngine();
    const src = `{{ "K[0] + P" }}|{{ '\\u00e9"\\'' }}|{{ "}}{{" }}|naïve ✓ \`\${x}\``;
    expect(renderWith(engine, src, 'models/s.sql')).toBe('K[0] + P|é"\'|}}{{|naïve ✓ `${x}`');
    expect(renderWith(engine, src.replace('naïve', 'other'), 'models/t.sql')).toBe(
      'K[0] + P|é"\'|}}{{|other ✓ `${x}`',
    );
  });

  it('keeps dict keys as written (a `__proto__` key stays an own key)', () => {
    const engine = createJinjaEngine();
    expect(renderWith(engine, "{{ {'__proto__': 1, 'a': 2} | tojson }}", 'models/d.sql')).toBe(
      renderWith(createJinjaEngine(), "{{ {'__proto__': 1, 'a': 2} | tojson }}", 'models/e.sql'),
    );
  });
});

describe('sources cached across engines', () => {
  it('reuses another engine’s compilation and renders the same', () => {
    const src = '{% for c in cols %}{{ c | upper }}{{ ", " if not loop.last }}{% endfor %}';
    const first = renderWith(createJinjaEngine(), src, 'models/l.sql', { cols: ['a', 'b'] });
    const second = renderWith(createJinjaEngine(), src, 'models/l.sql', { cols: ['a', 'b'] });
    expect(first).toBe('A, B');
    expect(second).toBe('A, B');
  });

  it('still fails on a filter or test this engine lacks, even when another engine compiled it', () => {
    const withExtras = createJinjaEngine({
      filters: { shout: (s: unknown) => `${String(s)}!` },
      tests: { oddish: (v: unknown) => Number(v) % 2 === 1 },
    });
    expect(renderWith(withExtras, '{{ "a" | shout }}', 'models/f.sql')).toBe('a!');
    expect(renderWith(withExtras, '{{ 3 is oddish }}', 'models/t.sql')).toBe('True');
    const plain = createJinjaEngine();
    expect(caught(() => plain.compile('{{ "a" | shout }}', 'models/f.sql')).message).toContain(
      "No filter named 'shout'",
    );
    expect(caught(() => plain.compile('{{ 3 is oddish }}', 'models/t.sql')).message).toContain(
      "No test named 'oddish'",
    );
  });

  it('does not cache failures: the error names the path compiled', () => {
    const engine = createJinjaEngine();
    const src = 'select 1\n{{ a + }}';
    expect(caught(() => engine.compile(src, 'models/x.sql')).location).toMatchObject({
      file: 'models/x.sql',
      line: 2,
    });
    expect(caught(() => engine.compile(src, 'models/y.sql')).location).toMatchObject({
      file: 'models/y.sql',
      line: 2,
    });
  });
});

describe('LruCache', () => {
  it('evicts the least recently used entries beyond its weight budget', () => {
    const lru = new LruCache<string, number>(10);
    lru.set('a', 1, 4);
    lru.set('b', 2, 4);
    expect(lru.get('a')).toBe(1); // a is now the most recent
    lru.set('c', 3, 4); // over budget: b goes
    expect(lru.get('b')).toBeUndefined();
    expect(lru.get('a')).toBe(1);
    expect(lru.get('c')).toBe(3);
    lru.set('huge', 4, 11); // heavier than the whole budget: not kept, nothing evicted
    expect(lru.get('huge')).toBeUndefined();
    expect(lru.size).toBe(2);
    lru.set('a', 5, 2); // replacing re-weighs
    expect(lru.get('a')).toBe(5);
  });
});
