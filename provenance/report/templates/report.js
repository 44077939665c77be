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
  function showAll() {
    boxes.forEach(function (b) { b.checked = true; });
    apply();
  }
  document.getElementById("show-all").addEventListener("click", showAll);
  apply();

  // Open what a link or a key leads to: its passage's <details>, its passage when the filters hide it.
  function reveal(el) {
    var article = el.closest("article.passage");
    if (article && article.hidden) { showAll(); }
    var details = el.closest("details");
    if (details && !details.open) { details.open = true; }
  }
  function openTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var el = id ? document.getElementById(id) : null;
    if (el) { reveal(el); el.scrollIntoView({ block: "center" }); }
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();

  // Keyboard: j or n the next failing finding (worst first), k or p the previous one.
  var jumps = Array.prototype.slice.call(document.querySelectorAll("#worst a[data-ref]"));
  var current = -1;
  function go(k) {
    if (jumps.length === 0) { return; }
    current = Math.max(0, Math.min(jumps.length - 1, k));
    jumps.forEach(function (a, i) {
      if (i === current) { a.setAttribute("aria-current", "true"); } else { a.removeAttribute("aria-current"); }
    });
    var target = document.getElementById(jumps[current].dataset.ref);
    reveal(target);
    target.focus({ preventScroll: true });
    target.scrollIntoView({ block: "center" });
  }
  jumps.forEach(function (a, i) {
    a.addEventListener("click", function () { current = i; reveal(document.getElementById(a.dataset.ref)); });
  });
  document.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) { return; }
    var t = e.target;
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable)) {
      return;
    }
    if (e.key === "j" || e.key === "n") { go(current + 1); e.preventDefault(); }
    else if (e.key === "k" || e.key === "p") { go(current - 1); e.preventDefault(); }
  });
})();
