/**
 * The Apollo half of raw JSON splicing (graphql/resolvers/raw-json.ts): once the operation has
 * executed and before Apollo serializes the result, the slots resolvers filled are marked in the
 * data. The HTTP handler (http-graphql.ts) fills them into the serialized body. A request carries
 * one operation (app.ts turns Apollo's batched requests off), so its slots are that operation's.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { ApiContext } from '../graphql/resolvers';

export const rawJsonPlugin: ApolloServerPlugin<ApiContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ response, contextValue }) {
        if (!contextValue.rawJson?.size) return;
        if (response.body.kind !== 'single') {
          // Apollo streams only incremental delivery (@defer), which graphql 16 does not execute.
          throw new Error('a response with raw JSON rows must be a single result');
        }
        contextValue.rawJson.mark(response.body.singleResult.data);
      },
    };
  },
};
