/**
 * evaluateTestArguments and needsContext walk the top-level arguments with plain loops (they run
 * for every test): same keys in the same order, `column_name` never evaluated, and a `__proto__`
 * argument stays an own key instead of becoming the result's prototype.
 */
import { evaluateTestArguments, needsContext } from '../../src/compile/test-arguments';
import { createJinjaEngine } from '../../src/jinja/engine';

describe('test arguments', () => {
  const engine = createJinjaEngine();
  const context = {
    ref: (name: string) => `"s"."${name}"`,
    source: (s: string, t: string) => `"${s}"."${t}"`,
  };

  it('keeps order, evaluates ref calls, leaves column_name and literals', () => {
    const args = { z: 1, to: "ref('orders')", column_name: "ref('not_me')", a: ['x', "ref('y')"] };
    const out = evaluateTestArguments(engine, context, args);
    expect(Object.keys(out)).toEqual(['z', 'to', 'column_name', 'a']);
    expect(out).toEqual({ z: 1, to: '"s"."orders"', column_name: "ref('not_me')", a: ['x', '"s"."y"'] });
  });

  it('a __proto__ argument is an own key', () => {
    const args = JSON.parse('{"__proto__": "ref(\'p\')", "b": 2}') as Record<string, unknown>;
    const out = evaluateTestArguments(engine, context, args);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__', 'b']);
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toBe('"s"."p"');
  });

  it('needsContext: plain calls and literals need none; other Jinja does, column_name aside', () => {
    expect(needsContext({ to: "ref('a')", field: 'id', values: [1, 'x'] })).toBe(false);
    expect(needsContext({ column_name: '{{ var("c") }}' })).toBe(false);
    expect(needsContext({ to: "ref('a', v=2)" })).toBe(true);
    expect(needsContext({ nested: { deep: ['{{ var("x") }}'] } })).toBe(true);
  });
});
