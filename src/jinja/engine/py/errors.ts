/**
 * Python-flavoured exceptions raised while a template runs (TypeError, UndefinedError, ...).
 * The engine turns them into MartqlError('JINJA_RENDER') with the template location; the Python
 * type name is kept in the message because dbt users recognise it.
 */
export class PyError extends Error {
  constructor(
    readonly pyType: string,
    message: string,
  ) {
    super(message);
    this.name = pyType;
  }
}

export const typeError = (message: string) => new PyError('TypeError', message);
export const valueError = (message: string) => new PyError('ValueError', message);
export const undefinedError = (message: string) => new PyError('UndefinedError', message);
