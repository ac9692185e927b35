/**
 * What one /graphql request was, for its log line and the latency metric: the operation's name
 * and type (known only once Apollo has parsed and resolved it) and the codes of the errors it
 * answered with. An Apollo plugin fills a record that the HTTP handler created for the request;
 * the two meet through the request's context object, under a symbol key so no resolver sees it
 * (Apollo hands plugins a shallow copy of the context, so the record must be a property of it, not
 * keyed by its identity).
 */
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { Kind, type DocumentNode, type OperationDefinitionNode } from 'graphql';

export interface RequestRecord {
  operationName?: string;
  /** query, mutation or subscription; absent when the request never got that far. */
  operationType?: string;
  errorCodes: string[];
}

export interface RequestRecorder {
  plugin: ApolloServerPlugin<BaseContext>;
  /** Ties a new record to the context object Apollo will hand the plugin. */
  track(context: object): RequestRecord;
}

const RECORD = Symbol('martql.requestRecord');

function recordOf(context: unknown): RequestRecord | undefined {
  return (context as { [RECORD]?: RequestRecord } | undefined)?.[RECORD];
}

/** The operation a request will run, read from its parsed document (so a query refused by validation still has a name). */
function operationOf(document: DocumentNode, name: string | undefined): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (name === undefined) return operations.length === 1 ? operations[0] : undefined;
  return operations.find((op) => op.name?.value === name);
}

export function createRequestRecorder(): RequestRecorder {
  return {
    track(context) {
      const record: RequestRecord = { errorCodes: [] };
      (context as { [RECORD]?: RequestRecord })[RECORD] = record;
      return record;
    },
    plugin: {
      async requestDidStart(start) {
        const record = recordOf(start.contextValue);
        if (!record) return;
        record.operationName = start.request.operationName ?? undefined;
        return {
          async validationDidStart(rc) {
            const op = operationOf(rc.document, record.operationName);
            record.operationType = op?.operation;
            record.operationName = op?.name?.value ?? record.operationName;
          },
          async didResolveOperation(rc) {
            record.operationType = rc.operation?.operation;
            record.operationName = rc.operationName ?? record.operationName;
          },
          async willSendResponse(rc) {
            const { body } = rc.response;
            const errors = body.kind === 'single' ? (body.singleResult.errors ?? []) : [];
            for (const error of errors) {
              const code = error.extensions?.code;
              record.errorCodes.push(typeof code === 'string' ? code : 'UNKNOWN');
            }
          },
        };
      },
    },
  };
}
