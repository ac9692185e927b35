/*
 * The dashboard's only way to the data: POST /graphql, exactly as any BI frontend would call the
 * public API. The token the user typed (kept in sessionStorage, so it lives as long as the tab)
 * goes in `Authorization: Bearer`; the server wants it for reads when MARTQL_READ_TOKEN is set and
 * always for mutations (the admin token).
 */
(function () {
  'use strict';
  var TOKEN_KEY = 'martql-token';

  /** An error the page can explain: `code` is the GraphQL `extensions.code` (or HTTP's 401). */
  function ApiError(message, code) {
    var err = new Error(message);
    err.code = code;
    return err;
  }

  function token() {
    return sessionStorage.getItem(TOKEN_KEY) || '';
  }

  function setToken(value) {
    if (value) sessionStorage.setItem(TOKEN_KEY, value);
    else sessionStorage.removeItem(TOKEN_KEY);
  }

  /** Runs one operation; resolves to `data`, rejects with the first error (and its code). */
  function request(query, variables) {
    var headers = { 'content-type': 'application/json' };
    if (token()) headers.authorization = 'Bearer ' + token();
    return fetch('/graphql', {
      method: 'POST',
      headers: headers,
      body: JSON.stringify({ query: query, variables: variables || {} }),
    }).then(function (res) {
      return res
        .json()
        .catch(function () {
          throw ApiError('the server answered ' + res.status + ' without JSON', 'HTTP_' + res.status);
        })
        .then(function (body) {
          if (body.errors && body.errors.length) {
            var first = body.errors[0];
            var code =
              (first.extensions && first.extensions.code) || (res.status === 401 ? 'UNAUTHENTICATED' : null);
            throw ApiError(first.message, code);
          }
          if (!res.ok) throw ApiError('the server answered ' + res.status, 'HTTP_' + res.status);
          return body.data;
        });
    });
  }

  /**
   * Every row of a paged model query: `field` is the query field, `build(offset)` the operation
   * text for one page of `pageSize` rows. Stops at `maxPages` and says so (`truncated`).
   */
  function allRows(field, build, pageSize, maxPages, variables) {
    var rows = [];
    var meta = null;
    function page(n) {
      return request(build(n * pageSize), variables).then(function (data) {
        var answer = data[field];
        rows = rows.concat(answer.rows);
        meta = meta || answer.meta;
        if (answer.rows.length < pageSize) return { rows: rows, meta: meta, truncated: false };
        if (n + 1 >= maxPages) return { rows: rows, meta: meta, truncated: true };
        return page(n + 1);
      });
    }
    return page(0);
  }

  /** Why a superseded load was dropped: callers ignore it. */
  var STALE = new Error('superseded by a newer load');
  var tickets = {};

  /**
   * `promise`, unless another load with the same `key` started after it: then it rejects with
   * STALE, so an older answer arriving late (a reload during a refresh, a quick change of a
   * select) never overwrites a newer one.
   */
  function latest(key, promise) {
    var ticket = (tickets[key] = (tickets[key] || 0) + 1);
    var check = function () {
      if (tickets[key] !== ticket) throw STALE;
    };
    return promise.then(
      function (value) {
        check();
        return value;
      },
      function (err) {
        check();
        throw err;
      },
    );
  }

  window.MartqlApi = {
    request: request,
    allRows: allRows,
    latest: latest,
    STALE: STALE,
    token: token,
    setToken: setToken,
  };
})();
