/**
 * Shared plumbing for filters and tests: Python-style parameter binding (positional or keyword)
 * and Jinja's attribute getter (`attribute='a.b'`, `attribute=0`).
 */
import { typeError } from './py/errors';
import { createLookup } from './lookup';
import { splitArgs } from './frames';

export type Filter = (...raw: unknown[]) => unknown;

const lenient = createLookup('lenient');

/** Binds positional and keyword arguments to `names`, Python-style; unknown keywords are errors. */
export function bind(
  fname: string,
  args: unknown[],
  kwargs: Record<string, unknown>,
  names: string[],
  defaults: unknown[],
): unknown[] {
  if (args.length > names.length) throw typeError(`${fname}() takes at most ${names.length} argument(s)`);
  const out = names.map((_, i) => (i < args.length ? args[i] : defaults[i]));
  for (const k of Object.keys(kwargs)) {
    const i = names.indexOf(k);
    if (i < 0) throw typeError(`${fname}() got an unexpected keyword argument '${k}'`);
    out[i] = kwargs[k];
  }
  return out;
}

/** Defines a filter with named parameters after the value. */
export function filter(
  name: string,
  names: string[],
  defaults: unknown[],
  fn: (value: any, ...params: any[]) => unknown,
): Filter {
  return (value: unknown, ...raw: unknown[]) => {
    const { args, kwargs } = splitArgs(raw);
    return fn(value, ...bind(name, args, kwargs, names, defaults));
  };
}

/** Jinja's make_attrgetter: dotted paths, integer parts index sequences. */
export function attrGetter(attribute: unknown): (item: unknown) => unknown {
  if (attribute === undefined || attribute === null) return (x) => x;
  const parts =
    typeof attribute === 'number'
      ? [attribute]
      : String(attribute)
          .split('.')
          .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  return (item) => {
    let v = item;
    for (const p of parts) v = lenient.memberLookup(v, p, false, String(p));
    return v;
  };
}
