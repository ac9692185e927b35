/**
 * A construct MartQL parses but deliberately does not implement (template inheritance, includes,
 * `{% for ... recursive %}`). The parser throws this; the engine turns it into
 * MartqlError('JINJA_UNSUPPORTED') naming the construct, file and line, so nothing silently differs.
 */
export class UnsupportedConstruct extends Error {
  constructor(
    readonly construct: string,
    readonly lineno: number,
    readonly colno: number,
    readonly hint?: string,
  ) {
    super(`${construct} is not supported by MartQL's Jinja engine`);
  }
}
