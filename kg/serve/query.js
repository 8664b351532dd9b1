// kg serve's query page: named queries as a form, a SPARQL editor, a sortable results table
// with IRIs shown by label, CSV and JSON downloads, and links from results to the views.
(function () {
  "use strict";
  var page = window.KG_QUERY;
  var KIND_VIEW = {author: "map.html", theme: "map.html", work: "citations.html",
    claim: "citations.html"};
  var LABELLED = 2000;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }
  var names = document.getElementById("kg-query-name");
  var about = document.getElementById("kg-query-about");
  var paramsBox = document.getElementById("kg-params");
  var editor = document.getElementById("kg-editor");
  var status = document.getElementById("kg-result-status");
  var table = document.getElementById("kg-results");
  var csvButton = document.getElementById("kg-csv");
  var jsonButton = document.getElementById("kg-json");
  var byName = {};
  page.queries.forEach(function (q) {
    byName[q.name] = q;
    var option = el("option", null, q.name);
    option.value = q.name;
    names.appendChild(option);
  });
  function showNamed() {
    var q = byName[names.value];
    about.textContent = q.description;
    paramsBox.replaceChildren();
    q.params.forEach(function (p) {
      var label = el("label", "kg-param", p[0] + " ");
      var input = el("input");
      input.name = p[0];
      input.placeholder = p[1];
      input.size = 50;
      label.appendChild(input);
      paramsBox.appendChild(label);
    });
  }
  names.addEventListener("change", showNamed);
  showNamed();

  function literal(value) { return JSON.stringify(value); }
  function bound(q) {
    var text = q.text;
    paramsBox.querySelectorAll("input").forEach(function (input) {
      if (!input.value.trim()) { return; }
      var placeholder = new RegExp("VALUES\\s+\\?" + input.name + "_param\\s*\\{\\s*UNDEF\\s*\\}");
      text = text.replace(placeholder, "VALUES ?" + input.name + "_param { " +
        literal(input.value.trim()) + " }");
    });
    return text;
  }
  function ask(sparql) {
    return fetch("/sparql", {
      method: "POST",
      headers: {"Content-Type": "application/x-www-form-urlencoded",
        "Accept": "application/sparql-results+json"},
      body: new URLSearchParams({query: sparql}).toString()
    }).then(function (response) {
      if (!response.ok) {
        return response.text().then(function (t) { throw new Error(t.trim()); });
      }
      return response.json();
    });
  }

  var current = null;
  var labels = {};
  var kinds = {};
  function labelAll(results) {
    var iris = {};
    results.results.bindings.forEach(function (row) {
      Object.keys(row).forEach(function (v) {
        if (row[v].type === "uri" && !(row[v].value in labels)) { iris[row[v].value] = true; }
      });
    });
    var wanted = Object.keys(iris).slice(0, LABELLED);
    if (!wanted.length) { return Promise.resolve(); }
    var values = wanted.map(function (iri) { return "<" + iri + ">"; }).join(" ");
    return ask("SELECT ?s ?label ?type WHERE { VALUES ?s { " + values + " } " +
      "OPTIONAL { ?s foaf:name|skos:prefLabel|dcterms:title|rdfs:label ?label } " +
      "OPTIONAL { ?s a ?type } }").then(function (answer) {
      answer.results.bindings.forEach(function (row) {
        var iri = row.s.value;
        if (row.label && !labels[iri]) { labels[iri] = row.label.value; }
        if (row.type) {
          var t = row.type.value;
          if (/core#Concept$/.test(t)) { kinds[iri] = "theme"; }
          else if (/ontology#Claim$/.test(t)) { kinds[iri] = "claim"; }
          else if (/0\.1\/Person$/.test(t)) { kinds[iri] = "author"; }
        }
      });
    }).catch(function () { /* labels are a nicety: the IRIs are shown instead */ });
  }
  function shown(term) {
    if (!term) { return ""; }
    if (term.type === "uri") { return labels[term.value] || term.value.replace(/^.*[/#]/, ""); }
    return term.value;
  }
  // Where on the views a result names a node: VIEW.html#node=ID, or #label=TEXT for a name.
  function nodeLink(variable, term) {
    if (!term) { return null; }
    if (term.type === "uri") {
      var iri = term.value;
      var claim = /\/claim\/(.+)$/.exec(iri);
      if (claim) { return "citations.html#node=" + encodeURIComponent("claim:" + claim[1]); }
      var work = /\/work\/([^/]+)$/.exec(iri);
      if (work) { return "citations.html#node=" + encodeURIComponent("work:" + work[1]); }
      var person = /\/person\/([^/]+)$/.exec(iri);
      if (person || kinds[iri] === "author") {
        return "map.html#node=" + encodeURIComponent("author:" + iri.replace(/^.*\//, ""));
      }
      if (kinds[iri] === "theme") {
        return "map.html#node=" + encodeURIComponent("theme:" + iri.replace(/^.*[/#]/, ""));
      }
      return null;
    }
    var kind = variable.replace(/s$/, "").toLowerCase();
    if (term.type === "literal" && KIND_VIEW[kind] && kind !== "claim") {
      return KIND_VIEW[kind] + "#label=" + encodeURIComponent(term.value);
    }
    return null;
  }
  function draw(results, sortBy, descending) {
    var vars = results.head.vars;
    var rows = results.results.bindings.slice();
    if (sortBy !== undefined) {
      rows.sort(function (a, b) {
        var x = shown(a[vars[sortBy]]), y = shown(b[vars[sortBy]]);
        var nx = Number(x), ny = Number(y);
        var order = x !== "" && y !== "" && !isNaN(nx) && !isNaN(ny) ? nx - ny :
          x.localeCompare(y);
        return descending ? -order : order;
      });
    }
    var head = el("tr");
    vars.forEach(function (v, i) {
      var th = el("th", null, v);
      th.setAttribute("role", "columnheader");
      if (i === sortBy) { th.setAttribute("aria-sort", descending ? "descending" : "ascending"); }
      th.addEventListener("click", function () {
        draw(results, i, i === sortBy ? !descending : false);
      });
      head.appendChild(th);
    });
    var thead = el("thead");
    thead.appendChild(head);
    var tbody = el("tbody");
    rows.forEach(function (row) {
      var tr = el("tr");
      vars.forEach(function (v) {
        var td = el("td");
        var term = row[v];
        var href = nodeLink(v, term);
        if (href) {
          var a = el("a", "kg-node-link", shown(term));
          a.href = href;
          if (term.type === "uri") { a.title = term.value; }
          td.appendChild(a);
        } else {
          td.textContent = shown(term);
          if (term && term.type === "uri") { td.title = term.value; }
        }
        tr.appendChild(td);
      });
      tbody.appendChild(tr);
    });
    table.replaceChildren(thead, tbody);
  }
  function run(sparql) {
    status.textContent = "Running\u2026";
    csvButton.disabled = jsonButton.disabled = true;
    var started = performance.now();
    ask(sparql).then(function (results) {
      if (results.boolean !== undefined) {
        results = {head: {vars: ["answer"]},
          results: {bindings: [{answer: {type: "literal", value: String(results.boolean)}}]}};
      }
      current = results;
      var seconds = ((performance.now() - started) / 1000).toFixed(2);
      return labelAll(results).then(function () {
        draw(results);
        var n = results.results.bindings.length;
        status.textContent = n + " row" + (n === 1 ? "" : "s") + " in " + seconds + " s.";
        csvButton.disabled = jsonButton.disabled = false;
      });
    }).catch(function (error) {
      current = null;
      table.replaceChildren();
      status.textContent = error.message;
    });
  }
  document.getElementById("kg-named").addEventListener("submit", function (event) {
    event.preventDefault();
    var text = bound(byName[names.value]);
    editor.value = text;
    run(text);
  });
  document.getElementById("kg-sparql").addEventListener("submit", function (event) {
    event.preventDefault();
    run(editor.value);
  });

  function download(name, type, text) {
    var a = el("a");
    a.href = URL.createObjectURL(new Blob([text], {type: type}));
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
  }
  function csvCell(text) {
    return /[",\r\n]/.test(text) ? "\"" + text.replace(/"/g, "\"\"") + "\"" : text;
  }
  function baseName() { return names.value && editor.value === bound(byName[names.value]) ?
    names.value : "query"; }
  csvButton.addEventListener("click", function () {
    var vars = current.head.vars;
    var lines = [vars.map(csvCell).join(",")];
    current.results.bindings.forEach(function (row) {
      lines.push(vars.map(function (v) { return csvCell(row[v] ? row[v].value : ""); }).join(","));
    });
    download(baseName() + ".csv", "text/csv", lines.join("\r\n") + "\r\n");
  });
  jsonButton.addEventListener("click", function () {
    download(baseName() + ".json", "application/sparql-results+json",
      JSON.stringify(current, null, 2) + "\n");
  });
})();
