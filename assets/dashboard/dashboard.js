/*
 * The reference dashboard: InnovateCorp's marts read through MartQL's public GraphQL API, as a BI
 * tool would read them. Three charts (cohort retention as a heatmap, attributed value by channel
 * for every attribution model side by side, the predicted-CLV distribution by customer segment)
 * and an operations panel (operations.js). Each panel loads on its own, so one failing query (a
 * server without that model, say) leaves the others working, and each says how fresh its data was
 * (`meta.freshness`) and how long the query took.
 */
/* global MartqlApi, MartqlCharts, MartqlOperations */
(function () {
  'use strict';
  var PAGE = 500;
  var status = document.getElementById('status');
  var tokenInput = document.getElementById('token');
  var cohortType = document.getElementById('cohort-type');

  function percent(v) {
    return (v * 100).toFixed(v < 0.1 ? 1 : 0) + '%';
  }
  function money(v) {
    if (Math.abs(v) >= 1e6) return '$' + (v / 1e6).toFixed(1) + 'M';
    if (Math.abs(v) >= 1e3) return '$' + (v / 1e3).toFixed(v >= 1e4 ? 0 : 1) + 'k';
    return '$' + v.toFixed(0);
  }
  function metaLine(panel, meta, extra) {
    var line = panel.querySelector('.meta');
    line.textContent =
      (meta
        ? meta.freshness +
          ', built ' +
          (meta.lastBuiltAt ? new Date(meta.lastBuiltAt).toLocaleString() : 'never') +
          ', query ' +
          Math.round(meta.queryMs) +
          ' ms'
        : '') + (extra ? ' \u00b7 ' + extra : '');
  }
  /** A panel's failure, said in the panel; a missing token also said at the top. */
  function failed(panel) {
    return function (err) {
      if (err === MartqlApi.STALE) return;
      var chart = panel.querySelector('.chart');
      chart.textContent = '';
      var p = document.createElement('p');
      p.className = 'error';
      p.textContent = err.message;
      chart.appendChild(p);
      if (err.code === 'UNAUTHENTICATED') {
        status.textContent = 'This server needs a token for reads: type it above.';
        status.className = 'warn';
        tokenInput.focus();
      }
    };
  }

  var RETENTION = function (offset) {
    return (
      'query Retention($type: String!) { cohortRetention(where: {cohortType: {eq: $type}}, ' +
      'orderBy: [{column: COHORT_START}, {column: PERIOD_NUMBER}], limit: ' +
      PAGE +
      ', offset: ' +
      offset +
      ') ' +
      '{ rows { cohortStart periodNumber cohortSize retentionRate } meta { freshness lastBuiltAt queryMs } } }'
    );
  };
  function loadRetention() {
    var panel = document.getElementById('retention');
    return MartqlApi.latest(
      'retention',
      MartqlApi.allRows('cohortRetention', RETENTION, PAGE, 20, { type: cohortType.value }),
    )
      .then(function (answer) {
        var cohorts = [];
        var index = {};
        var periods = 0;
        answer.rows.forEach(function (r) {
          if (!(r.cohortStart in index)) {
            index[r.cohortStart] = cohorts.length;
            cohorts.push({ label: r.cohortStart, note: String(r.cohortSize), cells: {} });
          }
          cohorts[index[r.cohortStart]].cells[r.periodNumber] = r.retentionRate;
          periods = Math.max(periods, r.periodNumber + 1);
        });
        var columns = [];
        for (var p = 0; p < periods; p++) columns.push(p);
        MartqlCharts.heatmap(panel.querySelector('.chart'), {
          label: 'Retention by ' + cohortType.value + ' cohort',
          rows: cohorts,
          columns: columns,
          value: function (r, c) {
            var v = cohorts[r].cells[columns[c]];
            return v === undefined ? null : v;
          },
          format: percent,
        });
        metaLine(panel, answer.meta, cohorts.length + ' cohorts; the number left of each row is its size');
      })
      .catch(failed(panel));
  }

  var ATTRIBUTION =
    '{ attributionByChannel(limit: 1000, orderBy: [{column: CHANNEL}, {column: ATTRIBUTION_MODEL}]) ' +
    '{ rows { attributionModel channel attributedValue share } meta { freshness lastBuiltAt queryMs } } }';
  function loadAttribution() {
    var panel = document.getElementById('attribution');
    return MartqlApi.latest('attribution', MartqlApi.request(ATTRIBUTION))
      .then(function (data) {
        var rows = data.attributionByChannel.rows;
        var values = {};
        var totals = {};
        var models = [];
        rows.forEach(function (r) {
          values[r.channel + '\u0000' + r.attributionModel] = r.attributedValue;
          totals[r.channel] = (totals[r.channel] || 0) + (r.attributedValue || 0);
          if (models.indexOf(r.attributionModel) < 0) models.push(r.attributionModel);
        });
        // Channels by total value, biggest first; models in a fixed order, data-driven last.
        var channels = Object.keys(totals).sort(function (a, b) {
          return totals[b] - totals[a];
        });
        models.sort(function (a, b) {
          return (a === 'markov') - (b === 'markov') || a.localeCompare(b);
        });
        MartqlCharts.groupedBars(panel.querySelector('.chart'), {
          label: 'Attributed value by channel and attribution model',
          groups: channels,
          series: models,
          value: function (channel, model) {
            return values[channel + '\u0000' + model];
          },
          format: money,
        });
        metaLine(
          panel,
          data.attributionByChannel.meta,
          channels.length + ' channels \u00d7 ' + models.length + ' models',
        );
      })
      .catch(failed(panel));
  }

  var SEGMENTS =
    '{ customerClvAggregate(groupBy: [CUSTOMER_SEGMENT], orderBy: [{column: CUSTOMER_SEGMENT}]) ' +
    '{ rows { customerSegment count avg { predictedClv } min { predictedClv } max { predictedClv } } meta { freshness lastBuiltAt queryMs } } }';
  var CLV_ROWS = function (offset) {
    return (
      '{ customerClv(limit: ' +
      PAGE +
      ', offset: ' +
      offset +
      ', orderBy: [{column: CUSTOMER_ID}]) { rows { customerSegment predictedClv } meta { freshness lastBuiltAt queryMs } } }'
    );
  };
  function loadClv() {
    var panel = document.getElementById('clv');
    var both = Promise.all([
      MartqlApi.request(SEGMENTS),
      MartqlApi.allRows('customerClv', CLV_ROWS, PAGE, 40),
    ]);
    return MartqlApi.latest('clv', both)
      .then(function (answers) {
        // Most valuable segment first.
        var segments = answers[0].customerClvAggregate.rows.slice().sort(function (a, b) {
          return (b.avg.predictedClv || 0) - (a.avg.predictedClv || 0);
        });
        var values = answers[1].rows
          .map(function (r) {
            return r.predictedClv;
          })
          .filter(function (v) {
            return v !== null;
          })
          .sort(function (a, b) {
            return a - b;
          });
        // Bins up to the 98th percentile, so a few very large values do not flatten the rest.
        var upTo = values.length
          ? values[Math.floor((values.length - 1) * 0.98)] || values[values.length - 1]
          : 1;
        MartqlCharts.histograms(panel.querySelector('.chart'), {
          label: 'Predicted CLV distribution by segment',
          bins: 24,
          upTo: upTo > 0 ? upTo : 1,
          format: money,
          groups: segments.map(function (s) {
            return {
              label: s.customerSegment || '(none)',
              stats:
                s.count +
                ' customers, mean ' +
                money(s.avg.predictedClv || 0) +
                ', ' +
                money(s.min.predictedClv || 0) +
                '\u2013' +
                money(s.max.predictedClv || 0),
              values: answers[1].rows
                .filter(function (r) {
                  return r.customerSegment === s.customerSegment && r.predictedClv !== null;
                })
                .map(function (r) {
                  return r.predictedClv;
                }),
            };
          }),
        });
        metaLine(
          panel,
          answers[0].customerClvAggregate.meta,
          answers[1].truncated ? 'histograms of the first ' + answers[1].rows.length + ' customers' : null,
        );
      })
      .catch(failed(panel));
  }

  function loadAll() {
    status.textContent = 'Loading\u2026';
    status.className = '';
    return Promise.all([loadRetention(), loadAttribution(), loadClv(), MartqlOperations.loadModels()]).then(
      function () {
        if (status.className !== 'warn') status.textContent = 'Updated ' + new Date().toLocaleTimeString();
      },
    );
  }

  document.getElementById('token-form').addEventListener('submit', function (event) {
    event.preventDefault();
    MartqlApi.setToken(tokenInput.value.trim());
    loadAll();
  });
  cohortType.addEventListener('change', loadRetention);
  tokenInput.value = MartqlApi.token();
  MartqlOperations.init({ onRefreshed: loadAll });
  loadAll();
})();
