/** Argument checks shared by resolvers: errors that name the argument the client can fix. */
import { GraphQLError } from 'graphql';

export function badInput(argumentPath: string, message: string): GraphQLError {
  return new GraphQLError(`${argumentPath}: ${message}`, {
    extensions: { code: 'BAD_USER_INPUT', argumentPath },
  });
}

export function boundedInt(value: unknown, min: number, max: number, path: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw badInput(path, `expected a whole number from ${min} to ${max}`);
  }
  return value;
}

export function forbidden(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'FORBIDDEN' } });
}
