// kg explorer: draws the graph embedded in #kg-data with vis-network.
// Safety rule: data is only ever put into the page with textContent / DOM nodes, never innerHTML.
(function () {
  "use strict";
  var timings = window.kgTimings = { script: performance.now() };  // read by bench/bench_view.py
  var DATA = JSON.parse(document.getElementById("kg-data").textContent);
  timings.parsed = performance.now();
  var $ = function (id) { return document.getElementById(id); };

  // --- tables -----------------------------------------------------------------------------------
  // Each table (nodes, edges, sentences, labels, …) arrives as rows of values; DATA.columns names
  // each table's fields once, in row order (kg.view.data's row types). Rows become objects here,
  // so every field below is read by its name, never by its position.
  // tests/test_view_browser.py sets window.kgStrictFields before the page loads: reading a field
  // a table does not have is then a console error instead of a silent undefined.
  var strictFields = !!window.kgStrictFields;
  function guard(table, record) {
    return new Proxy(record, { get: function (target, name) {
      if (typeof name === "string" && !(name in target) && name !== "toJSON" && name !== "then") {
        console.error("kg explorer: " + table + " have no field " + name);
      }
      return target[name];
    } });
  }
  function records(table, rows) {
    var names = DATA.columns[table], out = new Array(rows.length);
    for (var i = 0; i < rows.length; i++) {
      var row = rows[i], item = {};
      for (var k = 0; k < names.length; k++) { item[names[k]] = row[k]; }
      out[i] = strictFields ? guard(table, item) : item;
    }
    return out;
  }
  function record(table, fields) {  // a new row made here (a query result's node or edge)
    Object.keys(fields).forEach(function (name) {
      if (DATA.columns[table].indexOf(name) < 0) { console.error("kg explorer: " + table + " have no field " + name); }
    });
    var row = DATA.columns[table].map(function (name) { return fields[name] === undefined ? null : fields[name]; });
    return records(table, [row])[0];
  }
  Object.keys(DATA.columns).forEach(function (table) {
    var rows = DATA[table];  // a list of rows, or a list per node IRI
    if (Array.isArray(rows)) { DATA[table] = records(table, rows); return; }
    Object.keys(rows).forEach(function (iri) { rows[iri] = records(table, rows[iri]); });
  });
  timings.tables = performance.now();
  var GLYPHS = { dot: "●", ellipse: "○", diamond: "◆", triangle: "▲", triangleDown: "▼", square: "■",
    star: "★", hexagon: "⬢", box: "▭", database: "⛁" };
  var STRUCTURE_SIZE = { Report: 24, Section: 14, Paragraph: 8, Sentence: 5 };

  function el(tag, props) {
    var node = document.createElement(tag);
    if (props) { for (var k in props) { node[k] = props[k]; } }
    for (var i = 2; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined) { continue; }
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }
  function status(text) { $("status").textContent = text; }

  var classes = {}; DATA.classes.forEach(function (c) { classes[c.id] = c; });
  var structureClasses = DATA.classes.filter(function (c) { return c.structure; }).map(function (c) { return c.id; });
  var isStructure = function (n) { return !!(classes[n.cls] && classes[n.cls].structure); };
  var nodeIndex = {}; DATA.nodes.forEach(function (n, i) { nodeIndex[n.id] = i; });
  var adjacency = DATA.nodes.map(function () { return []; });
  DATA.edges.forEach(function (e, j) { adjacency[e.head].push(j); adjacency[e.tail].push(j); });

  var state = {
    classOn: {}, relOn: {}, report: "", section: "",
    view: DATA.view ? new Set(DATA.view) : null,
    shown: []
  };
  DATA.classes.forEach(function (c) { state.classOn[c.id] = !c.structure; });
  // Nodes of no known class (untyped relation ends, taxonomy concepts) wait behind their
  // checkbox, unless they are all there is or the page draws a chosen view.
  state.classOn.Other = !!DATA.view || !DATA.nodes.some(function (n) { return n.cls !== "Other" && !isStructure(n); });
  // The first view: entities linked by stated relations (kg.view.page.stated_graph); the other
  // relations (co-mention, taxonomy) wait behind their checkboxes so they do not hide it.
  state.mode = DATA.view ? "view" : (DATA.first ? "first" : "all");
  if (state.mode === "first") { state.view = new Set(DATA.first); }
  DATA.relations.forEach(function (r, i) { state.relOn[i] = state.mode !== "first" || !!r.stated || !!r.structure; });

  function label(c) { return c.zh === c.en ? c.zh : c.zh + " " + c.en; }

  function visNode(n, i) {
    var c = classes[n.cls] || classes.Other;
    var max = c.structure ? 12 : 30;
    var item = { id: i, label: n.label.length > max ? n.label.slice(0, max - 1) + "…" : n.label, shape: c.shape,
      color: { background: c.color, border: "#555", highlight: { background: c.color, border: "#000" } },
      title: n.label + " · " + label(c), hidden: true, physics: false };
    // Entities grow with their degree; document structure has a fixed size per level.
    if (c.structure) { item.size = STRUCTURE_SIZE[n.cls] || 8; item.font = { size: 10, color: "#666" }; } else { item.value = 1 + n.degree; }
    if (xy[i]) { item.x = xy[i][0]; item.y = xy[i][1]; }
    if (c.shape === "box" || c.shape === "database") { item.font = { color: "#fff", size: c.structure ? 10 : 12 }; }
    // A page written from a pyvis Network (kg.view.write_page) draws each node as the Network set it.
    var own = DATA.overrides[n.id];
    if (own) { Object.keys(own).forEach(function (k) { item[k] = own[k]; }); }
    return item;
  }
  function visEdge(e, j) {
    var r = DATA.relations[e.relation];
    return { id: j, from: e.head, to: e.tail, color: { color: r.color, highlight: "#000", opacity: 0.9 },
      width: r.width || 1, dashes: r.dashes || false, title: e.predicate || label(r),
      arrows: { to: { enabled: !r.symmetric } }, hidden: true, physics: false };
  }


  // --- visibility -------------------------------------------------------------------------
  function inView(i) {
    if (!state.view || state.view.has(i)) { return true; }
    if (!isStructure(DATA.nodes[i])) { return false; }
    // Document structure next to a node in view follows it (its sentences, paragraphs).
    return adjacency[i].some(function (j) {
      var e = DATA.edges[j], other = e.head === i ? e.tail : e.head;
      return state.view.has(other) && !isStructure(DATA.nodes[other]);
    });
  }
  function nodeVisible(i) {
    var n = DATA.nodes[i];
    if (!state.classOn[n.cls] || !inView(i)) { return false; }
    if (state.report !== "" && n.reports.indexOf(+state.report) < 0) { return false; }
    if (state.section !== "" && n.sections.indexOf(+state.section) < 0) { return false; }
    return true;
  }
  function applyFilters() {
    var shown = DATA.nodes.map(function (n, i) { return nodeVisible(i); });
    var nodeUpdates = [], edgeUpdates = [], count = 0, fresh = [];
    // A node or edge joins vis-network's data sets the first time it is shown: thousands of
    // hidden items would cost the first drawing seconds.
    shown.forEach(function (v, i) {
      if (v) { count++; }
      if (v !== !!state.shown[i]) {
        if (v && !inSet.nodes[i]) { var item = visNode(DATA.nodes[i], i); item.hidden = false; item.physics = true; nodeUpdates.push(item); inSet.nodes[i] = true; }
        else { nodeUpdates.push({ id: i, hidden: !v, physics: v }); }
        if (v && !xy[i] && !placed[i]) { fresh.push(i); }
      }
    });
    DATA.edges.forEach(function (e, j) {
      var v = shown[e.head] && shown[e.tail] && state.relOn[e.relation];
      if (v !== !!state.edgeShown[j]) {
        if (v && !inSet.edges[j]) { var item = visEdge(e, j); item.hidden = false; item.physics = true; edgeUpdates.push(item); inSet.edges[j] = true; }
        else { edgeUpdates.push({ id: j, hidden: !v, physics: v }); }
      }
      state.edgeShown[j] = v;
    });
    placeNear(fresh);
    if (nodeUpdates.length) { nodes.update(nodeUpdates); }
    if (edgeUpdates.length) { edges.update(edgeUpdates); }
    state.shown = shown;
    state.count = count;
    status(count + " / " + DATA.nodes.length + " nodes shown");
    return fresh.length;
  }
  function placeNear(fresh) {
    // Nodes with no computed position go on a circle around a shown neighbour (or the origin).
    var ring = {};
    fresh.forEach(function (i) {
      var anchor = null;
      adjacency[i].some(function (j) {
        var e = DATA.edges[j], other = e.head === i ? e.tail : e.head;
        if (state.shown[other] || placed[other]) { anchor = other; return true; }
        return false;
      });
      var k = ring[anchor] = (ring[anchor] || 0) + 1;
      var centre = anchor !== null && network ? network.getPosition(anchor) : { x: 0, y: 0 };
      var angle = k * 2.399963, radius = 120 + 12 * k;
      move([{ id: i, x: centre.x + radius * Math.cos(angle), y: centre.y + radius * Math.sin(angle) }]);
      placed[i] = true;
    });
  }

  var network = null, placed = {};
  // Where each node is (or will be drawn when it is first shown): the seeded layout, then moves.
  var xy = DATA.nodes.map(function (n) { return n.x !== null ? [n.x, n.y] : null; });
  function move(updates) {
    var present = [];
    updates.forEach(function (u) { xy[u.id] = [u.x, u.y]; if (inSet.nodes[u.id]) { present.push(u); } });
    if (present.length) { nodes.update(present); }
  }
  var MIN_READABLE_SCALE = 0.6;  // below this zoom a 13 px label is under 8 px on screen
  state.edgeShown = [];
  // Start with the visibility the filters give, so the first draw needs no updates.
  state.shown = DATA.nodes.map(function (n, i) { return nodeVisible(i); });
  state.edgeShown = DATA.edges.map(function (e) { return state.shown[e.head] && state.shown[e.tail] && state.relOn[e.relation]; });
  var inSet = { nodes: {}, edges: {} };
  var nodes = new vis.DataSet(DATA.nodes.map(function (n, i) { return i; }).filter(function (i) { return state.shown[i]; }).map(function (i) {
    var v = visNode(DATA.nodes[i], i); v.hidden = false; v.physics = true; inSet.nodes[i] = true; return v; }));
  var edges = new vis.DataSet(DATA.edges.map(function (e, j) { return j; }).filter(function (j) { return state.edgeShown[j]; }).map(function (j) {
    var v = visEdge(DATA.edges[j], j); v.hidden = false; v.physics = true; inSet.edges[j] = true; return v; }));

  // Hidden nodes and edges still take part in vis-network's physics unless told otherwise.
  // --- the network --------------------------------------------------------------------------
  applyFilters();
  var container = $("graph");
  timings.datasets = performance.now();
  network = new vis.Network(container, { nodes: nodes, edges: edges }, DATA.options);
  timings.network = performance.now();
  window.kgExplorer = { network: network, nodes: nodes, edges: edges, data: DATA, state: state,
    idOf: function (iri) { return nodeIndex[iri]; }, focusNode: focusNode, applyFilters: applyFilters,
    neighbourhood: function (i) { neighbourhood(i); }, relayout: function () { return relayout(); },
    exportPng: function () { return exportPng(); },
    unconnectedDrawn: function () {  // drawn nodes with no drawn edge (the first view keeps these under 5%)
      var linked = {};
      edges.get({ filter: function (e) { return !e.hidden; } }).forEach(function (e) { linked[e.from] = true; linked[e.to] = true; });
      return nodes.get({ filter: function (n) { return !n.hidden && !linked[n.id]; } }).length;
    },
    drawnCount: function () { return nodes.get({ filter: function (n) { return !n.hidden; } }).length; } };

  function ready() {
    if (window.kgReady) { return; }
    window.kgReady = true;
    window.kgReadyAt = timings.ready = performance.now();
    document.body.setAttribute("data-ready", "1");
    restoreLayout();
    if (DATA.focus !== undefined) { focusNode(DATA.focus); }
    var wanted = new URLSearchParams(location.search).get("focus");
    // ?focus= (the query page's result links) opens on that node's neighbourhood.
    if (wanted) { var hit = findExact(wanted); if (hit !== null) { neighbourhood(hit); } else { status("no node named " + wanted); } }
  }
  function settle() {
    // Physics only while settling: run it, then switch it off so the page stays responsive.
    if (!DATA.meta.physics) { network.redraw(); return; }
    network.setOptions({ physics: { enabled: true } });
    network.stabilize(200);
  }
  // Stabilisation blocks drawing, so it gets a time budget: when it runs out, stop where we are
  // (the seeded layout from Python is already readable) and hand the page to the user.
  var stabilizeStart = 0;
  network.on("startStabilizing", function () { stabilizeStart = timings.stabilizing = performance.now(); });
  network.on("stabilizationProgress", function () {
    if (stabilizeStart && performance.now() - stabilizeStart > DATA.meta.stabilizeMs) { network.stopSimulation(); }
  });
  network.on("stabilizationIterationsDone", function () {
    network.setOptions({ physics: false });
    ready();
  });
  if (DATA.meta.physics) {
    if (state.count === 0) { network.setOptions({ physics: false }); }
  }
  network.once("afterDrawing", function () {
    // vis-network fits the drawing once more after its first frame; the readable zoom comes after.
    if (state.mode === "first") { setTimeout(function () { fitReadable(); ready(); }, 0); return; }
    if (!DATA.meta.physics || state.count === 0) { ready(); }
  });
  network.on("click", function (params) {
    if (params.nodes.length) { showPanel(params.nodes[0]); } else { $("panel").hidden = true; }
  });
  network.on("doubleClick", function (params) { if (params.nodes.length) { neighbourhood(params.nodes[0]); } });
  network.on("dragEnd", function (params) { if (params.nodes.length) { storeLayout(); } });

  // --- legend and filters ---------------------------------------------------------------------
  var counts = {};
  DATA.nodes.forEach(function (n) { counts[n.cls] = (counts[n.cls] || 0) + 1; });
  DATA.classes.forEach(function (c) {
    if (!counts[c.id]) { return; }
    var box = el("input", { type: "checkbox", checked: state.classOn[c.id] });
    box.dataset.cls = c.id;
    box.addEventListener("change", function () {
      state.classOn[c.id] = box.checked;
      syncStructureBox();
      applyFilters(); relayout();
    });
    var glyph = el("span", { className: "glyph" }, GLYPHS[c.shape] || "●");
    glyph.style.color = c.color;
    $("class-filter").appendChild(el("label", { title: c.en }, box, glyph, label(c), el("span", { className: "count" }, String(counts[c.id]))));
  });
  var relCounts = {};
  DATA.edges.forEach(function (e) { relCounts[e.relation] = (relCounts[e.relation] || 0) + 1; });
  DATA.relations.forEach(function (r, i) {
    if (!relCounts[i]) { return; }
    var box = el("input", { type: "checkbox", checked: state.relOn[i] });
    box.dataset.rel = r.id;
    box.addEventListener("change", function () { state.relOn[i] = box.checked; applyFilters(); });
    var line = el("span", { className: "line" });
    line.style.borderTopColor = r.color;
    if (r.dashes) { line.style.borderTopStyle = "dashed"; }
    $("relation-filter").appendChild(el("label", null, box, line, label(r), el("span", { className: "count" }, String(relCounts[i]))));
  });
  function syncStructureBox() {
    $("structure").checked = structureClasses.some(function (c) { return state.classOn[c]; });
  }
  $("structure").addEventListener("change", function () {
    var on = $("structure").checked;
    structureClasses.forEach(function (c) { state.classOn[c] = on; });
    document.querySelectorAll("#class-filter input").forEach(function (b) { if (classes[b.dataset.cls].structure) { b.checked = on; } });
    applyFilters(); relayout();
  });
  DATA.reports.forEach(function (r, i) { $("report-filter").appendChild(el("option", { value: String(i) }, r.label)); });
  function fillSections() {
    var select = $("section-filter");
    while (select.options.length > 1) { select.remove(1); }
    DATA.sections.forEach(function (s, i) {
      if (state.report === "" || String(s.report) === state.report) {
        var report = s.report !== null ? DATA.reports[s.report] : undefined;
        select.appendChild(el("option", { value: String(i) }, (state.report === "" && report ? report.label.slice(0, 12) + " · " : "") + s.label));
      }
    });
  }
  fillSections();
  function leaveNeighbourhood() {
    // A report or section is chosen from the whole graph's first view, not within a neighbourhood.
    if (state.mode === "neighbourhood" && DATA.first) { state.mode = "first"; state.view = new Set(DATA.first); firstNote(); }
  }
  $("report-filter").addEventListener("change", function () {
    leaveNeighbourhood();
    state.report = $("report-filter").value; state.section = ""; fillSections(); applyFilters(); relayout();
  });
  $("section-filter").addEventListener("change", function () { leaveNeighbourhood(); state.section = $("section-filter").value; applyFilters(); relayout(); });
  function viewNote(text) { $("view-section").hidden = false; $("view-note").textContent = text; }
  function firstNote() {
    viewNote("首屏 First view: " + DATA.first.length + " entities linked by stated relations; " +
      (DATA.nodes.length - DATA.first.length) + " more nodes (unlinked entities, indicators not attached to what they measure, document structure) wait behind “Show whole graph” and search.");
  }
  if (state.mode === "first") { firstNote(); }
  else if (state.view) { viewNote(DATA.view.length + " of " + DATA.nodes.length + " nodes in this view"); }
  $("first-view").hidden = state.mode !== "first";
  function setRelations(on) {
    DATA.relations.forEach(function (r, i) { state.relOn[i] = on(r, i); });
    document.querySelectorAll("#relation-filter input").forEach(function (b) {
      var i = DATA.relations.map(function (r) { return r.id; }).indexOf(b.dataset.rel); b.checked = !!state.relOn[i];
    });
  }
  function setClass(cls, on) {
    state.classOn[cls] = on;
    document.querySelectorAll("#class-filter input").forEach(function (b) { if (b.dataset.cls === cls) { b.checked = on; } });
  }
  function resetFilters() {
    state.report = ""; state.section = ""; $("report-filter").value = ""; fillSections();
  }
  $("show-all").addEventListener("click", function () {
    state.view = null; state.mode = "all"; $("view-section").hidden = true;
    setRelations(function () { return true; });
    applyFilters(); restorePositions(); network.fit();
  });
  $("first-view").addEventListener("click", function () {
    state.mode = "first"; state.view = new Set(DATA.first); resetFilters();
    DATA.classes.forEach(function (c) { setClass(c.id, !c.structure && c.id !== "Other"); });
    setRelations(function (r) { return !!r.stated || !!r.structure; });
    syncStructureBox(); firstNote();
    applyFilters(); restorePositions(); fitReadable();
  });

  // --- search -----------------------------------------------------------------------------------
  var haystack = DATA.nodes.map(function (n) {
    var words = [n.label].concat((DATA.labels[n.id] || []).map(function (l) { return l.text; }));
    return words.join("\n").toLowerCase();
  });
  function findExact(text) {
    if (nodeIndex[text] !== undefined) { return nodeIndex[text]; }
    for (var i = 0; i < DATA.nodes.length; i++) {
      if (("\n" + haystack[i] + "\n").indexOf("\n" + text.toLowerCase() + "\n") >= 0) { return i; }
    }
    return null;
  }
  function search(text) {
    var q = text.trim().toLowerCase(), exact = [], starts = [], inside = [];
    if (!q) { return []; }
    for (var i = 0; i < DATA.nodes.length; i++) {
      var h = "\n" + haystack[i] + "\n";
      if (h.indexOf("\n" + q + "\n") >= 0) { exact.push(i); }
      else if (h.indexOf("\n" + q) >= 0) { starts.push(i); }
      else if (h.indexOf(q) >= 0) { inside.push(i); }
    }
    var byStructure = function (a, b) { return isStructure(DATA.nodes[a]) - isStructure(DATA.nodes[b]); };
    return exact.sort(byStructure).concat(starts.sort(byStructure), inside.sort(byStructure)).slice(0, 30);
  }
  var results = [];
  function showResults() {
    var list = $("results");
    while (list.firstChild) { list.removeChild(list.firstChild); }
    results = search($("search").value);
    results.forEach(function (i, k) {
      var n = DATA.nodes[i], c = classes[n.cls];
      var item = el("li", { className: k === 0 ? "active" : "" }, el("span", null, n.label), el("small", null, label(c)));
      item.addEventListener("mousedown", function (ev) { ev.preventDefault(); pick(i); });
      list.appendChild(item);
    });
    list.hidden = results.length === 0;
  }
  function pick(i) { $("results").hidden = true; focusNode(i); }
  $("search").addEventListener("input", showResults);
  $("search").addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") { if (!results.length) { showResults(); } if (results.length) { pick(results[0]); } else { status("nothing matches " + $("search").value); } }
    if (ev.key === "Escape") { $("results").hidden = true; }
  });
  $("search").addEventListener("blur", function () { $("results").hidden = true; });

  function focusNode(i) {
    var n = DATA.nodes[i];
    // Make sure the node can be seen: switch on its class, widen the view, drop excluding filters.
    if (!state.classOn[n.cls]) {
      state.classOn[n.cls] = true;
      document.querySelectorAll("#class-filter input").forEach(function (b) { if (b.dataset.cls === n.cls) { b.checked = true; } });
      syncStructureBox();
    }
    if (state.view && !state.view.has(i)) { state.view.add(i); }
    if ((state.report !== "" && n.reports.indexOf(+state.report) < 0) || (state.section !== "" && n.sections.indexOf(+state.section) < 0)) {
      state.report = ""; state.section = ""; $("report-filter").value = ""; fillSections();
    }
    applyFilters();
    network.selectNodes([i]);
    network.focus(i, { scale: Math.max(network.getScale(), 1.0), animation: false });
    showPanel(i);
  }

  // --- side panel -------------------------------------------------------------------------------
  function link(i) {
    var b = el("button", { type: "button", className: "link" }, DATA.nodes[i].label);
    b.addEventListener("click", function () { focusNode(i); });
    return b;
  }
  function localName(iri) { return iri.replace(/^.*[#\/]/, ""); }
  function shortGovernment(name) { return (name || "").replace(/人民政府$|政府$/, ""); }
  function signed(o) {
    // The value as the report states it: 增长 +3.9% or 下降 −3.9% when the report gives a direction.
    var text = o.value + o.unit;
    if (o.direction === "up") { return "增长 +" + text; }
    if (o.direction === "down") { return "下降 −" + text; }
    return text;
  }
  function sentenceBlock(ix, lo, hi) {
    var s = DATA.sentences[ix], text = s.text;
    var p = el("div", { className: "sentence" });
    if (lo >= 0 && hi > lo && hi <= text.length) {
      p.appendChild(document.createTextNode(text.slice(0, lo)));
      p.appendChild(el("mark", null, text.slice(lo, hi)));
      p.appendChild(document.createTextNode(text.slice(hi)));
    } else {
      p.appendChild(document.createTextNode(text));
    }
    var where = [];
    if (s.report !== null && DATA.reports[s.report]) { where.push(DATA.reports[s.report].label); }
    if (s.section !== null && DATA.sections[s.section]) { where.push(DATA.sections[s.section].label); }
    where.push(localName(s.iri));
    p.appendChild(el("div", { className: "where" }, where.join(" · ")));
    return p;
  }
  function showPanel(i) {
    var n = DATA.nodes[i], c = classes[n.cls], panel = $("panel");
    while (panel.firstChild) { panel.removeChild(panel.firstChild); }
    panel.hidden = false;
    panel.dataset.node = n.id;
    panel.appendChild(el("h2", null, n.label));
    panel.appendChild(el("div", null, "类型 Type: " + label(c) + ((DATA.types[n.id] || []).length ? " (" + DATA.types[n.id].map(localName).join(", ") + ")" : "")));
    panel.appendChild(el("div", { className: "iri" }, n.id));
    var expand = el("button", { type: "button" }, "展开邻居 Expand neighbours");
    expand.addEventListener("click", function () { expandNode(i); });
    var only = el("button", { type: "button", title: "Draw only this node and its neighbours, laid out around it (or double-click the node)" }, "只看邻域 Neighbourhood");
    only.addEventListener("click", function () { neighbourhood(i); });
    var close = el("button", { type: "button" }, "关闭 Close");
    close.addEventListener("click", function () { panel.hidden = true; network.unselectAll(); });
    panel.appendChild(el("div", { className: "actions" }, only, expand, close));

    var labels = DATA.labels[n.id] || [];
    if (labels.length) {
      var ul = el("ul");
      labels.forEach(function (l) { ul.appendChild(el("li", null, l.text, el("small", null, " " + (l.lang ? "@" + l.lang + " " : "") + "(" + l.kind + ")"))); });
      panel.appendChild(el("h4", null, "标签 Labels")); panel.appendChild(ul);
    }
    var obs = DATA.observations[n.id] || [];
    if (obs.length) {
      // Government, period, then the value with its direction: 下降3.9% and 增长3.9% differ.
      var sameIndicator = obs.every(function (o) { return o.indicator === n.label; });
      var head = el("tr", null, el("th", null, "政府 government"), el("th", null, "时期 period"), el("th", null, "数值 value"),
        el("th", null, "类别 kind"));
      if (!sameIndicator) { head.appendChild(el("th", null, "指标 indicator")); }
      var table = el("table", { className: "observations" }, head);
      obs.forEach(function (o) {
        var row = el("tr", null, el("td", null, shortGovernment(o.government)), el("td", null, o.period),
          el("td", { className: "value dir-" + (o.direction || "none") }, signed(o)), el("td", null, o.kind));
        if (!sameIndicator) { row.appendChild(el("td", null, o.indicator)); }
        if (o.sentence !== null) { row.title = DATA.sentences[o.sentence].text; }
        table.appendChild(row);
      });
      panel.appendChild(el("h4", null, "观测值 Observations (" + obs.length + ")")); panel.appendChild(table);
    }
    var targets = (DATA.targets || {})[n.id] || [];
    if (targets.length) {
      // Each target with the outcome the next report states and the verdict (kg.compare).
      var tt = el("table", { className: "targets" }, el("tr", null, el("th", null, "政府 government"), el("th", null, "目标 target"), el("th", null, "时期 period"),
        el("th", null, "结果 outcome"), el("th", null, "判定 verdict")));
      targets.forEach(function (t) {
        var verdict = el("td", { className: "verdict verdict-" + t.verdict }, t.verdict);
        var row = el("tr", null, el("td", null, shortGovernment(t.government)), el("td", null, t.target), el("td", null, t.period),
          el("td", null, t.outcome + (t.outcome_indicator ? " (" + t.outcome_indicator + ")" : "")), verdict);
        row.title = t.reason;
        tt.appendChild(row);
      });
      panel.appendChild(el("h4", null, "目标与结果 Targets and outcomes (" + targets.length + ")")); panel.appendChild(tt);
      targets.forEach(function (t) {
        if (t.outcome_sentence === null) { return; }
        var box = el("details", { className: "evidence" }, el("summary", null, t.target + " → " + t.outcome + ": " + t.verdict));
        box.appendChild(el("div", { className: "where" }, t.reason));
        box.appendChild(sentenceBlock(t.target_sentence, -1, -1));
        box.appendChild(sentenceBlock(t.outcome_sentence, -1, -1));
        panel.appendChild(box);
      });
    }
    // Relations grouped by kind and direction: stated relations first, co-mention last; each
    // neighbour once per group.
    var groups = {}, keys = [];
    adjacency[i].forEach(function (j) {
      var e = DATA.edges[j], r = DATA.relations[e.relation];
      if (r.structure && !isStructure(n)) { return; }
      var out = e.head === i, other = out ? e.tail : e.head;
      var both = r.symmetric, name = e.predicate ? localName(e.predicate) : label(r);
      var key = (r.stated ? "0" : r.id === "coMentionedWith" ? "2" : "1") + String(e.relation).padStart(3, "0") + (both ? "=" : out ? ">" : "<") + name;
      if (!groups[key]) { groups[key] = { arrow: both ? "↔" : out ? "→" : "←", name: name, nodes: [] }; keys.push(key); }
      if (groups[key].nodes.indexOf(other) < 0) { groups[key].nodes.push(other); }
    });
    keys.sort();
    var nrel = keys.reduce(function (t, k) { return t + groups[k].nodes.length; }, 0);
    if (nrel) {
      panel.appendChild(el("h4", null, "关系 Relations (" + nrel + ")"));
      keys.forEach(function (k) {
        var g = groups[k], list = el("ul", { className: "relgroup" });
        g.nodes.sort(function (a, b) { return DATA.nodes[a].label < DATA.nodes[b].label ? -1 : 1; });
        g.nodes.forEach(function (o) { list.appendChild(el("li", null, link(o))); });
        var box = el("details", { className: "relations", open: k[0] !== "2" }, el("summary", null, g.arrow + " " + g.name + " (" + g.nodes.length + ")"), list);
        box.dataset.group = k.slice(0, 4) + k[4];
        panel.appendChild(box);
      });
    }
    var sources = DATA.sources[n.id] || [];
    if (sources.length) {
      panel.appendChild(el("h4", null, "出处句 Source sentences (" + sources.length + ")"));
      sources.forEach(function (s) { panel.appendChild(sentenceBlock(s.sentence, s.start, s.end)); });
    }
    var own = DATA.sentences.filter(function (s) { return s.iri === n.id; });
    if (own.length) { panel.appendChild(el("h4", null, "文本 Text")); panel.appendChild(sentenceBlock(DATA.sentences.indexOf(own[0]), -1, -1)); }
  }
  function neighbours(i) {
    // Each neighbour of node i once, with the edges to it (document structure only around structure).
    var out = {}, order = [];
    adjacency[i].forEach(function (j) {
      var e = DATA.edges[j], r = DATA.relations[e.relation], other = e.head === i ? e.tail : e.head;
      if (other === i || (r.structure && !isStructure(DATA.nodes[i]))) { return; }
      if (!out[other]) { out[other] = []; order.push(other); }
      out[other].push(j);
    });
    return { edges: out, order: order };
  }
  function showNodes(list) {
    // Whatever hides these nodes or their edges (class, relation, report filters) is switched off.
    list.forEach(function (k) {
      var o = DATA.nodes[k];
      if (!state.classOn[o.cls]) { setClass(o.cls, true); }
    });
    if (state.report !== "" || state.section !== "") { resetFilters(); }
    syncStructureBox();
  }
  function neighbourhood(i) {
    // Only this node and its neighbours, laid out around it: stated relations first, by kind.
    var nb = neighbours(i), n = DATA.nodes[i];
    state.view = new Set([i].concat(nb.order)); state.mode = "neighbourhood";
    var used = {};
    nb.order.forEach(function (k) { nb.edges[k].forEach(function (j) { used[DATA.edges[j].relation] = true; }); });
    setRelations(function (r, ri) { return state.relOn[ri] || !!used[ri]; });
    showNodes([i].concat(nb.order));
    applyFilters();
    var rank = function (k) {
      var r = DATA.relations[DATA.edges[nb.edges[k][0]].relation];
      return (r.stated ? "0" : "1") + String(DATA.edges[nb.edges[k][0]].relation).padStart(3, "0") + DATA.nodes[k].label;
    };
    var ring = nb.order.slice().sort(function (a, b) { return rank(a) < rank(b) ? -1 : rank(a) > rank(b) ? 1 : 0; });
    var updates = [{ id: i, x: 0, y: 0 }];
    placeRings(ring, 0, 0, updates);
    move(updates);
    $("first-view").hidden = !DATA.first;
    viewNote("邻域 Neighbourhood of " + n.label + ": " + nb.order.length + " neighbours");
    showPanel(i);  // first: the panel narrows the drawing, and the fit must see the final width
    network.setSize("100%", "100%"); network.redraw();
    network.fit({ animation: false });
    network.selectNodes([i]);
  }
  function placeRings(list, cx, cy, updates) {
    // Concentric rings around (cx, cy), each with room for a label per node (~110 px of arc).
    var k = 0, radius = 200;
    while (k < list.length) {
      var room = Math.max(6, Math.floor(2 * Math.PI * radius / 110)), count = Math.min(room, list.length - k);
      for (var m = 0; m < count; m++) {
        var angle = -Math.PI / 2 + 2 * Math.PI * m / count + (radius > 200 ? Math.PI / count : 0);
        updates.push({ id: list[k + m], x: Math.round(cx + radius * Math.cos(angle)), y: Math.round(cy + radius * Math.sin(angle)) });
      }
      k += count; radius += 130;
    }
  }
  function expandNode(i) {
    // Add this node's neighbours to what is drawn, on rings around it.
    var nb = neighbours(i), fresh = nb.order.filter(function (k) { return !state.shown[k]; });
    if (!state.view) { state.view = new Set(DATA.nodes.map(function (x, k) { return k; }).filter(function (k) { return state.shown[k]; })); }
    state.view.add(i); nb.order.forEach(function (k) { state.view.add(k); });
    showPanel(i);
    var used = {};
    nb.order.forEach(function (k) { nb.edges[k].forEach(function (j) { used[DATA.edges[j].relation] = true; }); });
    setRelations(function (r, ri) { return state.relOn[ri] || !!used[ri]; });
    showNodes([i].concat(nb.order));
    applyFilters();
    var centre = network.getPosition(i), updates = [];
    placeRings(fresh, centre.x, centre.y, updates);
    move(updates);
    state.mode = "view";
    viewNote(state.view.size + " of " + DATA.nodes.length + " nodes in this view (" + fresh.length + " added around " + DATA.nodes[i].label + ")");
    network.setSize("100%", "100%"); network.redraw();
    network.fit({ animation: false });
  }

  // --- layouts of what the filters keep ------------------------------------------------------------
  function restorePositions() {
    move(DATA.nodes.filter(function (n) { return n.x !== null; }).map(function (n) { return { id: nodeIndex[n.id], x: n.x, y: n.y }; }));
  }
  function relayout() {
    // Lay out the nodes drawn now, by the edges drawn now: each connected component as rings
    // around its best-linked node (breadth-first, each ring with room for its labels), the
    // components packed in rows, largest first. Deterministic: the same filters, the same drawing.
    var ids = [], at = {};
    state.shown.forEach(function (v, i) { if (v) { at[i] = ids.length; ids.push(i); } });
    var adj = ids.map(function () { return []; });
    DATA.edges.forEach(function (e, j) {
      if (state.edgeShown[j] && at[e.head] !== undefined && at[e.tail] !== undefined) { adj[at[e.head]].push(at[e.tail]); adj[at[e.tail]].push(at[e.head]); }
    });
    var seen = new Array(ids.length), comps = [];
    for (var s0 = 0; s0 < ids.length; s0++) {
      if (seen[s0]) { continue; }
      var comp = [s0]; seen[s0] = true;
      for (var q = 0; q < comp.length; q++) { adj[comp[q]].forEach(function (b) { if (!seen[b]) { seen[b] = true; comp.push(b); } }); }
      comps.push(comp);
    }
    comps.sort(function (a, b) { return b.length - a.length || a[0] - b[0]; });
    var boxes = comps.map(function (comp) {
      var root = comp.reduce(function (best, k) { return adj[k].length > adj[best].length ? k : best; }, comp[0]);
      // A breadth-first tree; each subtree gets an angle in proportion to its size, and each
      // ring is far enough out that its narrowest share still has ~110 px of arc for a label.
      var depth = {}, kids = {}, order = [root]; depth[root] = 0; kids[root] = [];
      for (var q2 = 0; q2 < order.length; q2++) {
        var k0 = order[q2];
        adj[k0].slice().sort(function (a, b) { return a - b; }).forEach(function (b) {
          if (depth[b] === undefined) { depth[b] = depth[k0] + 1; kids[k0].push(b); kids[b] = []; order.push(b); }
        });
      }
      var size = {};
      for (var q3 = order.length - 1; q3 >= 0; q3--) { size[order[q3]] = 1 + kids[order[q3]].reduce(function (t, c) { return t + size[c]; }, 0); }
      var span = {}, share = {}; span[root] = [0, 2 * Math.PI];
      order.forEach(function (k) {
        var lo = span[k][0], hi = span[k][1], start = lo;
        kids[k].forEach(function (c) { var w = (hi - lo) * size[c] / Math.max(size[k] - 1, 1); span[c] = [start, start + w]; start += w; });
      });
      var ringRadius = [0], narrow = {};
      order.forEach(function (k) { var d = depth[k], w = span[k][1] - span[k][0]; if (d > 0) { narrow[d] = Math.min(narrow[d] || 7, w); } });
      Object.keys(narrow).sort(function (a, b) { return a - b; }).forEach(function (d) {
        ringRadius[d] = Math.min(Math.max(ringRadius[d - 1] + 150, 110 / narrow[d]), ringRadius[d - 1] + 600);
      });
      var pos = {}, radius = 0;
      order.forEach(function (k) {
        var r = ringRadius[depth[k]], mid = (span[k][0] + span[k][1]) / 2;
        pos[k] = [r * Math.cos(mid), r * Math.sin(mid)]; radius = Math.max(radius, r);
      });
      return { pos: pos, size: radius * 2 + 160 };
    });
    var area = boxes.reduce(function (sum, b) { return sum + b.size * b.size; }, 0);
    var width = Math.max(Math.sqrt(area) * 1.3, boxes.length ? boxes[0].size : 0), x = 0, y = 0, rowH = 0, updates = [];
    boxes.forEach(function (b) {
      if (x > 0 && x + b.size > width) { x = 0; y += rowH; rowH = 0; }
      Object.keys(b.pos).forEach(function (k) { updates.push({ id: ids[k], x: Math.round(x + b.size / 2 + b.pos[k][0]), y: Math.round(y + b.size / 2 + b.pos[k][1]) }); });
      x += b.size; rowH = Math.max(rowH, b.size);
    });
    move(updates);
    network.fit({ animation: false });
    if (network.getScale() < MIN_READABLE_SCALE && comps.length) {  // labels first: centre on the biggest cluster
      var hub = ids[comps[0].reduce(function (best, k) { return adj[k].length > adj[best].length ? k : best; }, comps[0][0])];
      network.moveTo({ position: network.getPosition(hub), scale: MIN_READABLE_SCALE, animation: false });
    }
    return updates.length;
  }
  function fitReadable() {
    // Fit the drawing, but never so far out that labels cannot be read: then centre on the
    // biggest cluster (the rest is a pan or "Fit" away).
    network.fit({ animation: false });
    if (network.getScale() < MIN_READABLE_SCALE && DATA.first && state.mode === "first") {
      var ids = DATA.first.filter(function (k) { return state.shown[k]; });
      var best = ids.reduce(function (b, k) { return DATA.nodes[k].degree > DATA.nodes[b].degree ? k : b; }, ids[0]);
      network.moveTo({ position: network.getPosition(best), scale: MIN_READABLE_SCALE, animation: false });
    }
  }

  // --- export and layouts -------------------------------------------------------------------------
  function download(name, href) {
    var a = el("a", { href: href, download: name });
    document.body.appendChild(a); a.click(); a.remove();
  }
  $("fit").addEventListener("click", function () { network.fit(); });
  function exportPng() {
    // The drawing with a title and a legend of the classes and relations drawn, so the image
    // explains itself outside the page.
    var source = container.querySelector("canvas"), ratio = source.width / Math.max(container.clientWidth, 1);
    var drawnClasses = {}, drawnRelations = {};
    state.shown.forEach(function (v, i) { if (v) { drawnClasses[DATA.nodes[i].cls] = true; } });
    state.edgeShown.forEach(function (v, j) { if (v) { drawnRelations[DATA.edges[j].relation] = true; } });
    var items = DATA.classes.filter(function (c) { return drawnClasses[c.id]; }).map(function (c) { return { text: label(c), color: c.color, line: false }; })
      .concat(DATA.relations.filter(function (r, i) { return drawnRelations[i]; }).map(function (r) { return { text: label(r), color: r.color, line: true }; }));
    var row = 18 * ratio, top = 30 * ratio, legend = Math.ceil(items.length / 4) * row + 10 * ratio;
    var copy = document.createElement("canvas");
    copy.width = source.width; copy.height = source.height + top + legend;
    var ctx = copy.getContext("2d");
    ctx.fillStyle = "#ffffff"; ctx.fillRect(0, 0, copy.width, copy.height);
    ctx.fillStyle = "#222"; ctx.font = "bold " + Math.round(14 * ratio) + "px " + DATA.options.nodes.font.face;
    ctx.fillText(DATA.meta.title, 10 * ratio, 20 * ratio);
    ctx.drawImage(source, 0, top);
    ctx.font = Math.round(12 * ratio) + "px " + DATA.options.nodes.font.face;
    var width = copy.width / 4;
    items.forEach(function (it, k) {
      var x = 10 * ratio + (k % 4) * width, y = top + source.height + 14 * ratio + Math.floor(k / 4) * row;
      ctx.fillStyle = it.color; ctx.strokeStyle = it.color; ctx.lineWidth = 2 * ratio;
      if (it.line) { ctx.beginPath(); ctx.moveTo(x, y - 4 * ratio); ctx.lineTo(x + 16 * ratio, y - 4 * ratio); ctx.stroke(); }
      else { ctx.beginPath(); ctx.arc(x + 8 * ratio, y - 4 * ratio, 5 * ratio, 0, 2 * Math.PI); ctx.fill(); }
      ctx.fillStyle = "#333"; ctx.fillText(it.text, x + 22 * ratio, y);
    });
    download("kg-graph.png", copy.toDataURL("image/png"));
    return { width: copy.width, height: copy.height, legend: items.length };
  }
  $("export-png").addEventListener("click", exportPng);
  var storageKey = "kg-layout:" + DATA.meta.key;
  function currentLayout() {
    var pos = network.getPositions(), out = {};
    Object.keys(pos).forEach(function (k) { out[DATA.nodes[k].id] = [Math.round(pos[k].x), Math.round(pos[k].y)]; });
    return { kind: "kg-layout", key: DATA.meta.key, positions: out };
  }
  function applyLayout(layout) {
    if (!layout || layout.kind !== "kg-layout" || typeof layout.positions !== "object") { throw new Error("not a kg layout file"); }
    var updates = [];
    Object.keys(layout.positions).forEach(function (iri) {
      var i = nodeIndex[iri], p = layout.positions[iri];
      if (i !== undefined && Array.isArray(p) && isFinite(p[0]) && isFinite(p[1])) { updates.push({ id: i, x: +p[0], y: +p[1] }); }
    });
    network.setOptions({ physics: false });
    move(updates);
    return updates.length;
  }
  function storeLayout() {
    try { localStorage.setItem(storageKey, JSON.stringify(currentLayout())); } catch (err) { /* storage may be off */ }
  }
  function restoreLayout() {
    var text = null;
    try { text = localStorage.getItem(storageKey); } catch (err) { return; }
    if (text) {
      try { status("restored " + applyLayout(JSON.parse(text)) + " saved positions (Reset to drop them)"); } catch (err) { status("saved layout ignored: " + err.message); }
    }
  }
  $("save-layout").addEventListener("click", function () {
    storeLayout();
    var blob = new Blob([JSON.stringify(currentLayout(), null, 1)], { type: "application/json" });
    var url = URL.createObjectURL(blob);
    download("kg-layout.json", url);
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
    status("layout saved");
  });
  $("load-layout").addEventListener("change", function (ev) {
    var file = ev.target.files[0];
    if (!file) { return; }
    file.text().then(function (text) {
      var n = applyLayout(JSON.parse(text)); storeLayout(); status("loaded " + n + " positions from " + file.name);
    }).catch(function (err) { status("cannot load " + file.name + ": " + err.message); });
    ev.target.value = "";
  });
  $("reset-layout").addEventListener("click", function () {
    try { localStorage.removeItem(storageKey); } catch (err) { /* storage may be off */ }
    move(DATA.nodes.filter(function (n) { return n.x !== null; }).map(function (n) { return { id: nodeIndex[n.id], x: n.x, y: n.y }; }));
    network.fit(); status("layout reset");
  });

  // --- ?query=SPARQL: draw a query result fetched from the kg server beside this page -----------------
  var params = new URLSearchParams(location.search);
  var query = params.get("query") || params.get("construct");
  if (query && /^https?:$/.test(location.protocol)) {
    status("running query…");
    fetch("sparql?query=" + encodeURIComponent(query), { headers: { Accept: "application/n-triples, application/sparql-results+json;q=0.9" } })
      .then(function (res) {
        if (!res.ok) { return res.text().then(function (t) { throw new Error(res.status + " " + t.slice(0, 200)); }); }
        var type = res.headers.get("Content-Type") || "";
        return res.text().then(function (text) { drawResult(type, text); });
      })
      .catch(function (err) { status("query failed: " + err.message); });
  }
  function ensureNode(iri) {
    if (nodeIndex[iri] !== undefined) { return nodeIndex[iri]; }
    var i = DATA.nodes.length;
    var name = localName(iri);
    try { name = decodeURIComponent(name); } catch (err) { /* keep it encoded */ }
    var n = record("nodes", { id: iri, label: name || iri, cls: "Other", reports: [], sections: [], degree: 0 });
    DATA.nodes.push(n); nodeIndex[iri] = i; adjacency.push([]); haystack.push(n.label.toLowerCase());
    xy.push(null); nodes.add(visNode(n, i)); inSet.nodes[i] = true;
    return i;
  }
  function drawResult(type, text) {
    var iris = [];
    if (/json/.test(type)) {
      var json = JSON.parse(text);
      (json.results ? json.results.bindings : []).forEach(function (row) {
        Object.keys(row).forEach(function (k) { if (row[k].type === "uri") { iris.push(row[k].value); } });
      });
    } else {
      var term = /<([^>]*)>|"(?:[^"\\]|\\.)*"(?:@[\w-]+|\^\^<[^>]*>)?|_:\S+/g;
      text.split("\n").forEach(function (line) {
        var parts = line.trim().match(term);
        if (!parts || parts.length < 3 || parts[0][0] !== "<") { return; }
        var s = parts[0].slice(1, -1);
        iris.push(s);
        if (parts[2][0] === "<" && parts[1] !== "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>") {
          var o = parts[2].slice(1, -1), p = parts[1].slice(1, -1), si = ensureNode(s), oi = ensureNode(o);
          iris.push(o);
          var known = DATA.edges.some(function (e) { return e.head === si && e.tail === oi || e.head === oi && e.tail === si; });
          if (!known) {
            var ids = DATA.relations.map(function (x) { return x.id; }), r = ids.indexOf(localName(p));
            var e = record("edges", r >= 0 ? { head: si, tail: oi, relation: r, predicate: "" }
              : { head: si, tail: oi, relation: ids.indexOf("other"), predicate: p });
            var j = DATA.edges.length; DATA.edges.push(e); adjacency[si].push(j); adjacency[oi].push(j);
            edges.add(visEdge(e, j)); inSet.edges[j] = true;
          }
        }
      });
    }
    state.view = new Set(iris.map(ensureNode));
    state.classOn.Other = true;
    document.querySelectorAll("#class-filter input").forEach(function (b) { if (b.dataset.cls === "Other") { b.checked = true; } });
    $("view-section").hidden = false;
    $("view-note").textContent = "query result: " + state.view.size + " nodes";
    if (applyFilters() && DATA.meta.physics) { settle(); }
    network.fit();
  }
  $("title").textContent = DATA.meta.title;
  if (state.count === 0 && !state.view) {
    status("no entities in this graph yet: tick 显示文档结构 Show document structure to see its reports and sentences");
  }
})();
