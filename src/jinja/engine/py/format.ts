/**
 * Python string formatting: `'%s-%d' % (a, b)` and `'{}.{}'.format(a, b)`, both used throughout
 * dbt packages (dbt_utils.surrogate_key builds SQL with str.format).
 */
import { PyError, typeError, valueError } from './errors';
import { pyRepr, pyStr } from './str';
import { isFloat, isPlainObject, isTuple, pyToFixed, strVal, toNum } from './values';

const PERCENT = /%(?:\(([^)]*)\))?([#0\- +]*)(\*|\d+)?(?:\.(\*|\d+))?([diouxXeEfFgGcrsa%])/g;

/** `fmt % args`: a tuple (array) supplies several values, a dict supplies `%(name)s`. */
export function percentFormat(fmt: string, args: unknown): string {
  const values = Array.isArray(args) && isTuple(args) ? args : [args];
  let i = 0;
  const out = fmt.replace(PERCENT, (_m, name, flags, width, precision, conv) => {
    if (conv === '%') return '%';
    let value: unknown;
    if (name !== undefined) {
      if (!isPlainObject(args)) throw typeError('format requires a mapping');
      value = (args as any)[name];
    } else {
      if (i >= values.length) throw typeError('not enough arguments for format string');
      value = values[i++];
    }
    return pad(
      convert(conv, value, precision === undefined ? undefined : Number(precision), flags),
      flags,
      width,
    );
  });
  if (!isPlainObject(args) && i < values.length) {
    throw typeError('not all arguments converted during string formatting');
  }
  return out;
}

function convert(conv: string, value: unknown, precision: number | undefined, flags: string): string {
  switch (conv) {
    case 's':
      return precision === undefined ? pyStr(value) : pyStr(value).slice(0, precision);
    case 'r':
    case 'a':
      return pyRepr(value);
    case 'c':
      return typeof value === 'number' ? String.fromCharCode(value) : pyStr(value);
    default: {
      const n = toNum(value);
      if (n === undefined) throw typeError(`%${conv} format: a number is required, not ${pyRepr(value)}`);
      const sign = n >= 0 && flags.includes('+') ? '+' : n >= 0 && flags.includes(' ') ? ' ' : '';
      return sign + formatNumber(conv, n, precision);
    }
  }
}

function formatNumber(conv: string, n: number, precision: number | undefined): string {
  switch (conv) {
    case 'd':
    case 'i':
    case 'u':
      return String(Math.trunc(n));
    case 'o':
      return Math.trunc(n).toString(8);
    case 'x':
      return Math.trunc(n).toString(16);
    case 'X':
      return Math.trunc(n).toString(16).toUpperCase();
    case 'e':
    case 'E': {
      const s = n.toExponential(precision ?? 6).replace(/e([+-])(\d)$/, 'e$10$2');
      return conv === 'E' ? s.toUpperCase() : s;
    }
    case 'g':
    case 'G':
      return String(Number(n.toPrecision(precision || 6)));
    default:
      return pyToFixed(n, precision ?? 6);
  }
}

function pad(s: string, flags: string, width: string | undefined): string {
  const w = width === undefined || width === '*' ? 0 : Number(width);
  if (s.length >= w) return s;
  if (flags.includes('-')) return s.padEnd(w);
  if (flags.includes('0') && /^[+-]?\d/.test(s)) {
    const sign = /^[+-]/.test(s) ? s[0] : '';
    return sign + s.slice(sign.length).padStart(w - sign.length, '0');
  }
  return s.padStart(w);
}

const FIELD = /\{\{|\}\}|\{([^{}!:]*)(?:!([rsa]))?(?::([^{}]*))?\}/g;

/** `str.format(*args, **kwargs)` with auto/explicit numbering, attribute/index access and specs. */
export function strFormat(fmt: string, args: unknown[], kwargs: Record<string, unknown>): string {
  let auto = 0;
  let numbering: 'auto' | 'manual' | undefined;
  return fmt.replace(
    FIELD,
    (m, field: string | undefined, conv: string | undefined, spec: string | undefined) => {
      if (m === '{{') return '{';
      if (m === '}}') return '}';
      const parts = (field ?? '').split(/\.|\[/);
      const head = parts[0];
      let value: unknown;
      if (head === '' || /^\d+$/.test(head)) {
        const mode = head === '' ? 'auto' : 'manual';
        if (numbering && numbering !== mode) {
          throw valueError('cannot switch between automatic and manual field numbering');
        }
        numbering = mode;
      }
      if (head === '') value = args[auto++];
      else if (/^\d+$/.test(head)) value = args[Number(head)];
      else if (head in kwargs) value = kwargs[head];
      else throw new PyError('KeyError', `'${head}'`);
      for (const p of parts.slice(1)) {
        const key = p.endsWith(']') ? p.slice(0, -1) : p;
        value = (value as any)?.[/^\d+$/.test(key) && Array.isArray(value) ? Number(key) : key];
      }
      const text = conv === 'r' || conv === 'a' ? pyRepr(value) : undefined;
      return applySpec(text ?? value, spec ?? '', text !== undefined);
    },
  );
}

const SPEC = /^(?:(.)?([<>=^]))?([+\- ])?(#)?(0)?(\d+)?([,_])?(?:\.(\d+))?([bcdeEfFgGnosxX%])?$/;

function applySpec(value: unknown, spec: string, isText: boolean): string {
  if (spec === '') return isText ? (value as string) : pyStr(value);
  const m = SPEC.exec(spec);
  if (!m) throw valueError(`Invalid format specifier '${spec}'`);
  const [, fill = ' ', align, sign = '-', , zero, width, group, precision, type] = m;
  const n = toNum(value);
  let body: string;
  const isNumber = !isText && n !== undefined && strVal(value) === undefined;
  if (isNumber && (type || precision !== undefined || group)) {
    const p = precision === undefined ? undefined : Number(precision);
    const t = type ?? (isFloat(value) ? 'g' : 'd');
    if (t === '%') body = `${pyToFixed(n * 100, p ?? 6)}%`;
    else if (t === 'f' || t === 'F') body = pyToFixed(n, p ?? 6);
    else if (t === 'd' || t === 'n') body = String(Math.trunc(n));
    else if (t === 'x' || t === 'X' || t === 'o' || t === 'b') {
      body = Math.trunc(n).toString(t === 'o' ? 8 : t === 'b' ? 2 : 16);
      if (t === 'X') body = body.toUpperCase();
    } else if (t === 'e' || t === 'E') body = n.toExponential(p ?? 6).replace(/e([+-])(\d)$/, 'e$10$2');
    else body = String(Number(n.toPrecision(p || 6)));
    if (group) body = body.replace(/^(-?\d+)/, (d) => d.replace(/\B(?=(\d{3})+(?!\d))/g, group));
    if (n >= 0 && sign !== '-') body = sign + body;
  } else {
    body = isText ? (value as string) : pyStr(value);
    if (precision !== undefined) body = body.slice(0, Number(precision));
  }
  const w = width === undefined ? 0 : Number(width);
  if (body.length >= w) return body;
  const defaultAlign = isNumber ? '>' : '<';
  const a = align ?? (zero ? '=' : defaultAlign);
  const f = align ? fill : zero ? '0' : ' ';
  const gap = w - body.length;
  if (a === '<') return body + f.repeat(gap);
  if (a === '>') return f.repeat(gap) + body;
  if (a === '^') return f.repeat(Math.floor(gap / 2)) + body + f.repeat(Math.ceil(gap / 2));
  const signChar = /^[+\- ]/.test(body) ? body[0] : '';
  return signChar + f.repeat(gap) + body.slice(signChar.length);
}
