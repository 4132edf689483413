// The query page: YASGUI on this server's /sparql, with the catalogue of named queries.
// Everything is served by kg serve; nothing is fetched from the internet (autocompleters that
// call remote services are switched off).
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
  document.getElementById("endpoint").textContent = endpoint;
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    persistenceId: null,
    populateFromUrl: false,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    yasqe: { autocompleters: ["variables"], showQueryButton: true },
    yasr: { prefixes: function () { return window.kgPrefixes || {}; } },
  });
  window.kgYasgui = yasgui;

  function load(item, button) {
    var tab = yasgui.getTab();
    tab.setQuery(item.text);
    tab.setName ? tab.setName(item.title) : null;
    document.querySelectorAll("#catalogue-list button").forEach(function (b) { b.classList.remove("active"); });
    button.classList.add("active");
  }

  fetch("/catalogue.json").then(function (r) { return r.json(); }).then(function (catalogue) {
    var items = catalogue.queries;
    window.kgPrefixes = catalogue.prefixes;
    var list = document.getElementById("catalogue-list");
    items.forEach(function (item) {
      var li = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.dataset.name = item.name;
      button.title = item.description;
      button.textContent = item.title;
      var small = document.createElement("small");
      small.textContent = item.name;
      button.appendChild(small);
      button.addEventListener("click", function () { load(item, button); });
      li.appendChild(button);
      list.appendChild(li);
    });
    document.body.dataset.catalogue = String(items.length);
  });
})();
