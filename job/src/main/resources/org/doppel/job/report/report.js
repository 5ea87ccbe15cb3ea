// Draws the listed pairs from the page's data block, and a pair's reason and passages when it is opened (a pair
// named in the address, #pair-N, is opened), from the block's compressed part, inflated on first use; filters
// clusters and pairs by path and pairs by method, and says how many are shown. Builds elements and text nodes
// only: no text ever becomes markup.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var lazy = null;
  function details() { // {texts, details}: base64 of gzip of JSON
    if (!lazy) {
      var bin = atob(data.z), bytes = new Uint8Array(bin.length);
      for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
      lazy = new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'))).text().then(JSON.parse);
    }
    return lazy;
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }
  function add(parent) {
    for (var i = 1; i < arguments.length; i++) {
      var c = arguments[i];
      if (c != null && c !== '') parent.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    }
    return parent;
  }
  function count(n) { return n.toLocaleString('en-US'); }
  function path(doc) {
    var e = el(doc.href ? 'a' : 'span', 'path', doc.path);
    if (doc.href) e.href = doc.href;
    return e;
  }
  // characters [from, to) of a document's text, from the segments the page carries
  function slice(doc, from, to) {
    var segs = doc.t == null ? [] : texts[doc.t], out = '';
    for (var i = 0; i < segs.length; i++) {
      var at = segs[i][0], s = segs[i][1];
      if (at + s.length > from && at < to) out += s.substring(Math.max(from, at) - at, Math.min(to, at + s.length) - at);
    }
    return out;
  }
  // the window part [from, to), with the runs of words the other side lacks (absolute [from, to) pairs) marked
  function marked(parent, doc, from, to, runs) {
    var pos = from;
    for (var i = 0; i < runs.length; i += 2) {
      var a = Math.max(runs[i], from), b = Math.min(runs[i + 1], to);
      if (b <= a) continue;
      add(parent, slice(doc, pos, a), el('span', 'd', slice(doc, a, b)));
      pos = b;
    }
    add(parent, slice(doc, pos, to));
  }
  // v: [ctxFrom, start, headEnd, tailStart, end, ctxTo, runs]
  function text(doc, v) {
    var div = el('div', 'text'), mark = el('mark');
    if (v[0] < v[1]) div.appendChild(el('span', 'ctx', (v[0] > 0 ? '\u2026' : '') + slice(doc, v[0], v[1])));
    marked(mark, doc, v[1], v[2], v[6]);
    if (v[3] > v[2]) {
      add(mark, ' ', el('span', 'elided', '[\u2026 ' + count(v[3] - v[2]) + ' characters not shown \u2026]'), ' ');
      marked(mark, doc, v[3], v[4], v[6]);
    }
    div.appendChild(mark);
    if (v[4] < v[5]) div.appendChild(el('span', 'ctx', slice(doc, v[4], v[5]) + (v[5] < doc.chars ? '\u2026' : '')));
    return div;
  }
  function passage(rank, g, A, B) {
    var head = add(el('div', 'passage-head'), el('b', null, 'Passage ' + rank), ' cosine ' + g.s + ' \u00b7 A chars '
      + count(g.a[1]) + '\u2013' + count(g.a[4]) + ' \u00b7 B chars ' + count(g.b[1]) + '\u2013' + count(g.b[4]));
    if (g.w != null) add(head, ' \u00b7 ' + (g.w === 0 ? 'same words' : count(g.w) + ' words differ'));
    return add(el('div', 'passage'), head, add(el('div', 'cols'), text(A, g.a), text(B, g.b)));
  }
  function side(label, doc, coverage) {
    var meta = add(el('div', 'meta'), doc.meta);
    if (coverage != null) {
      var bar = el('span', 'cov'), fill = el('span');
      fill.style.width = coverage + '%';
      add(meta, (doc.meta ? ' \u00b7 ' : '') + 'coverage ', add(bar, fill), ' ' + coverage + '%');
    }
    return add(el('div', 'side'), add(el('div', 'path'), el('span', 'side-label', label), doc.path), meta);
  }
  var texts = [];
  function draw(d) {
    if (d.drawn) return;
    d.drawn = true;
    var i = +d.getAttribute('data-index'), wait = el('p', 'muted', 'Loading\u2026');
    d.appendChild(wait);
    details().then(function (lazy) {
      texts = lazy.texts;
      d.removeChild(wait);
      body(d, data.pairs[i], lazy.details[i]);
    }, function (e) {
      wait.textContent = 'This browser could not unpack the passages (' + e + '); pairs.csv has them.';
    });
  }
  function body(d, p, q) {
    var A = data.docs[p.a], B = data.docs[p.b];
    var why = add(el('div', 'reason'), el('span', 'muted', q.r));
    if (p.k != null) {
      var c = el('a', null, 'cluster of ' + data.docs[p.k].path);
      c.href = '#cluster-' + data.docs[p.k].id;
      add(why, ' ', c);
    }
    add(d, why, add(el('div', 'cols'), side('A', A, p.ca), side('B', B, p.cb)));
    if (!q.p) {
      d.appendChild(el('p', 'muted', q.cut ? 'Passages not embedded: the page carries the passages of the pairs '
        + 'listed first, up to its size limit; pairs.csv has passage_a and passage_b.' : 'No passages for this pair.'));
      return;
    }
    var more = null;
    q.p.forEach(function (g, k) {
      if (k === 1) {
        more = add(el('details'), el('summary', null, (q.p.length - 1) + (q.p.length === 2 ? ' more passage' : ' more passages')));
        d.appendChild(more);
      }
      (more || d).appendChild(passage(k + 1, g, A, B));
    });
  }

  var list = document.getElementById('pair-list'), rows = document.createDocumentFragment();
  data.pairs.forEach(function (p, i) {
    var A = data.docs[p.a], B = data.docs[p.b], d = el('details', 'pair');
    d.id = 'pair-' + p.n;
    d.setAttribute('data-index', i);
    d.setAttribute('data-method', p.m);
    d.setAttribute('data-filter', A.path.toLowerCase() + '\n' + B.path.toLowerCase());
    var head = add(el('summary', 'pair-head'), el('span', 'num-label', '#' + p.n), el('span', 'score big', p.s),
      el('span', 'badge ' + p.m, p.m), path(A), ' \u2194 ', path(B));
    if (p.ca != null) add(head, el('span', 'muted', 'coverage ' + p.ca + '% / ' + p.cb + '%'));
    d.appendChild(head);
    d.addEventListener('toggle', function () { if (d.open) draw(d); });
    rows.appendChild(d);
  });
  list.appendChild(rows);

  function openNamed() {
    var target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (target && target.classList.contains('pair')) {
      draw(target);
      target.open = true;
      target.scrollIntoView();
    }
  }
  window.addEventListener('hashchange', openNamed);
  openNamed();

  var filter = document.getElementById('filter');
  var method = document.getElementById('method');
  var shown = document.getElementById('shown');
  var items = Array.prototype.slice.call(document.querySelectorAll('[data-filter]'));
  var clusterTotal = items.filter(function (e) { return e.classList.contains('cluster'); }).length;
  var pairTotal = items.length - clusterTotal;
  function apply() {
    var text = filter.value.trim().toLowerCase();
    var m = method.value;
    var clusters = 0, pairs = 0;
    items.forEach(function (e) {
      var visible = (!text || e.getAttribute('data-filter').indexOf(text) >= 0)
        && (!m || !e.hasAttribute('data-method') || e.getAttribute('data-method') === m);
      e.hidden = !visible;
      if (visible && e.classList.contains('cluster')) clusters++;
      if (visible && e.classList.contains('pair')) pairs++;
    });
    shown.textContent = 'Showing ' + clusters + ' of ' + clusterTotal + ' clusters and ' + pairs + ' of ' + pairTotal
      + ' pairs in detail' + (text || m ? ' (filtered)' : '');
  }
  filter.addEventListener('input', apply);
  method.addEventListener('change', apply);
  apply();
})();
