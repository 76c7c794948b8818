// Charts in the reader's colour mode (dcbook.render draws each chart through window.dcbookChartSpec).
// In dark mode every colour a chart spec names is swapped for its partner in the chart's options
// (dcbookDark, from dcbook.charts.DARK_COLORS), so text and marks keep their contrast on the dark page;
// "white" as a fill, stroke or background becomes transparent. Switching the mode redraws the charts.
(function () {
  "use strict";
  var SHAPE_KEYS = { fill: 1, stroke: 1, background: 1 };

  function swap(node, map, key) {
    if (typeof node === "string") {
      if (node.toLowerCase() === "white" || node.toUpperCase() === "#FFFFFF") {
        return SHAPE_KEYS[key] ? "transparent" : node;
      }
      return map[node.toUpperCase()] || node;
    }
    if (Array.isArray(node)) {
      return node.map(function (item) { return swap(item, map, key); });
    }
    if (node && typeof node === "object") {
      var out = {};
      Object.keys(node).forEach(function (k) {
        // data rows are never recoloured; a condition's value keeps the key it colours
        out[k] = k === "datasets" || k === "data" ? node[k] : swap(node[k], map, k === "condition" || k === "value" ? key : k);
      });
      return out;
    }
    return node;
  }

  function dark() {
    return document.documentElement.dataset.theme === "dark";
  }

  window.dcbookChartSpec = function (spec, map) {
    return dark() && map ? swap(spec, map, "") : spec;
  };

  var mode = null;
  function redraw() {
    var now = dark();
    if (mode === null) { mode = now; return; }
    if (now === mode) return;
    mode = now;
    var draws = window.dcbookCharts || {};
    Object.keys(draws).forEach(function (id) {
      var el = document.getElementById(id);
      if (!el || el.getAttribute("data-state") === "drawing") return;
      el.removeAttribute("data-state");
      el.textContent = "";
      draws[id]();
    });
  }
  new MutationObserver(redraw).observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
  redraw();
})();
