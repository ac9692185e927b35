/*
 * The two kinds of page of the MartQL docs: the overview (the project and its whole lineage) and a
 * node's page. `MartqlDocsPages(h, data, byId, hrefOf)` returns their builders; docs.js decides
 * which one the URL asks for. `h` builds DOM elements from text, never from HTML.
 */
/* global MartqlLineage */
(function () {
  'use strict';
  var KIND_NAMES = {
    source: 'source',
    seed: 'seed',
    model: 'model',
    snapshot: 'snapshot',
    analysis: 'analysis',
  };

  window.MartqlDocsPages = function (h, data, byId, hrefOf) {
    function go(id) {
      location.hash = hrefOf(id);
    }

    function lineageBox(selected) {
      var box = h('div', { class: 'lineage-box', id: 'lineage' });
      // Drawn once the box is in the page, so it can scroll the selected node into view.
      requestAnimationFrame(function () {
        MartqlLineage.render(box, data.lineage, byId, { selected: selected, onSelect: go });
      });
      return box;
    }

    function legend() {
      return h(
        'p',
        { class: 'legend' },
        Object.keys(KIND_NAMES).map(function (kind) {
          return h('span', { class: 'legend-item kind-' + kind }, h('i', {}), KIND_NAMES[kind]);
        }),
        h('span', { class: 'legend-item is-upstream' }, h('i', {}), 'upstream'),
        h('span', { class: 'legend-item is-downstream' }, h('i', {}), 'downstream'),
      );
    }

    function overview() {
      var count = function (kind) {
        return data.nodes.filter(function (n) {
          return n.resourceType === kind;
        }).length;
      };
      return h(
        'article',
        { class: 'overview' },
        h('h1', { text: data.project }),
        h('p', {
          class: 'summary',
          text:
            count('model') +
            ' models, ' +
            count('source') +
            ' sources, ' +
            count('seed') +
            ' seeds, ' +
            count('snapshot') +
            ' snapshots and ' +
            data.tests.length +
            ' tests. Generated ' +
            new Date(data.generatedAt).toLocaleString() +
            '.',
        }),
        h('h2', { text: 'Lineage' }),
        h('p', {
          class: 'hint',
          text: 'Point at a node to trace what it reads and what reads it; click it to open its page.',
        }),
        legend(),
        lineageBox(null),
      );
    }

    function testSummary(test) {
      var args = Object.keys(test.args || {})
        .map(function (key) {
          var value = test.args[key];
          return key + ': ' + (typeof value === 'string' ? value : JSON.stringify(value));
        })
        .join(', ');
      return args;
    }

    function columnsTable(node) {
      if (!node.columns.length)
        return h('p', {
          class: 'empty',
          text: 'No columns known: the relation is not in the warehouse and none are declared.',
        });
      return h(
        'table',
        { class: 'columns', id: 'columns' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['#', 'Column', 'Type', 'Declared type', 'Description', 'Tests'].map(function (t) {
              return h('th', { text: t });
            }),
          ),
        ),
        h(
          'tbody',
          {},
          node.columns.map(function (c) {
            return h(
              'tr',
              { 'data-column': c.name },
              h('td', { class: 'num', text: c.index === null ? '' : String(c.index) }),
              h('td', {}, h('code', { text: c.name })),
              h('td', { class: 'type', text: c.type || 'not in the warehouse' }),
              h('td', { text: c.declaredType || '' }),
              h('td', { class: 'desc', text: c.description }),
              h(
                'td',
                {},
                c.tests.map(function (id) {
                  var t = data.testsById[id];
                  return h('span', { class: 'chip', title: t ? t.name : id, text: t ? t.kind : id });
                }),
              ),
            );
          }),
        ),
      );
    }

    function testsTable(node) {
      if (!node.tests.length) return h('p', { class: 'empty', text: 'No tests.' });
      return h(
        'table',
        { class: 'tests' },
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            ['Test', 'Column', 'Arguments', 'Severity'].map(function (t) {
              return h('th', { text: t });
            }),
          ),
        ),
        h(
          'tbody',
          {},
          node.tests.map(function (id) {
            var t = data.testsById[id];
            return h(
              'tr',
              {},
              h('td', { title: t.name }, h('code', { text: t.kind })),
              h('td', { text: t.column || '' }),
              h('td', { text: testSummary(t) }),
              h('td', { text: t.severity }),
            );
          }),
        ),
      );
    }

    function links(ids) {
      if (!ids.length) return h('p', { class: 'empty', text: 'None.' });
      return h(
        'ul',
        { class: 'links' },
        ids.map(function (id) {
          var other = byId[id];
          return h(
            'li',
            {},
            h('span', {
              class: 'badge kind-' + (other ? other.resourceType : 'model'),
              text: other ? other.resourceType : '',
            }),
            h('a', { href: hrefOf(id), text: other ? other.label : id }),
          );
        }),
      );
    }

    function codeTabs(node) {
      var tabs = [];
      if (node.compiledSql !== null) tabs.push(['compiled', 'Compiled SQL', node.compiledSql]);
      if (node.rawCode !== null)
        tabs.push(['source', node.language === 'typescript' ? 'TypeScript' : 'Source', node.rawCode]);
      if (!tabs.length) return null;
      var pre = h('pre', { class: 'code' });
      var buttons = tabs.map(function (tab, i) {
        var button = h('button', {
          type: 'button',
          class: 'tab',
          'data-tab': tab[0],
          text: tab[1],
          on: {
            click: function () {
              show(i);
            },
          },
        });
        return button;
      });
      function show(i) {
        buttons.forEach(function (b, j) {
          b.classList.toggle('active', i === j);
        });
        pre.id = tabs[i][0] === 'compiled' ? 'compiled-sql' : 'source-code';
        pre.textContent = tabs[i][2];
      }
      show(0);
      return h(
        'section',
        { class: 'code-section' },
        h('h2', { text: 'Code' }),
        h('div', { class: 'tabs' }, buttons),
        pre,
      );
    }

    function facts(node) {
      var rows = [
        ['Relation', node.relation],
        ['In the warehouse', node.relation ? node.relationType || 'not built yet' : null],
        ['Materialized', node.materialized],
        ['GraphQL field', node.graphqlField],
        ['Package', node.package],
        ['File', node.path],
        ['Tags', node.tags.length ? node.tags.join(', ') : null],
        ['Owner', node.owner],
        ['Loader', node.source && node.source.loader],
        ['Loaded-at field', node.source && node.source.loadedAtField],
      ];
      return h(
        'dl',
        { class: 'facts' },
        rows
          .filter(function (r) {
            return r[1];
          })
          .map(function (r) {
            return [h('dt', { text: r[0] }), h('dd', {}, h('code', { text: r[1] }))];
          }),
      );
    }

    function node(n) {
      return h(
        'article',
        { class: 'node', 'data-id': n.id },
        h('p', { class: 'crumbs' }, h('a', { href: '#!/', text: data.project }), ' / ' + n.resourceType),
        h('h1', {}, h('span', { class: 'badge kind-' + n.resourceType, text: n.resourceType }), ' ', n.label),
        facts(n),
        h(
          'section',
          {},
          h('h2', { text: 'Description' }),
          h('p', {
            class: n.description ? 'description' : 'empty',
            text: n.description || 'No description.',
          }),
        ),
        h('section', {}, h('h2', { text: 'Columns' }), columnsTable(n)),
        h('section', {}, h('h2', { text: 'Tests' }), testsTable(n)),
        h(
          'section',
          { class: 'neighbours' },
          h('div', {}, h('h2', { text: 'Depends on' }), links(n.upstream)),
          h('div', {}, h('h2', { text: 'Referenced by' }), links(n.downstream)),
        ),
        h('section', {}, h('h2', { text: 'Lineage' }), legend(), lineageBox(n.id)),
        codeTabs(n),
      );
    }

    return { overview: overview, node: node };
  };
})();
