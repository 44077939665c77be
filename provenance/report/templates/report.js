"use strict";
(function () {
  var boxes = Array.prototype.slice.call(document.querySelectorAll("#filters input[type=checkbox]"));
  var passages = Array.prototype.slice.call(document.querySelectorAll("article.passage"));
  var shown = document.getElementById("shown");
  function checked(group) {
    var out = {};
    boxes.forEach(function (b) { if (b.dataset.group === group && b.checked) { out[b.value] = true; } });
    return out;
  }
  function apply() {
    var types = checked("type"), sev = checked("severity"), status = checked("status"), verdict = checked("verdict");
    var visible = 0;
    passages.forEach(function (p) {
      var rows = Array.prototype.slice.call(p.querySelectorAll("tr.finding"));
      var any = false;
      rows.forEach(function (r) {
        var ok = types[r.dataset.type] && sev[r.dataset.severity] && status[r.dataset.status];
        r.hidden = !ok;
        if (ok) { any = true; }
      });
      var show = verdict[p.dataset.verdict] && (any || (rows.length === 0 && status["pass"]));
      p.hidden = !show;
      if (show) { visible += 1; }
    });
    shown.textContent = visible + " of " + passages.length + " passages shown" +
      (visible === 0 ? ": no finding matches these filters" : "");
  }
  boxes.forEach(function (b) { b.addEventListener("change", apply); });
  document.getElementById("only-failing").addEventListener("click", function () {
    boxes.forEach(function (b) { if (b.dataset.group === "status") { b.checked = b.value === "fail"; } });
    apply();
  });
  document.getElementById("show-all").addEventListener("click", function () {
    boxes.forEach(function (b) { b.checked = true; });
    apply();
  });
  apply();
})();
