/*
 * Starts GraphiQL in the playground page. React, ReactDOM and GraphiQL are the UMD bundles the page
 * loads before this file, all served by the MartQL server itself so the playground works offline.
 * The endpoint and the example tabs come from the JSON block the server writes into the page.
 */
/* global React, ReactDOM, GraphiQL */
(function () {
  'use strict';
  var config = JSON.parse(document.getElementById('martql-playground-config').textContent);
  var fetcher = GraphiQL.createFetcher({ url: config.endpoint });
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultTabs: config.tabs,
      // The Headers pane is where a user puts `Authorization: Bearer <token>`; show it when the
      // server asks for one.
      defaultEditorToolsVisibility: config.authRequired ? 'headers' : false,
      defaultHeaders: config.authRequired ? '{\n  "Authorization": "Bearer <token>"\n}' : undefined,
    }),
  );
})();
