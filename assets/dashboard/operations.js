/*
 * The dashboard's operations panel: every model's freshness (would a query rebuild it first, and
 * why), when it was last built, how long its last run took and its p50/p95 build time over 30
 * days, and a button that runs the `refresh` mutation and follows the job (`refreshJob(id)`) until
 * it ends. Mutations need the admin token; the refusal is shown as the server words it.
 */
/* global MartqlApi */
(function () {
  'use strict';
  var POLL_MS = 600;
  var MODELS =
    '{ models { name uniqueId materialization exposed lastBuiltAt freshness { stale reasons } } ' +
    'modelPerformance(days: 30) { model runs failures lastStatus p50DurationMs p95DurationMs } ' +
    'runHistory(limit: 300) { model status kind durationMs completedAt trigger } }';
  var REFRESH =
    'mutation Refresh($select: String!, $full: Boolean!) { refresh(select: $select, fullRefresh: $full, wait: 0) ' +
    '{ id status error progress { total done running } } }';
  var JOB =
    'query Job($id: ID!) { refreshJob(id: $id) { id status error progress { total done running } ' +
    'refresh { kind durationMs refreshedModels } } }';
  var onRefreshed = function () {};

  function cell(text, cls, title) {
    var td = document.createElement('td');
    td.textContent = text;
    if (cls) td.className = cls;
    if (title) td.title = title;
    return td;
  }
  function ms(v) {
    if (v === null || v === undefined) return '';
    return v >= 1000 ? (v / 1000).toFixed(1) + ' s' : Math.round(v) + ' ms';
  }
  function when(iso) {
    return iso ? new Date(iso).toLocaleString() : 'never';
  }

  function loadModels() {
    var panel = document.getElementById('models');
    var chart = panel.querySelector('.chart');
    return MartqlApi.latest('models', MartqlApi.request(MODELS))
      .then(function (data) {
        var stats = {};
        data.modelPerformance.forEach(function (s) {
          stats[s.model] = s;
        });
        var last = {};
        // Newest first: the first run seen per model is its last.
        data.runHistory.forEach(function (r) {
          if (!last[r.model]) last[r.model] = r;
        });
        var table = document.createElement('table');
        table.className = 'models-table';
        var head = table.createTHead().insertRow();
        ['Model', 'Materialized', 'Freshness', 'Last built', 'Last run', 'p50 / p95 (30 d)', 'Runs'].forEach(
          function (h) {
            var th = document.createElement('th');
            th.textContent = h;
            head.appendChild(th);
          },
        );
        var body = table.createTBody();
        data.models.forEach(function (m) {
          var row = body.insertRow();
          row.setAttribute('data-model', m.name);
          var s = stats[m.uniqueId] || stats[m.name];
          var run = last[m.uniqueId] || last[m.name];
          row.appendChild(
            cell(m.name, m.exposed ? 'exposed' : '', m.exposed ? 'exposed in the GraphQL API' : m.uniqueId),
          );
          row.appendChild(cell(m.materialization));
          row.appendChild(
            cell(
              m.freshness.stale ? 'stale' : 'fresh',
              m.freshness.stale ? 'stale' : 'fresh',
              m.freshness.reasons.join('\n'),
            ),
          );
          row.appendChild(cell(when(m.lastBuiltAt)));
          row.appendChild(
            cell(
              run ? ms(run.durationMs) + ' ' + run.kind + ' (' + run.trigger + ', ' + run.status + ')' : '',
              run && run.status === 'error' ? 'stale' : '',
              run ? when(run.completedAt) : '',
            ),
          );
          row.appendChild(cell(s ? ms(s.p50DurationMs) + ' / ' + ms(s.p95DurationMs) : ''));
          row.appendChild(
            cell(s ? String(s.runs) + (s.failures ? ' (' + s.failures + ' failed)' : '') : '0'),
          );
        });
        chart.textContent = '';
        chart.appendChild(table);
        var stale = data.models.filter(function (m) {
          return m.freshness.stale;
        }).length;
        panel.querySelector('.meta').textContent = data.models.length + ' models, ' + stale + ' stale';
      })
      .catch(function (err) {
        if (err === MartqlApi.STALE) return;
        chart.textContent = '';
        var p = document.createElement('p');
        p.className = 'error';
        p.textContent = err.message;
        chart.appendChild(p);
      });
  }

  /** Shows the job's state in the panel; `data-status` carries it for scripts and tests. */
  function showJob(job) {
    var box = document.getElementById('job');
    box.setAttribute('data-status', job.status);
    box.setAttribute('data-job', job.id);
    box.className = 'job ' + job.status.toLowerCase();
    var text =
      'Job ' + job.id + ': ' + job.status + ', ' + job.progress.done + ' of ' + job.progress.total + ' nodes';
    if (job.progress.running.length) text += ' (running ' + job.progress.running.join(', ') + ')';
    if (job.refresh && job.status !== 'RUNNING') {
      var count = job.refresh.refreshedModels.length;
      text += ' \u2014 ' + job.refresh.kind + ' refresh of ' + count + (count === 1 ? ' model' : ' models');
      text += ' in ' + ms(job.refresh.durationMs);
    }
    if (job.error) text += ' \u2014 ' + job.error;
    box.textContent = text;
  }

  function follow(id) {
    return MartqlApi.request(JOB, { id: id }).then(function (data) {
      var job = data.refreshJob;
      if (!job) throw new Error('job ' + id + ' is no longer known to this server');
      showJob(job);
      if (job.status === 'RUNNING') {
        return new Promise(function (resolve) {
          setTimeout(resolve, POLL_MS);
        }).then(function () {
          return follow(id);
        });
      }
      return job;
    });
  }

  function refresh(event) {
    event.preventDefault();
    var button = document.getElementById('refresh-button');
    var box = document.getElementById('job');
    button.disabled = true;
    box.removeAttribute('data-status');
    box.className = 'job running';
    box.textContent = 'Starting the refresh\u2026';
    MartqlApi.request(REFRESH, {
      select: document.getElementById('refresh-select').value.trim(),
      full: document.getElementById('full-refresh').checked,
    })
      .then(function (data) {
        showJob(data.refresh);
        return follow(data.refresh.id);
      })
      .then(function () {
        return onRefreshed();
      })
      .catch(function (err) {
        box.className = 'job failed';
        box.setAttribute('data-status', 'ERROR');
        box.textContent =
          err.code === 'FORBIDDEN' || err.code === 'UNAUTHENTICATED'
            ? 'The refresh needs the admin token (MARTQL_ADMIN_TOKEN): ' + err.message
            : 'The refresh failed: ' + err.message;
      })
      .then(function () {
        button.disabled = false;
      });
  }

  window.MartqlOperations = {
    loadModels: loadModels,
    init: function (options) {
      onRefreshed = options.onRefreshed;
      document.getElementById('refresh-form').addEventListener('submit', refresh);
    },
  };
})();
