/**
 * Turns a failed render into the error a dbt user expects. The template engine reports a call to a
 * name that resolves to nothing as "'x' is undefined"; in dbt code that is almost always a macro
 * that does not exist (a typo, a missing package), so it becomes UNKNOWN_MACRO with the closest
 * macro name as a hint.
 */
import { closestName, MartqlError, type SourceLocation } from '../errors';
import type { MacroIndex } from '../jinja/context/macro-index';

const UNDEFINED_CALL = /UndefinedError: '([\w.]+)' is undefined/;

export function renderError(err: unknown, location: SourceLocation, macros: MacroIndex): MartqlError {
  const base =
    err instanceof MartqlError
      ? err.at(location)
      : new MartqlError('JINJA_RENDER', (err as Error)?.message ?? String(err), { location, cause: err });
  const m = base.code === 'JINJA_RENDER' ? UNDEFINED_CALL.exec(base.message) : null;
  if (!m) return base;
  const name = m[1];
  const close = closestName(name.split('.').pop()!, macros.allNames());
  return new MartqlError('UNKNOWN_MACRO', `'${name}' is not a macro, variable or function in this project`, {
    location: base.location,
    cause: base,
    hint: close ? `did you mean '${close}'?` : 'is a package missing from packages.yml?',
  });
}
