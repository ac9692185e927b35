/**
 * Jinja's global functions: range, dict, namespace, cycler, joiner. dbt's own globals (ref, config,
 * set, zip, return, ...) belong to the context MartQL passes in, which takes precedence over these.
 */
import { splitArgs } from './frames';
import { typeError } from './py/errors';
import { toList } from './py/iter';
import { dictKey } from './py/str';
import { Namespace, isPlainObject, toNum } from './py/values';

function range(...raw: unknown[]): number[] {
  const nums = raw.map((v) => {
    const n = toNum(v);
    if (n === undefined || !Number.isInteger(n))
      throw typeError(`'${typeof v}' object cannot be interpreted as an integer`);
    return n;
  });
  const [start, stop, step] = nums.length === 1 ? [0, nums[0], 1] : [nums[0], nums[1], nums[2] ?? 1];
  if (step === 0) throw typeError('range() arg 3 must not be zero');
  const out: number[] = [];
  for (let i = start; step > 0 ? i < stop : i > stop; i += step) {
    out.push(i);
    if (out.length > 1e7) throw typeError('range() too large for a template');
  }
  return out;
}

function dict(...raw: unknown[]): Record<string, unknown> {
  const { args, kwargs } = splitArgs(raw);
  const out: Record<string, unknown> = {};
  const [src] = args;
  if (src instanceof Map) for (const [k, v] of src) out[dictKey(k)] = v;
  else if (isPlainObject(src)) Object.assign(out, src);
  else if (src !== undefined)
    for (const pair of toList(src)) out[dictKey((pair as unknown[])[0])] = (pair as unknown[])[1];
  return Object.assign(out, kwargs);
}

class Cycler {
  private pos = 0;
  constructor(private readonly items: unknown[]) {}
  get current(): unknown {
    return this.items[this.pos];
  }
  next(): unknown {
    const v = this.items[this.pos];
    this.pos = (this.pos + 1) % this.items.length;
    return v;
  }
  reset(): void {
    this.pos = 0;
  }
}

function joiner(sep: unknown = ', '): () => string {
  let used = false;
  return () => {
    if (used) return String(sep);
    used = true;
    return '';
  };
}

export function builtinGlobals(): Record<string, unknown> {
  const g: Record<string, unknown> = Object.create(null);
  g.range = range;
  g.dict = dict;
  g.namespace = (...raw: unknown[]) => {
    const { args, kwargs } = splitArgs(raw);
    return new Namespace({ ...(isPlainObject(args[0]) ? args[0] : {}), ...kwargs });
  };
  g.cycler = (...items: unknown[]) => new Cycler(items);
  g.joiner = joiner;
  return g;
}
