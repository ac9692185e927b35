/*
 * Draws the lineage graph of the MartQL docs as SVG. The layout (layers, order, coordinates, edge
 * bends) was computed when the docs were generated (src/docs/lineage-layout.ts); this file only
 * draws it and makes it answer the mouse and keyboard: a node opens its page, and pointing at a
 * node (or opening one) lights up everything upstream and downstream of it and dims the rest.
 */
(function () {
  'use strict';
  var SVG = 'http://www.w3.org/2000/svg';
  var MAX_LABEL = 25;

  function svg(tag, attrs) {
    var node = document.createElementNS(SVG, tag);
    for (var key in attrs) node.setAttribute(key, attrs[key]);
    return node;
  }

  /** A smooth path through the edge's points: straight along a layer, S-curves between layers. */
  function pathOf(points) {
    var d = 'M' + points[0][0] + ',' + points[0][1];
    for (var i = 1; i < points.length; i++) {
      var a = points[i - 1];
      var b = points[i];
      if (a[1] === b[1]) {
        d += ' L' + b[0] + ',' + b[1];
      } else {
        var mx = (a[0] + b[0]) / 2;
        d += ' C' + mx + ',' + a[1] + ' ' + mx + ',' + b[1] + ' ' + b[0] + ',' + b[1];
      }
    }
    return d;
  }

  /** Every node reachable from `id` along `next` (upstream or downstream), `id` excluded. */
  function reach(id, next) {
    var seen = {};
    var stack = [id];
    while (stack.length) {
      var current = stack.pop();
      (next[current] || []).forEach(function (other) {
        if (!seen[other]) {
          seen[other] = true;
          stack.push(other);
        }
      });
    }
    return seen;
  }

  /**
   * Renders `layout` into `container`. `nodes` maps unique id to the docs node (for labels and
   * kinds); `options.selected` is the node to centre and highlight; `options.onSelect(id)` runs
   * when a node is clicked or activated with Enter.
   */
  function render(container, layout, nodes, options) {
    options = options || {};
    var parents = {};
    var children = {};
    layout.edges.forEach(function (e) {
      (children[e.from] = children[e.from] || []).push(e.to);
      (parents[e.to] = parents[e.to] || []).push(e.from);
    });

    var root = svg('svg', {
      class: 'lineage',
      width: layout.width,
      height: layout.height,
      viewBox: '0 0 ' + layout.width + ' ' + layout.height,
      role: 'img',
      'aria-label': 'Lineage graph: ' + layout.nodes.length + ' nodes, ' + layout.edges.length + ' edges',
    });
    var defs = svg('defs', {});
    var marker = svg('marker', {
      id: 'lineage-arrow',
      viewBox: '0 0 10 10',
      refX: '10',
      refY: '5',
      markerWidth: '7',
      markerHeight: '7',
      orient: 'auto-start-reverse',
    });
    marker.appendChild(svg('path', { d: 'M0,0 L10,5 L0,10 z', class: 'lineage-arrowhead' }));
    defs.appendChild(marker);
    root.appendChild(defs);

    var edgeLayer = svg('g', { class: 'lineage-edges' });
    var edgeEls = layout.edges.map(function (e) {
      var path = svg('path', {
        class: 'lineage-edge',
        d: pathOf(e.points),
        'data-from': e.from,
        'data-to': e.to,
        'marker-end': 'url(#lineage-arrow)',
      });
      edgeLayer.appendChild(path);
      return path;
    });
    root.appendChild(edgeLayer);

    var nodeLayer = svg('g', { class: 'lineage-nodes' });
    var nodeEls = {};
    layout.nodes.forEach(function (placed) {
      var info = nodes[placed.id] || { label: placed.id, resourceType: 'model' };
      var g = svg('g', {
        class: 'lineage-node kind-' + info.resourceType,
        transform: 'translate(' + placed.x + ',' + placed.y + ')',
        'data-id': placed.id,
        'data-kind': info.resourceType,
        tabindex: '0',
        role: 'link',
        'aria-label': info.resourceType + ' ' + info.label,
      });
      var title = svg('title', {});
      title.textContent = placed.id;
      g.appendChild(title);
      g.appendChild(svg('rect', { width: layout.nodeWidth, height: layout.nodeHeight, rx: '6', ry: '6' }));
      g.appendChild(
        svg('rect', { class: 'lineage-kind', width: '6', height: layout.nodeHeight, rx: '3', ry: '3' }),
      );
      var text = svg('text', { x: '14', y: String(layout.nodeHeight / 2 + 4) });
      var label = info.label;
      text.textContent = label.length > MAX_LABEL ? label.slice(0, MAX_LABEL - 1) + '\u2026' : label;
      g.appendChild(text);
      g.addEventListener('click', function () {
        if (options.onSelect) options.onSelect(placed.id);
      });
      g.addEventListener('keydown', function (event) {
        if (event.key === 'Enter' && options.onSelect) options.onSelect(placed.id);
      });
      g.addEventListener('mouseenter', function () {
        focus(placed.id);
      });
      g.addEventListener('mouseleave', function () {
        focus(options.selected);
      });
      nodeLayer.appendChild(g);
      nodeEls[placed.id] = g;
    });
    root.appendChild(nodeLayer);

    /** Marks `id`, its ancestors and its descendants; with no id, clears the marks. */
    function focus(id) {
      var up = id ? reach(id, parents) : {};
      var down = id ? reach(id, children) : {};
      root.classList.toggle('has-focus', Boolean(id && nodeEls[id]));
      Object.keys(nodeEls).forEach(function (other) {
        var cls = nodeEls[other].classList;
        cls.toggle('is-selected', other === id);
        cls.toggle('is-upstream', Boolean(up[other]));
        cls.toggle('is-downstream', Boolean(down[other]));
      });
      edgeEls.forEach(function (path) {
        var from = path.getAttribute('data-from');
        var to = path.getAttribute('data-to');
        var upstream = (to === id || up[to]) && (from === id || up[from]);
        var downstream = (from === id || down[from]) && (to === id || down[to]);
        path.classList.toggle('is-upstream', Boolean(upstream));
        path.classList.toggle('is-downstream', Boolean(downstream));
      });
    }

    container.textContent = '';
    container.appendChild(root);
    focus(options.selected);
    var selected = options.selected && nodeEls[options.selected];
    if (selected) {
      var placed = layout.nodes.filter(function (n) {
        return n.id === options.selected;
      })[0];
      container.scrollLeft = Math.max(0, placed.x + layout.nodeWidth / 2 - container.clientWidth / 2);
      container.scrollTop = Math.max(0, placed.y + layout.nodeHeight / 2 - container.clientHeight / 2);
    }
    return { focus: focus };
  }

  window.MartqlLineage = { render: render, pathOf: pathOf };
})();
