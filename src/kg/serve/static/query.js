// The query page: YASGUI on this server's /sparql, with the catalogue of named queries.
// Everything is served by kg serve; nothing is fetched from the internet (autocompleters that
// call remote services are switched off).
(function () {
  "use strict";
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
