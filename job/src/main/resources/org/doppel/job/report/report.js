// Filters clusters and pairs by path and pairs by method; says how many are shown. Reads and hides existing
// elements only: it never turns text into markup.
(function () {
  var filter = document.getElementById('filter');
  var method = document.getElementById('method');
  var shown = document.getElementById('shown');
  var items = Array.prototype.slice.call(document.querySelectorAll('[data-filter]'));
  var clusterTotal = items.filter(function (el) { return el.classList.contains('cluster'); }).length;
  var pairTotal = items.length - clusterTotal;
  function apply() {
    var text = filter.value.trim().toLowerCase();
    var m = method.value;
    var clusters = 0, pairs = 0;
    items.forEach(function (el) {
      var visible = (!text || el.getAttribute('data-filter').indexOf(text) >= 0)
        && (!m || !el.hasAttribute('data-method') || el.getAttribute('data-method') === m);
      el.hidden = !visible;
      if (visible && el.classList.contains('cluster')) clusters++;
      if (visible && el.classList.contains('pair')) pairs++;
    });
    shown.textContent = 'Showing ' + clusters + ' of ' + clusterTotal + ' clusters and ' + pairs + ' of ' + pairTotal
      + ' pairs in detail' + (text || m ? ' (filtered)' : '');
  }
  filter.addEventListener('input', apply);
  method.addEventListener('change', apply);
  apply();
})();
