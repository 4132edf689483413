// The query page: YASGUI on this server's /sparql, with the catalogue of named queries.
// Everything is served by kg serve; nothing is fetched from the internet (autocompleters that
// call remote services are switched off). Text from results and the catalogue reaches the page
// through textContent, or escaped (esc) where YASR wants an HTML string.
(function () {
  "use strict";
  // Result IRIs are data, not markup. YASR writes an IRI into a single-quoted href, so one holding
  // a quote could add attributes (a style laid over the whole page, an event handler). Build the
  // link with the DOM instead, and link only http(s) IRIs: javascript:, data: and the rest are text.
  var Table = Yasgui.Yasr && Yasgui.Yasr.plugins && Yasgui.Yasr.plugins.table;
  if (Table) {
    Table.prototype.getUriLinkFromBinding = function (binding, prefixes) {
      var iri = String(binding.value), shown = iri, prefixed = false;
      for (var name in prefixes || {}) {
        if (iri.indexOf(prefixes[name]) === 0) {
          shown = name + ":" + iri.substring(prefixes[name].length);
          prefixed = true;
          break;
        }
      }
      var compact = prefixed || (this.persistentConfig && this.persistentConfig.compact);
      var link;
      if (/^https?:\/\/[^\s]*$/i.test(iri)) {
        link = document.createElement("a");
        link.href = iri;
        link.target = this.config && this.config.openIriInNewWindow ? "_blank" : "_self";
        link.rel = "noopener noreferrer";
      } else {
        link = document.createElement("span");
      }
      link.className = "iri";
      link.textContent = shown;
      var box = document.createElement("span");
      box.appendChild(document.createTextNode(compact ? "" : "<"));
      box.appendChild(link);
      box.appendChild(document.createTextNode(compact ? "" : ">"));
      return box.innerHTML;
    };
  }

  var endpoint = window.location.origin + "/sparql";
  var $ = function (id) { return document.getElementById(id); };
  $("endpoint").textContent = endpoint;
  function esc(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
  }
  function el(tag, props) {
    var node = document.createElement(tag);
    if (props) { for (var k in props) { node[k] = props[k]; } }
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c !== null && c !== undefined) { node.appendChild(typeof c === "string" ? document.createTextNode(c) : c); }
    }
    return node;
  }

  // --- the results table: values as the report states them, IRIs that open the explorer ---------
  var Table = Yasgui.Yasr.plugins.table;
  Table.defaults.openIriInNewWindow = false;
  var prefixes = function () { return window.kgPrefixes || {}; };
  Table.prototype.getUriLinkFromBinding = function (binding) {
    // A result IRI opens the explorer on that node (w3id.org does not serve these IRIs).
    var iri = binding.value, short = iri, map = prefixes();
    Object.keys(map).some(function (p) {
      if (iri.indexOf(map[p]) === 0 && iri.length > map[p].length) { short = p + ":" + iri.slice(map[p].length); return true; }
      return false;
    });
    try { short = decodeURIComponent(short); } catch (err) { /* keep it encoded */ }
    return "<a class='iri' href='/?focus=" + esc(encodeURIComponent(iri)) + "' title='" + esc(iri) +
      " (open in the explorer)'>" + esc(short) + "</a>";
  };
  Table.prototype.formatLiteral = function (binding) {
    // The value alone; its datatype or language is a tooltip, not a "^^xsd:decimal" tag.
    var tag = binding["xml:lang"] ? "@" + binding["xml:lang"] : binding.datatype ? binding.datatype.replace(/^.*[#/]/, "xsd:") : "";
    return tag ? "<span title='" + esc(tag) + "'>" + esc(binding.value) + "</span>" : esc(binding.value);
  };
  var getColumns = Table.prototype.getColumns;
  Table.prototype.getColumns = function () {
    // Each column as wide as its content: short values on one line, long text (sentences) wraps.
    var columns = getColumns.call(this), bindings = (this.yasr.results && this.yasr.results.getBindings()) || [];
    return columns.map(function (column) {
      if (!column.name) { return column; }
      var longest = bindings.reduce(function (n, row) { return Math.max(n, row[column.name] ? String(row[column.name].value).length : 0); }, 0);
      return Object.assign({}, column, { className: longest > 40 ? "kg-long" : "kg-short" });
    });
  };
  var draw = Table.prototype.draw;
  Table.prototype.draw = function (config) {
    // Whole values, columns as wide as their content: a long sentence column wraps instead of
    // squeezing the others to "地区…".
    return draw.call(this, Object.assign({}, config || {}, { isEllipsed: false }));
  };

  var yasgui = new Yasgui($("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    persistenceId: null,
    populateFromUrl: false,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    yasqe: { autocompleters: ["variables"], showQueryButton: true },
    yasr: { prefixes: prefixes },
  });
  window.kgYasgui = yasgui;

  // --- syntax errors: where (line:column, marked in the editor) and what --------------------------
  var mark = null;
  function clearError() {
    if (mark) { mark.clear(); mark = null; }
    $("query-error").hidden = true;
  }
  function describe(detail) {
    // Oxigraph lists the tokens it could accept; say it in words.
    var expected = /expected one of (.*)$/.exec(detail) || /expected (.*)$/.exec(detail);
    if (!expected) { return detail; }
    var words = expected[1].split(/,\s*/).map(function (w) { return w === "[_]" ? "a blank node [ ]" : w; });
    return "the query cannot go on here; SPARQL would accept " + (words.length > 1 ? "one of " : "") + words.join(", ");
  }
  function editorError(yasqe) {
    // YASQE's own parser knows the first line it cannot read; Oxigraph may report the place where
    // it gave up, further on. The first token the editor marks as an error is where to look.
    for (var line = 0; line < yasqe.lineCount(); line++) {
      var state = yasqe.getTokenAt({ line: line, ch: yasqe.getLine(line).length }, true).state;
      if (state && state.OK === false) {
        var bad = yasqe.getLineTokens(line, true).filter(function (t) { return /error/.test(t.type || "") && t.string.trim(); })[0];
        var expected = (state.possibleCurrent || []).filter(function (w) { return w && w !== "$"; });
        return { line: line, ch: bad ? bad.start : 0, expected: expected };
      }
    }
    return null;
  }
  function showError(text) {
    var m = /line (\d+), column (\d+): (.*)/.exec(text || "");
    if (!m) { return false; }
    var yasqe = yasgui.getTab().getYasqe(), line = +m[1] - 1, at = Math.max(+m[2] - 1, 0), what = describe(m[3]);
    var local = editorError(yasqe);
    if (local && local.line <= line) {
      line = local.line; at = local.ch;
      if (local.expected.length) { what = "the query cannot go on here; SPARQL would accept " + (local.expected.length > 1 ? "one of " : "") + local.expected.join(", "); }
    }
    var source = yasqe.getLine(line);
    if (source === undefined) { return false; }
    at = Math.min(at, source.length);
    var token = source.slice(at).match(/^\s*(\S+)/), found = token ? token[1] : "the end of the line";
    clearError();
    var from = token ? at : Math.max(at - 1, 0), to = token ? at + token[0].length : Math.max(at, 1);
    mark = yasqe.markText({ line: line, ch: from }, { line: line, ch: to }, { className: "kg-error-mark" });
    yasqe.setCursor({ line: line, ch: at });
    var box = $("query-error");
    while (box.firstChild) { box.removeChild(box.firstChild); }
    box.appendChild(el("strong", null, "语法错误 Syntax error at line " + (line + 1) + ", column " + (at + 1)));
    box.appendChild(el("div", null, "found “" + found + "”: " + what));
    box.appendChild(el("pre", null, source + "\n" + " ".repeat(at) + "^"));
    box.appendChild(el("small", null, "The server said: " + text));
    box.hidden = false;
    return true;
  }
  yasgui.on("query", function (instance, tab) {
    // YASQE reports a failed request as an error whose message is the server's answer
    // ("query line 3, column 5: expected …", from kg.query.describe_syntax_error).
    clearError();
    var yasqe = tab.getYasqe();
    if (!yasqe.kgErrors) {
      yasqe.kgErrors = true;
      yasqe.on("error", function (self, err) { showError(err && err.message); });
    }
  });
  window.kgShowError = showError;

  // --- the catalogue, and a form for a named query's parameters -------------------------------------
  function term(value, iri) {
    if (iri) {
      if (/[\s<>"{}|^`\\]/.test(value) || !value) { throw new Error("“" + value + "” is not an IRI (no spaces, <, >, \" …)"); }
      return "<" + value + ">";
    }
    return "\"" + value.replace(/\\/g, "\\\\").replace(/"/g, "\\\"").replace(/\n/g, "\\n").replace(/\r/g, "\\r") + "\"";
  }
  function bound(item, values) {
    // The catalogue's text binds the defaults in one VALUES block (kg.query.bind_values); swap in the form's.
    var names = item.parameters.map(function (p) { return "?" + p.name; }).join(" ");
    var kinds = item.parameters.map(function (p) { return item.text.indexOf("<" + p.default + ">") >= 0; });
    var old = " VALUES (" + names + ") { (" + item.parameters.map(function (p, k) { return term(p.default, kinds[k]); }).join(" ") + ") }";
    var fresh = " VALUES (" + names + ") { (" + values.map(function (v, k) { return term(v, kinds[k]); }).join(" ") + ") }";
    if (item.text.indexOf(old) < 0) { throw new Error("this query's parameters cannot be set from the form; edit its VALUES clause"); }
    return item.text.replace(old, fresh);
  }
  function paramForm(item) {
    var form = $("params");
    while (form.firstChild) { form.removeChild(form.firstChild); }
    form.hidden = !item.parameters.length;
    if (!item.parameters.length) { return; }
    form.appendChild(el("strong", null, item.title));
    var inputs = item.parameters.map(function (p) {
      var input = el("input", { type: "text", value: p.default, name: p.name, size: Math.max(12, Math.min(60, p.default.length + 4)) });
      form.appendChild(el("label", { title: p.description }, p.name + " ", input, el("small", null, " " + p.description)));
      return input;
    });
    var note = el("span", { className: "param-note" });
    var run = el("button", { type: "submit" }, "运行 Run");
    form.appendChild(run); form.appendChild(note);
    form.onsubmit = function (ev) {
      ev.preventDefault();
      try {
        var text = bound(item, inputs.map(function (i) { return i.value; }));
        note.textContent = "";
        var tab = yasgui.getTab();
        tab.setQuery(text);
        tab.getYasqe().query();
      } catch (err) { note.textContent = err.message; }
    };
  }
  function load(item, button) {
    var tab = yasgui.getTab();
    tab.setQuery(item.text);
    if (tab.setName) { tab.setName(item.title); }
    document.querySelectorAll("#catalogue-list button").forEach(function (b) { b.classList.remove("active"); });
    button.classList.add("active");
    paramForm(item);
    clearError();
  }

  fetch("/catalogue.json").then(function (r) { return r.json(); }).then(function (catalogue) {
    var items = catalogue.queries;
    window.kgPrefixes = catalogue.prefixes;
    var list = $("catalogue-list");
    items.forEach(function (item) {
      var button = el("button", { type: "button", title: item.description }, item.title, el("small", null, item.name));
      button.dataset.name = item.name;
      button.addEventListener("click", function () { load(item, button); });
      list.appendChild(el("li", null, button));
    });
    document.body.dataset.catalogue = String(items.length);
  });
})();
