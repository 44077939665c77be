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
  var decideKey = null;  // set by the review: a (accept) or f (must fix) decides the finding j or k is on
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
    else if ((e.key === "a" || e.key === "f") && decideKey && current >= 0) {
      decideKey(jumps[current].dataset.ref, e.key === "a" ? "accept" : "fix");
      e.preventDefault();
    }
  });

  // Review: each failing finding accepted (with a reason) or to be fixed. Decisions are kept in the
  // browser's localStorage under the report's identity, and written as the baseline file `check` reads.
  var dataBlock = document.getElementById("review-data");
  if (dataBlock) { review(JSON.parse(dataBlock.textContent)); }

  function unpack(v) {  // a text of the data: a string, or pieces where [c, n] is n times the character c
    if (typeof v === "string") { return v; }
    return v.map(function (p) { return typeof p === "string" ? p : p[0].repeat(p[1]); }).join("");
  }
  function review(data) {
    var entries = data.entries.map(function (e) {
      return { document: unpack(e.document), fingerprint: e.fingerprint, type: e.type, doc_text: unpack(e.doc_text),
               src_text: unpack(e.src_text), reason: unpack(e.reason), fail: e.fail, in_baseline: e.in_baseline,
               kept: e.kept };
    });
    var storeKey = "provenance-review/" + data.id;
    var store = null;
    try { store = window.localStorage; store.getItem(storeKey); } catch (err) { store = null; }
    function keyOf(e) { return e.document + "\n" + e.fingerprint; }
    function initial(e) { return { d: e.in_baseline ? "accept" : "", r: e.reason }; }
    var saved = {};
    if (store) {
      try { saved = JSON.parse(store.getItem(storeKey) || "{}") || {}; } catch (err) { saved = {}; }
    }
    var state = entries.map(function (e) {
      var s = saved[keyOf(e)];
      if (s && (s.d === "accept" || s.d === "fix" || s.d === "") && typeof s.r === "string") {
        return { d: s.d, r: s.r };
      }
      return initial(e);
    });
    function save() {
      if (!store) { return; }
      var out = {}, any = false;
      entries.forEach(function (e, i) {
        var first = initial(e);
        if (state[i].d !== first.d || state[i].r !== first.r) { out[keyOf(e)] = state[i]; any = true; }
      });
      try {
        if (any) { store.setItem(storeKey, JSON.stringify(out)); } else { store.removeItem(storeKey); }
      } catch (err) { /* full, or forbidden: the decisions stay on the page */ }
    }

    var escaped = {};
    data.escape.forEach(function (c) { escaped[String.fromCharCode(c)] = true; });
    function escapeText(text) {  // as provenance.report.visible.escape_json writes a baseline
      var out = "";
      for (var k = 0; k < text.length; k++) {
        var ch = text.charAt(k);
        out += escaped[ch] ? "\\u" + ("000" + ch.charCodeAt(0).toString(16)).slice(-4) : ch;
      }
      return out;
    }
    function baselineText() {  // the bytes `provenance check --write-baseline` writes, decisions applied
      var findings = [];
      entries.forEach(function (e, i) {
        var s = state[i];
        if (!e.kept && s.d !== "accept") { return; }
        findings.push({ doc_text: e.doc_text, document: e.document, fingerprint: e.fingerprint,
                        reason: e.kept ? e.reason : s.r.trim(), src_text: e.src_text, type: e.type });
      });
      return escapeText(JSON.stringify({ findings: findings, schema: data.schema }, null, 2)) + "\n";
    }

    var controls = Array.prototype.slice.call(document.querySelectorAll(".decide[data-entry]"));
    var status = document.getElementById("review-status");
    var text = document.getElementById("review-text");
    function render() {
      controls.forEach(function (c) {
        var s = state[Number(c.dataset.entry)];
        c.querySelector("button.accept").setAttribute("aria-pressed", String(s.d === "accept"));
        c.querySelector("button.fix").setAttribute("aria-pressed", String(s.d === "fix"));
        var why = c.querySelector("input.why");
        why.hidden = s.d !== "accept";
        if (why !== document.activeElement) { why.value = s.r; }
        why.classList.toggle("missing", s.d === "accept" && s.r.trim() === "");
        var holder = c.closest("li, tr");
        if (holder) { holder.dataset.decision = s.d; }
      });
      var failing = 0, accepted = 0, fix = 0, bare = 0;
      entries.forEach(function (e, i) {
        var s = state[i];
        if (s.d === "accept" && !e.kept && s.r.trim() === "") { bare += 1; }
        if (!e.fail) { return; }
        failing += 1;
        if (s.d === "accept") { accepted += 1; } else if (s.d === "fix") { fix += 1; }
      });
      var line = failing + " failing: " + accepted + " accepted, " + fix + " must fix, " +
        (failing - accepted - fix) + " undecided";
      if (bare) {
        line += "; " + bare + " accepted without a reason" +
          (data.require_reasons ? " (the policy requires one: the check will fail on it)" : " (write why)");
      }
      status.textContent = line + ".";
      text.value = baselineText();
    }
    function decide(i, d) { state[i].d = d; save(); render(); }
    controls.forEach(function (c) {
      var i = Number(c.dataset.entry);
      var why = c.querySelector("input.why");
      c.querySelector("button.accept").addEventListener("click", function () {
        decide(i, state[i].d === "accept" ? "" : "accept");
        if (state[i].d === "accept") { why.focus(); }
      });
      c.querySelector("button.fix").addEventListener("click", function () {
        decide(i, state[i].d === "fix" ? "" : "fix");
      });
      why.addEventListener("input", function () { state[i].r = why.value; state[i].d = "accept"; save(); render(); });
      why.addEventListener("keydown", function (e) {  // done with the reason: the keys move on again
        if (e.key === "Enter" || e.key === "Escape") { why.blur(); e.preventDefault(); }
      });
      c.hidden = false;
    });
    document.getElementById("review-export").addEventListener("click", function () {
      var blob = new Blob([baselineText()], { type: "application/json" });
      var link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = data.file;
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(function () { URL.revokeObjectURL(link.href); }, 10000);
    });
    document.getElementById("review-forget").addEventListener("click", function () {
      entries.forEach(function (e, i) { state[i] = initial(e); });
      save();
      render();
    });
    decideKey = function (ref, d) {
      var c = document.getElementById(ref).querySelector(".decide[data-entry]");
      if (!c) { return; }
      var i = Number(c.dataset.entry);
      decide(i, d);
      if (d === "accept") { c.querySelector("input.why").focus(); }
    };
    if (store) { document.getElementById("review-kept").textContent = "kept until you forget them"; }
    document.getElementById("review").hidden = false;
    render();
  }
})();
