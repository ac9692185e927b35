/**
 * What a client sees of an error: a message and `extensions.code`, never a stack.
 *
 * - `QueryError` (a bad argument the builder refused): BAD_USER_INPUT with `argumentPath`;
 * - a GraphQLError we or graphql-js raised with a code (BAD_USER_INPUT, FORBIDDEN, Apollo's
 *   GRAPHQL_PARSE_FAILED / GRAPHQL_VALIDATION_FAILED ...): kept as it is, except that a validation
 *   rule's own code (QUERY_TOO_DEEP, QUERY_TOO_COMPLEX) wins over the GRAPHQL_VALIDATION_FAILED
 *   Apollo wraps every validation error in;
 * - `MartqlError`: its own code and message (they are written for users);
 * - anything else: INTERNAL_SERVER_ERROR with a fixed message; the real error goes to the log.
 *
 * The formatter never throws (Apollo's rule for `formatError`): a failure inside it gives the
 * fixed internal error.
 */
import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { MartqlError } from '../errors';
import { QueryError } from '../graphql/query';

const INTERNAL = 'INTERNAL_SERVER_ERROR';

function withoutStack(extensions: GraphQLFormattedError['extensions']): Record<string, unknown> {
  const {
    stacktrace: _dropped,
    exception: _alsoDropped,
    ...rest
  } = (extensions ?? {}) as Record<string, unknown>;
  return rest;
}

function located(formatted: GraphQLFormattedError): Pick<GraphQLFormattedError, 'locations' | 'path'> {
  return {
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    ...(formatted.path ? { path: formatted.path } : {}),
  };
}

/** The code a GraphQLError was raised with, when it was raised with one. */
function ownCode(error: unknown): string | undefined {
  if (!(error instanceof GraphQLError)) return undefined;
  const code = error.extensions?.code;
  return typeof code === 'string' ? code : undefined;
}

export function createFormatError(
  log: (event: Record<string, unknown>) => void,
): (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError {
  return (formatted, error) => {
    try {
      const original = unwrapResolverError(error);
      if (original instanceof QueryError) {
        return {
          message: original.message,
          ...located(formatted),
          extensions: { code: original.code, argumentPath: original.path },
        };
      }
      if (original instanceof MartqlError) {
        return { message: original.message, ...located(formatted), extensions: { code: original.code } };
      }
      const extensions = withoutStack(formatted.extensions);
      const ruleCode = original instanceof GraphQLError ? ownCode(original.originalError) : undefined;
      if (ruleCode) extensions.code = ruleCode;
      const code = typeof extensions.code === 'string' ? extensions.code : undefined;
      if (original instanceof GraphQLError && code && code !== INTERNAL) {
        return { message: formatted.message, ...located(formatted), extensions };
      }
      log({
        event: 'internal_error',
        message: original instanceof Error ? original.message : String(original),
        stack: original instanceof Error ? original.stack : undefined,
      });
      return { message: 'Internal server error', ...located(formatted), extensions: { code: INTERNAL } };
    } catch {
      return { message: 'Internal server error', extensions: { code: INTERNAL } };
    }
  };
}
