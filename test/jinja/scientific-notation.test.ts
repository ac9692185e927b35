/** Scientific-notation literals read as Python floats (a gap the toolkit's tolerance default hit). */
import { createJinjaEngine } from '../../src/jinja/engine';

const engine = createJinjaEngine();
const render = (src: string, ctx: object = {}) => engine.render(engine.compile(src, `<sci ${src}>`), ctx);

describe('scientific notation', () => {
  it.each([
    ['{{ 1e-9 }}', '1e-09'],
    ['{{ 1.5e3 }}', '1500.0'],
    ['{{ 2E+4 }}', '20000.0'],
    ['{{ 1e5 }}', '100000.0'],
    ['{{ 2.5e-1 * 4 }}', '1.0'],
    ['{% macro m(t=1e-9) %}{{ t * 1e9 }}{% endmacro %}{{ m() }}', '1.0'],
    ['{{ [1e2, 3] | sum }}', '103.0'],
  ])('%s renders %s as Jinja2 does', (src, expected) => {
    expect(render(src)).toBe(expected);
  });

  it('leaves names and subtraction alone', () => {
    expect(render('{{ e }}-{{ 3 - 1 }}-{{ x.e1 }}', { e: 'E', x: { e1: 'y' } })).toBe('E-2-y');
  });
});
