// Filter box for the searchable tables of the book (the indicator catalogue in 方法与数据).
// Local, dependency-free: every <input class="dcbook-table-filter" data-table="ID"> hides the rows of
// table#ID whose text does not contain all the space-separated words typed (case-insensitive).
(function () {
  "use strict";
  function apply(input) {
    var table = document.getElementById(input.getAttribute("data-table"));
    if (!table || !table.tBodies.length) { return; }
    var words = input.value.toLowerCase().split(/\s+/).filter(function (w) { return w.length > 0; });
    var rows = table.tBodies[0].rows;
    var shown = 0;
    for (var i = 0; i < rows.length; i++) {
      var text = rows[i].textContent.toLowerCase();
      var ok = words.every(function (w) { return text.indexOf(w) !== -1; });
      rows[i].style.display = ok ? "" : "none";
      if (ok) { shown++; }
    }
    var counters = document.querySelectorAll(".dcbook-filter-count");
    for (var j = 0; j < counters.length; j++) {
      if (counters[j].getAttribute("data-table") === table.id) {
        counters[j].textContent = "显示 " + shown + " / " + rows.length + " 行";
      }
    }
  }
  function init() {
    var inputs = document.querySelectorAll("input.dcbook-table-filter");
    for (var i = 0; i < inputs.length; i++) {
      (function (input) {
        input.addEventListener("input", function () { apply(input); });
        apply(input);
      })(inputs[i]);
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
