/*
 * The dashboard's three charts, drawn as SVG by hand (no charting library, nothing from a CDN):
 * a heatmap, grouped bars and per-group histograms. Each takes plain arrays and a container and
 * knows nothing of GraphQL; every mark carries `data-*` attributes with what it shows, for a
 * <title> tooltip and for the browser tests.
 */
(function () {
  'use strict';
  var NS = 'http://www.w3.org/2000/svg';
  var PALETTE = ['#2f5fd0', '#e07b39', '#2e9d6a', '#c0417a', '#8a4fc8', '#c9a227', '#1f8f8a', '#7a8699'];

  function el(tag, attrs, text) {
    var node = document.createElementNS(NS, tag);
    for (var key in attrs) node.setAttribute(key, attrs[key]);
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function titled(node, text) {
    node.appendChild(el('title', {}, text));
    return node;
  }
  function mix(a, b, t) {
    var pa = [1, 3, 5].map(function (i) {
      return parseInt(a.substr(i, 2), 16);
    });
    var pb = [1, 3, 5].map(function (i) {
      return parseInt(b.substr(i, 2), 16);
    });
    return (
      'rgb(' +
      pa
        .map(function (v, i) {
          return Math.round(v + (pb[i] - v) * t);
        })
        .join(',') +
      ')'
    );
  }
  function widthOf(container, fallback) {
    return Math.max(fallback, container.clientWidth || fallback);
  }
  /** Round numbers for an axis from 0 to at least `max`. */
  function ticks(max, count) {
    if (!(max > 0)) return [0, 1];
    var step = Math.pow(10, Math.floor(Math.log10(max / count)));
    var nice = [1, 2, 2.5, 5, 10]
      .map(function (m) {
        return m * step;
      })
      .filter(function (s) {
        return max / s <= count;
      })[0];
    var out = [];
    for (var v = 0; v < max + nice; v += nice) out.push(v);
    return out;
  }

  /**
   * rows: [{ label, note }], columns: [header], value(rowIndex, columnIndex) -> number in [0, 1] or
   * null; format(value) -> text.
   */
  function heatmap(container, spec) {
    var left = 170;
    var top = 26;
    var cols = spec.columns.length;
    var cellW = Math.max(
      18,
      Math.min(52, Math.floor((widthOf(container, 640) - left - 10) / Math.max(1, cols))),
    );
    var cellH = 22;
    var svg = el('svg', {
      class: 'heatmap',
      width: left + cols * cellW + 10,
      height: top + spec.rows.length * cellH + 6,
      role: 'img',
      'aria-label': spec.label,
    });
    spec.columns.forEach(function (header, c) {
      svg.appendChild(
        el(
          'text',
          { x: left + c * cellW + cellW / 2, y: 16, class: 'axis', 'text-anchor': 'middle' },
          String(header),
        ),
      );
    });
    spec.rows.forEach(function (row, r) {
      var y = top + r * cellH;
      svg.appendChild(el('text', { x: 4, y: y + cellH / 2 + 4, class: 'axis' }, row.label));
      if (row.note)
        svg.appendChild(
          el(
            'text',
            { x: left - 6, y: y + cellH / 2 + 4, class: 'axis muted', 'text-anchor': 'end' },
            row.note,
          ),
        );
      spec.columns.forEach(function (header, c) {
        var value = spec.value(r, c);
        if (value === null || value === undefined) return;
        var t = Math.max(0, Math.min(1, value));
        var cell = el('rect', {
          class: 'heat-cell',
          x: left + c * cellW + 1,
          y: y + 1,
          width: cellW - 2,
          height: cellH - 2,
          fill: mix('#eef3fc', '#15307a', Math.sqrt(t)),
          'data-row': row.label,
          'data-column': String(header),
          'data-value': String(value),
        });
        svg.appendChild(titled(cell, row.label + ', period ' + header + ': ' + spec.format(value)));
        if (cellW >= 34) {
          svg.appendChild(
            el(
              'text',
              {
                x: left + c * cellW + cellW / 2,
                y: y + cellH / 2 + 4,
                class: 'cell-text' + (t > 0.3 ? ' on-dark' : ''),
                'text-anchor': 'middle',
              },
              spec.format(value),
            ),
          );
        }
      });
    });
    container.textContent = '';
    container.appendChild(svg);
  }

  /** groups: [name], series: [name], value(group, series) -> number or undefined, format(v). */
  function groupedBars(container, spec) {
    var width = widthOf(container, 640);
    var height = 300;
    var pad = { left: 70, right: 10, top: 12, bottom: 44 };
    var max = 0;
    spec.groups.forEach(function (g) {
      spec.series.forEach(function (s) {
        var v = spec.value(g, s);
        if (v > max) max = v;
      });
    });
    var axis = ticks(max, 5);
    var top = axis[axis.length - 1] || 1;
    var plotW = width - pad.left - pad.right;
    var plotH = height - pad.top - pad.bottom;
    var groupW = plotW / Math.max(1, spec.groups.length);
    var barW = Math.max(2, (groupW * 0.8) / Math.max(1, spec.series.length));
    var svg = el('svg', {
      class: 'bars',
      width: width,
      height: height,
      role: 'img',
      'aria-label': spec.label,
    });
    axis.forEach(function (v) {
      var y = pad.top + plotH - (v / top) * plotH;
      svg.appendChild(el('line', { x1: pad.left, x2: width - pad.right, y1: y, y2: y, class: 'grid' }));
      svg.appendChild(
        el('text', { x: pad.left - 6, y: y + 4, class: 'axis', 'text-anchor': 'end' }, spec.format(v)),
      );
    });
    spec.groups.forEach(function (g, gi) {
      var x0 = pad.left + gi * groupW + groupW * 0.1;
      svg.appendChild(
        el(
          'text',
          {
            x: pad.left + gi * groupW + groupW / 2,
            y: height - pad.bottom + 18,
            class: 'axis',
            'text-anchor': 'middle',
          },
          g,
        ),
      );
      spec.series.forEach(function (s, si) {
        var v = spec.value(g, s);
        if (v === undefined || v === null) return;
        var h = (Math.max(0, v) / top) * plotH;
        var bar = el('rect', {
          class: 'bar',
          x: x0 + si * barW,
          y: pad.top + plotH - h,
          width: Math.max(1, barW - 1),
          height: Math.max(0.5, h),
          fill: PALETTE[si % PALETTE.length],
          'data-group': g,
          'data-series': s,
          'data-value': String(v),
        });
        svg.appendChild(titled(bar, g + ' \u2014 ' + s + ': ' + spec.format(v)));
      });
    });
    var legend = document.createElement('p');
    legend.className = 'legend';
    spec.series.forEach(function (s, si) {
      var item = document.createElement('span');
      var swatch = document.createElement('i');
      swatch.style.background = PALETTE[si % PALETTE.length];
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(s));
      legend.appendChild(item);
    });
    container.textContent = '';
    container.appendChild(svg);
    container.appendChild(legend);
  }

  /**
   * One histogram per group on shared bins: groups: [{ label, values: [number], stats: text }],
   * bins: number of bins, upTo: the last bin's lower edge is below it and it takes everything above.
   */
  function histograms(container, spec) {
    var width = widthOf(container, 520);
    var labelW = 240;
    var rowH = 64;
    var plotW = width - labelW - 16;
    var binW = plotW / spec.bins;
    var svg = el('svg', {
      class: 'histograms',
      width: width,
      height: spec.groups.length * rowH + 24,
      role: 'img',
      'aria-label': spec.label,
    });
    spec.groups.forEach(function (group, gi) {
      var counts = new Array(spec.bins).fill(0);
      group.values.forEach(function (v) {
        var b = Math.floor((Math.max(0, v) / spec.upTo) * spec.bins);
        counts[Math.min(spec.bins - 1, b)] += 1;
      });
      var most = Math.max.apply(null, counts.concat([1]));
      var y0 = gi * rowH;
      svg.appendChild(el('text', { x: 0, y: y0 + 22, class: 'axis strong' }, group.label));
      svg.appendChild(el('text', { x: 0, y: y0 + 40, class: 'axis muted' }, group.stats));
      counts.forEach(function (n, b) {
        var h = (n / most) * (rowH - 14);
        var lo = (b * spec.upTo) / spec.bins;
        var hi = ((b + 1) * spec.upTo) / spec.bins;
        var bar = el('rect', {
          class: 'clv-bin',
          x: labelW + b * binW,
          y: y0 + rowH - 8 - h,
          width: Math.max(1, binW - 1),
          height: Math.max(n ? 1 : 0, h),
          fill: PALETTE[gi % PALETTE.length],
          'data-group': group.label,
          'data-count': String(n),
        });
        var range =
          b === spec.bins - 1 ? spec.format(lo) + ' and more' : spec.format(lo) + '\u2013' + spec.format(hi);
        svg.appendChild(titled(bar, group.label + ', ' + range + ': ' + n + ' customers'));
      });
      svg.appendChild(
        el('line', { x1: labelW, x2: labelW + plotW, y1: y0 + rowH - 8, y2: y0 + rowH - 8, class: 'grid' }),
      );
    });
    var yAxis = spec.groups.length * rowH + 14;
    [0, 0.25, 0.5, 0.75, 1].forEach(function (f) {
      svg.appendChild(
        el(
          'text',
          {
            x: labelW + f * plotW,
            y: yAxis,
            class: 'axis',
            'text-anchor': f === 0 ? 'start' : f === 1 ? 'end' : 'middle',
          },
          spec.format(f * spec.upTo) + (f === 1 ? '+' : ''),
        ),
      );
    });
    container.textContent = '';
    container.appendChild(svg);
  }

  window.MartqlCharts = {
    heatmap: heatmap,
    groupedBars: groupedBars,
    histograms: histograms,
    palette: PALETTE,
  };
})();
