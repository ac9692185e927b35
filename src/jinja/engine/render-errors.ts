/**
 * Turns whatever a template throws into a located MartqlError.
 *
 * Compiled code keeps `lineno`/`colno` current per statement and call; every macro body and every
 * template root catches, so the innermost frame (the macro's own file and line) locates the error
 * and outer frames only append themselves to `data.templateStack`. A MartqlError thrown by a context
 * function (ref() of an unknown model, raise_compiler_error) keeps its code and message and only
 * gains a location when it has none.
 */
import { MartqlError } from '../../errors';
import { PyError } from './py/errors';
import { MacroReturn } from './py/values';

export function locate(e: unknown, lineno: number, colno: number, path: string, atRoot: boolean): unknown {
  if (e instanceof MacroReturn) {
    if (!atRoot) return e;
    e = new PyError('SyntaxError', "'return' called outside of a macro");
  }
  const location = { file: path, line: lineno + 1, column: colno + 1 };
  if (e instanceof MartqlError) {
    if (!e.location) (e as { location?: unknown }).location = location;
    else {
      const stack = e.data?.templateStack;
      if (Array.isArray(stack)) stack.push(`${path}:${lineno + 1}`);
    }
    return e;
  }
  const message =
    e instanceof PyError
      ? `${e.pyType}: ${e.message}`
      : e instanceof Error
        ? `${e.name === 'Error' ? '' : `${e.name}: `}${e.message}`
        : String(e);
  return new MartqlError('JINJA_RENDER', message, { location, cause: e, data: { templateStack: [] } });
}
