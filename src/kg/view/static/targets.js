// kg targets view: every target with its verdict, from the compact table in #kg-targets.
// Safety rule: data only reaches the page through textContent and DOM nodes, never innerHTML.
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("kg-targets").textContent);
  var $ = function (id) { return document.getElementById(id); };
  var SVG = "http://www.w3.org/2000/svg";
  function records(table) {
    var names = DATA.columns[table];
    return DATA[table].map(function (row) { var o = {}; names.forEach(function (n, k) { o[n] = row[k]; }); return o; });
  }
  var targets = records("targets"), sentences = records("sentences");
  var colour = {}; DATA.verdicts.forEach(function (v) { colour[v.id] = v.color; });
  function el(tag, props) {
    var node = document.createElement(tag);
    if (props) { for (var k in props) { node[k] = props[k]; } }
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c !== null && c !== undefined) { node.appendChild(typeof c === "string" ? document.createTextNode(c) : c); }
    }
    return node;
  }
  function svg(tag, attrs) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }
  var state = { verdict: {}, government: "", year: "", indicator: "", limit: 60 };
  DATA.verdicts.forEach(function (v) { state.verdict[v.id] = true; });
  $("title").textContent = DATA.meta.title;

  // --- filters ------------------------------------------------------------------------------------
  var counts = {};
  targets.forEach(function (t) { counts[t.verdict] = (counts[t.verdict] || 0) + 1; });
  DATA.verdicts.forEach(function (v) {
    var box = el("input", { type: "checkbox", checked: true });
    box.dataset.verdict = v.id;
    box.addEventListener("change", function () { state.verdict[v.id] = box.checked; draw(); });
    var dot = el("span", { className: "dot" }); dot.style.background = v.color;
    $("verdicts").appendChild(el("label", { className: "chip" }, box, dot, v.id.replace("_", " "), el("span", { className: "n" }, String(counts[v.id] || 0))));
  });
  DATA.governments.map(function (g, i) { return [g, i]; }).sort().forEach(function (p) {
    $("government").appendChild(el("option", { value: String(p[1]) }, p[0]));
  });
  Array.from(new Set(targets.map(function (t) { return t.year; }))).filter(Boolean).sort().forEach(function (y) {
    $("year").appendChild(el("option", { value: String(y) }, String(y)));
  });
  $("government").addEventListener("change", function () { state.government = $("government").value; state.limit = 60; draw(); });
  $("year").addEventListener("change", function () { state.year = $("year").value; state.limit = 60; draw(); });
  $("indicator").addEventListener("input", function () { state.indicator = $("indicator").value.trim(); state.limit = 60; draw(); });
  $("more").addEventListener("click", function () { state.limit += 60; draw(); });

  function keep(t) {
    return state.verdict[t.verdict] && (state.government === "" || t.government === +state.government) &&
      (state.year === "" || t.year === +state.year) &&
      (state.indicator === "" || DATA.indicators[t.indicator].indexOf(state.indicator) >= 0);
  }

  // --- one card per indicator and government: a timeline and the rows ----------------------------
  // One point per year: a five-year target (2006-2010) or a half year is listed, not drawn.
  function periodYear(p) { return /^\d{4}$/.test(p) ? +p : null; }
  function timeline(rows) {
    // Target (ring) against outcome (dot) per period, one unit: the rows' first unit.
    var unit = rows[0].unit, pts = rows.filter(function (t) { return t.unit === unit && periodYear(t.period) !== null; });
    var W = 500, H = 86, L = 78, R = 16, T = 8, B = 18;
    var box = svg("svg", { width: "100%", height: H, viewBox: "0 0 " + W + " " + H, role: "img", "class": "timeline" });
    if (!pts.length) { return null; }
    var xs = pts.map(function (t) { return periodYear(t.period); });
    // An outcome is drawn only where it was comparable (met or missed) and stated in the target's
    // unit: 49250万吨 against 4.75亿吨, or 亿元 against %, would stretch the axis.
    var drawn = function (t) { return t.outcome_value !== null && t.outcome_unit === t.unit && (t.verdict === "met" || t.verdict === "missed"); };
    var vs = []; pts.forEach(function (t) { vs.push(t.target_value); if (drawn(t)) { vs.push(t.outcome_value); } });
    var x0 = Math.min.apply(null, xs), x1 = Math.max.apply(null, xs), v0 = Math.min.apply(null, vs), v1 = Math.max.apply(null, vs);
    if (x0 === x1) { x0 -= 1; x1 += 1; }
    if (v0 === v1) { v0 = v0 - Math.abs(v0) * 0.2 - 1; v1 = v1 + Math.abs(v1) * 0.2 + 1; }
    var X = function (y) { return L + (W - L - R) * (y - x0) / (x1 - x0); };
    var Y = function (v) { return T + (H - T - B) * (1 - (v - v0) / (v1 - v0)); };
    box.appendChild(svg("line", { x1: L, y1: H - B, x2: W - R, y2: H - B, stroke: "#ccc" }));
    for (var y = Math.ceil(x0); y <= x1; y++) {
      var tick = svg("text", { x: X(y), y: H - 4, "text-anchor": "middle", "font-size": 10, fill: "#777" }); tick.textContent = String(y);
      if (x1 - x0 <= 12 || y % 5 === 0) { box.appendChild(tick); }
    }
    [v0, v1].forEach(function (v) {
      var lab = svg("text", { x: L - 4, y: Y(v) + 3, "text-anchor": "end", "font-size": 10, fill: "#777" });
      lab.textContent = (Math.round(v * 100) / 100) + unit; box.appendChild(lab);
    });
    pts.forEach(function (t) {
      var x = X(periodYear(t.period)), c = colour[t.verdict] || "#777";
      if (drawn(t)) {
        box.appendChild(svg("line", { x1: x, y1: Y(t.target_value), x2: x, y2: Y(t.outcome_value), stroke: c, "stroke-width": 1.5 }));
        var dot = svg("circle", { cx: x, cy: Y(t.outcome_value), r: 4, fill: c }); box.appendChild(dot);
        var tip = svg("title", {}); tip.textContent = t.period + " outcome " + t.outcome; dot.appendChild(tip);
      }
      var ring = svg("circle", { cx: x, cy: Y(t.target_value), r: 5, fill: "#fff", stroke: c, "stroke-width": 2 });
      var title = svg("title", {}); title.textContent = t.period + " target " + t.target + " · " + t.verdict; ring.appendChild(title);
      box.appendChild(ring);
    });
    return box;
  }
  function sentenceBlock(ix, what) {
    if (ix === null || ix === undefined) { return el("div", { className: "sentence" }, what + ": —"); }
    var s = sentences[ix];
    return el("div", { className: "sentence" }, el("b", null, what + " "), s.text, el("div", { className: "where" }, s.report));
  }
  function card(key, rows) {
    var first = rows[0];
    var c = el("section", { className: "card" });
    c.dataset.indicator = DATA.indicators[first.indicator];
    c.dataset.government = DATA.governments[first.government];
    c.appendChild(el("h3", null, DATA.indicators[first.indicator] || "（无名指标 unnamed indicator）", el("small", null, DATA.governments[first.government] + " · " + rows.length + " targets")));
    var line = timeline(rows);
    if (line) { c.appendChild(line); c.appendChild(el("div", { className: "legend" }, "○ 目标 target  ● 结果 outcome (" + rows[0].unit + "), coloured by verdict")); }
    var table = el("table", null, el("tr", null, el("th", null, "报告 report"), el("th", null, "时期 period"), el("th", null, "目标 target"),
      el("th", null, "结果 outcome"), el("th", null, "判定 verdict")));
    rows.forEach(function (t) {
      var v = el("td", { className: "verdict" }, t.verdict.replace("_", " ")); v.style.color = colour[t.verdict];
      var row = el("tr", { className: "row", title: t.reason }, el("td", null, t.year ? String(t.year) : ""), el("td", null, t.period),
        el("td", null, t.target), el("td", null, t.outcome || "—"), v);
      row.dataset.verdict = t.verdict;
      var open = null;
      row.addEventListener("click", function () {
        // Both sentences, under the row: the one setting the target and the one stating the outcome.
        if (open) { open.remove(); open = null; return; }
        var cell = el("td", { colSpan: 5 }, el("div", { className: "where" }, t.reason),
          sentenceBlock(t.target_sentence, "目标 target:"), sentenceBlock(t.outcome_sentence, "结果 outcome:"));
        open = el("tr", { className: "evidence" }, cell);
        row.parentNode.insertBefore(open, row.nextSibling);
      });
      table.appendChild(row);
    });
    c.appendChild(table);
    return c;
  }
  function draw() {
    var list = $("list");
    while (list.firstChild) { list.removeChild(list.firstChild); }
    var groups = {}, order = [], shown = 0;
    targets.forEach(function (t) {
      if (!keep(t)) { return; }
      shown++;
      var key = t.indicator + "/" + t.government;
      if (!groups[key]) { groups[key] = []; order.push(key); }
      groups[key].push(t);
    });
    // Cards with judged targets (met, missed) first, then those with the longest history.
    var judged = function (k) { return groups[k].filter(function (t) { return t.verdict === "met" || t.verdict === "missed"; }).length; };
    var years = function (k) { return new Set(groups[k].map(function (t) { return t.period; })).size; };
    order.sort(function (a, b) { return judged(b) - judged(a) || years(b) - years(a) || groups[b].length - groups[a].length || (a < b ? -1 : 1); });
    order.slice(0, state.limit).forEach(function (k) {
      groups[k].sort(function (a, b) { return a.period < b.period ? -1 : a.period > b.period ? 1 : a.year - b.year; });
      list.appendChild(card(k, groups[k]));
    });
    $("more").hidden = order.length <= state.limit;
    $("status").textContent = shown + " / " + targets.length + " targets · " + order.length + " indicator × government cards" +
      (order.length > state.limit ? " (first " + state.limit + " shown)" : "");
    if (!targets.length) { list.appendChild(el("p", null, "没有目标 No targets in this graph.")); }
    document.body.dataset.shown = String(shown);
  }
  draw();
  window.kgTargets = { data: DATA, targets: targets, draw: draw, state: state };
  window.kgReady = true;
})();
