(function () {
  "use strict";
  var el = window.kgDom.el, link = window.kgDom.link, plural = window.kgDom.plural;  // dom.js
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var TIP_CLAIMS = 3, TIP_WORKS = 6, LISTED = 30;
  var stanceColor = {};
  data.stances.forEach(function (s) { stanceColor[s.name] = s.color; });
  var edgeColor = {};
  data.edges.forEach(function (e) {
    if (!e.kg.guess) { edgeColor[e.kg.stance] = e.kg.color || e.color; }
  });

  // vis-network deep-copies every option of every item: hand it the drawing options only,
  // and keep the claims (data.nodes[i].kg, data.edges[i].kg) on this side.
  function drawn(item) {
    var copy = Object.assign({}, item);
    delete copy.kg;
    return copy;
  }
  var nodes = new vis.DataSet(data.nodes.map(drawn));
  var edges = new vis.DataSet(data.edges.map(drawn));
  var container = document.getElementById("kg-network");
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, data.options);
  window.kgNetwork = network;
  window.kgData = data;
  if (data.options.physics.enabled) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({physics: {enabled: false}});
    });
  }
  // Box sizes are known only once drawn, so fit again then, with a margin for the labels.
  function fitAll() {
    var shown = nodes.getIds({filter: function (n) { return !n.hidden; }});
    network.fit({nodes: shown, animation: false});
    network.moveTo({scale: network.getScale() * 0.88});
  }
  // Until the page has been read to its end, the claims block may be incomplete: what needs
  // it waits for that. The map is ready once drawn and the claims are there.
  function loaded(fn) {
    return function () {
      var args = arguments;
      if (document.readyState !== "loading") { return fn.apply(null, args); }
      document.addEventListener("DOMContentLoaded", function () { fn.apply(null, args); });
    };
  }
  var ready = loaded(function () {
    window.kgReady = true;
    document.dispatchEvent(new Event("kg-ready"));
    // Read the claims while the reader looks at the map, so the first click is quick.
    (window.requestIdleCallback || setTimeout)(function () { withDetails(); }, {timeout: 2000});
  });
  function firstDrawn() {
    window.kgDrawnAt = performance.now();
    ready();
  }
  if (data.options.physics.enabled) {
    network.once("afterDrawing", function () {
      fitAll();
      firstDrawn();
    });
  } else {
    // Positions are fixed: frame them now, so the first draw is the only one.
    fitAll();
    network.once("afterDrawing", firstDrawn);
  }

  var byId = {};
  data.nodes.forEach(function (n) { byId[n.id] = n; });
  // The claims and details come in a second block, read on the first hover or click.
  var detailed = false;
  function withDetails() {
    if (detailed) { return; }
    detailed = true;
    var more = JSON.parse(document.getElementById("kg-details-data").textContent);
    data.nodes.forEach(function (n) { Object.assign(n.kg, more.nodes[n.id]); });
    data.edges.forEach(function (e) {
      e.kg.claims = more.edges[e.id].map(function (c) {
        return {id: c[0], quote: more.quotes[c[0]], cites: c[1].map(function (r) {
          var w = more.works[r[0]];
          return {key: r[0], cite: w.cite, work: w.work, year: w.year, locator: r[1], stance: r[2]};
        })};
      });
    });
  }
  var edgeById = {};
  var edgesOf = {};
  data.edges.forEach(function (e) {
    edgeById[e.id] = e;
    (edgesOf[e.from] = edgesOf[e.from] || []).push(e);
    (edgesOf[e.to] = edgesOf[e.to] || []).push(e);
  });

  function chip(stance) {
    var c = el("span", "kg-chip", stance);
    c.style.background = edgeColor[stance] || stanceColor[stance];
    return c;
  }
  function meta(n) {
    return data.kinds[n.kg.kind].meta.replace("{claims}", plural(n.kg.claims, "claim"));
  }
  function source(c) {
    var text = c.cite || c.key;
    if (c.locator) { text += ", " + c.locator; }
    if (c.work) { text += " \u00b7 " + c.work; }
    return text;
  }
  function sources(claim, className, withStance) {
    var box = el("div", className);
    claim.cites.forEach(function (c, i) {
      if (i) { box.appendChild(el("br")); }
      box.appendChild(document.createTextNode(source(c) + (withStance ? " " : "")));
      if (withStance && c.stance) { box.appendChild(chip(c.stance)); }
    });
    return box;
  }
  function quote(text) { return "\u201c" + text + "\u201d"; }
  function claimList(claims, withStance) {
    var list = el("ol", "kg-claims");
    claims.forEach(function (c) {
      var item = el("li");
      item.dataset.kgClaim = c.id;
      item.appendChild(el("p", "kg-quote", quote(c.quote)));
      item.appendChild(sources(c, "kg-source", withStance));
      item.appendChild(copyButton(c));
      list.appendChild(item);
    });
    return list;
  }
  // "Copy citation": the quote with the author-date reference of each work it cites and
  // its page: "... " (Buck, 2017, p. 1; Jaffe, 2012).
  function citation(claim) {
    var refs = claim.cites.map(function (c) {
      var ref = (c.cite || c.key).replace(/ \((\d{4}[a-z]?|n\.d\.)\)$/, ", $1");
      return c.locator ? ref + ", " + c.locator : ref;
    });
    return quote(claim.quote) + " (" + refs.join("; ") + ")";
  }
  function copyButton(claim) {
    var button = el("button", "kg-copy", "Copy citation");
    button.type = "button";
    button.addEventListener("click", function () {
      var text = citation(claim);
      var done = function () { button.textContent = "Copied"; };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text).then(done, function () { copyByHand(text, done); });
      } else {
        copyByHand(text, done);
      }
    });
    return button;
  }
  function copyByHand(text, done) {
    var area = el("textarea");
    area.value = text;
    document.body.appendChild(area);
    area.select();
    if (document.execCommand("copy")) { done(); }
    area.remove();
  }
  function claimsOf(id) {
    var seen = {}, out = [];
    (edgesOf[id] || []).forEach(function (e) {
      e.kg.claims.forEach(function (c) {
        if (!seen[c.id]) { seen[c.id] = true; out.push(c); }
      });
    });
    return out;
  }
  function more(shown, total, what) {
    return total > shown ?
      el("div", "kg-tip-more", "\u2026 and " + (total - shown) + " more " + what +
        ": click to see all") : null;
  }
  function append(parent, children) {
    children.forEach(function (c) { if (c) { parent.appendChild(c); } });
    return parent;
  }
  function tipList(tag, items, make) {
    var list = el(tag);
    items.forEach(function (item) { list.appendChild(make(item)); });
    return list;
  }
  function claimTip(c) {
    var item = el("li", null, quote(c.quote));
    item.appendChild(sources(c, "kg-tip-source", false));
    return item;
  }
  function nodeTip(n) {
    withDetails();
    var box = append(el("div"), [el("div", "kg-tip-head", n.kg.label),
      el("div", "kg-tip-meta", meta(n))]);
    if (n.kg.detail) { box.appendChild(el("div", "kg-tip-body", n.kg.detail)); }
    if (n.kg.works) {
      box.appendChild(tipList("ul", n.kg.works.slice(0, TIP_WORKS), function (w) {
        return el("li", null, w.title + (w.year ? " (" + w.year + ")" : ""));
      }));
      append(box, [more(TIP_WORKS, n.kg.works.length, "works")]);
    }
    if (n.kg.kind !== "claim") {
      var claims = claimsOf(n.id);
      box.appendChild(tipList("ol", claims.slice(0, TIP_CLAIMS), claimTip));
      append(box, [more(TIP_CLAIMS, claims.length, "claims")]);
    }
    return box;
  }
  function edgeHead(tag, className, e) {
    var h = el(tag, className);
    h.appendChild(document.createTextNode(byId[e.from].kg.label + " "));
    h.appendChild(chip(e.kg.stance));
    h.appendChild(document.createTextNode(" " + byId[e.to].kg.label));
    return h;
  }
  function edgeTip(e) {
    withDetails();
    var box = append(el("div"), [edgeHead("div", "kg-tip-head", e),
      el("div", "kg-tip-meta", plural(e.kg.weight, "claim"))]);
    box.appendChild(tipList("ol", e.kg.claims.slice(0, TIP_CLAIMS), claimTip));
    return append(box, [more(TIP_CLAIMS, e.kg.claims.length, "claims")]);
  }
  // Tooltips are built on the first hover: thousands of them up front would slow the first
  // draw of a large map.
  var tipped = {};
  network.on("hoverNode", function (params) {
    if (!tipped[params.node] && document.readyState !== "loading") {
      tipped[params.node] = true;
      nodes.update({id: params.node, title: nodeTip(byId[params.node])});
    }
  });
  network.on("hoverEdge", function (params) {
    var key = "edge " + params.edge;
    if (!tipped[key] && document.readyState !== "loading") {
      tipped[key] = true;
      edges.update({id: params.edge, title: edgeTip(edgeById[params.edge])});
    }
  });

  var details = document.getElementById("kg-details");
  function show(children, shown) {
    details.replaceChildren.apply(details, children);
    details.parentNode.scrollTop = 0;
    document.dispatchEvent(new CustomEvent("kg-panel", {detail: shown || {}}));
  }
  function withStance(e) { return !stanceColor[e.kg.stance]; }
  var showEdge = loaded(function (id) {
    withDetails();
    var e = edgeById[id];
    show([edgeHead("h2", null, e), el("p", "kg-kind", plural(e.kg.weight, "claim")),
      claimList(e.kg.claims, withStance(e))], {edge: id});
  });
  var showNode = loaded(function (id) {
    withDetails();
    var n = byId[id];
    var parts = [el("h2", null, n.kg.label), el("p", "kg-kind", meta(n))];
    if (n.kg.detail) {
      parts.push(el("p", n.kg.kind === "claim" ? "kg-detail kg-quote" : "kg-detail",
        n.kg.kind === "claim" ? quote(n.kg.detail) : n.kg.detail));
    }
    if (n.kg.works) {
      parts.push(el("h3", null, "Works"));
      parts.push(tipList("ul", n.kg.works, function (w) {
        return el("li", null, w.title + (w.year ? " (" + w.year + ")" : ""));
      }));
      parts[parts.length - 1].className = "kg-works";
    }
    var mine = (edgesOf[id] || []).slice();
    var other = function (e) { return e.from === id ? e.to : e.from; };
    mine.sort(function (a, b) {
      return byId[other(a)].kg.label.localeCompare(byId[other(b)].kg.label) ||
        a.id.localeCompare(b.id);
    });
    if (mine.length) { parts.push(el("h3", null, data.kinds[n.kg.kind].section)); }
    mine.forEach(function (e) {
      var h = el("h4");
      h.appendChild(link(byId[other(e)].kg.label, function () { goTo(other(e)); }));
      h.appendChild(document.createTextNode(" "));
      h.appendChild(chip(e.kg.stance));
      h.appendChild(document.createTextNode(" " + plural(e.kg.weight, "claim")));
      parts.push(h, claimList(e.kg.claims, withStance(e)));
    });
    show(parts, {node: id});
  });
  function goTo(id) {
    if (nodes.get(id).hidden) { reset(); }
    network.selectNodes([id]);
    network.focus(id, {scale: Math.max(network.getScale(), 1), animation: {duration: 400}});
    showNode(id);
  }
  function overview() {
    var parts = [el("p", "kg-hint", "Click a node or a line to read the claims behind it, " +
      "with their quotes and pages.")];
    var noun = data.rank.noun;
    parts.push(el("h3", null, noun.charAt(0).toUpperCase() + noun.slice(1) +
      "s by number of claims"));
    var ranked = data.nodes.filter(function (n) { return n.kg.kind === data.rank.kind; })
      .sort(function (a, b) { return b.kg.claims - a.kg.claims; });
    var list = el("ol", "kg-overview");
    ranked.slice(0, LISTED).forEach(function (n) {
      var item = el("li");
      item.appendChild(link(n.kg.label, function () { goTo(n.id); }));
      item.appendChild(document.createTextNode("\u00a0"));
      item.appendChild(el("span", "kg-count", String(n.kg.claims)));
      list.appendChild(item);
    });
    parts.push(list);
    if (ranked.length > LISTED) {
      parts.push(el("p", "kg-count", "\u2026 and " + (ranked.length - LISTED) +
        " more: search for one by name."));
    }
    var disputes = data.edges.filter(function (e) { return e.kg.stance === "disputes"; });
    var heading = "Where the literature disagrees";
    if (!disputes.length && !data.stanceEdges) {
      disputes = data.edges;
      heading = "Strongest links";
    }
    disputes = disputes.slice().sort(function (a, b) { return b.kg.weight - a.kg.weight; });
    if (disputes.length) {
      parts.push(el("h3", null, heading));
      var pairs = el("ul", "kg-overview");
      disputes.slice(0, LISTED).forEach(function (e) {
        var item = el("li");
        item.appendChild(link(byId[e.from].kg.label + " \u2013 " + byId[e.to].kg.label,
          function () { network.selectEdges([e.id]); showEdge(e.id); }));
        if (!data.stanceEdges) {
          item.appendChild(document.createTextNode("\u00a0"));
          item.appendChild(el("span", "kg-count", String(e.kg.weight)));
        }
        pairs.appendChild(item);
      });
      parts.push(pairs);
      if (disputes.length > LISTED) {
        parts.push(el("p", "kg-count", "\u2026 and " + (disputes.length - LISTED) +
          " more: use the filters to see them all on the map."));
      }
    }
    // Sections other scripts of the page add (views-clusters.js: the clusters).
    (window.kgPanelParts || []).forEach(function (add) { add(parts); });
    show(parts);
  }
  overview();
  network.on("click", function (params) {
    if (params.nodes.length) { showNode(params.nodes[0]); }
    else if (params.edges.length) { showEdge(params.edges[0]); }
    else { overview(); }
  });

  var themeSelect = document.getElementById("kg-theme");
  var labels = document.getElementById("kg-labels");
  var isTheme = {};
  data.themes.forEach(function (t) {
    isTheme[t[0]] = true;
    var option = el("option", null, t[1]);
    option.value = t[0];
    themeSelect.appendChild(option);
  });
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input[name=stance]"));
  var filterStatus = document.getElementById("kg-filter-status");
  // "Confirmed themes only": hides the lines resting on themes kg only guessed.
  var confirmedOnly = document.getElementById("kg-confirmed");
  function confirmedHides(e) {
    return Boolean(confirmedOnly && confirmedOnly.checked && e.kg.guess);
  }
  // The year filter: works published in [from, to] stay, with what links only to them; an
  // empty box leaves that end open.
  var yearFrom = document.getElementById("kg-year-from");
  var yearTo = document.getElementById("kg-year-to");
  function yearBound(box, open) {
    var value = box ? parseInt(box.value, 10) : NaN;
    return isNaN(value) ? open : value;
  }
  function applyFilters() {
    var theme = themeSelect ? themeSelect.value : "";
    var stances = {};
    boxes.forEach(function (b) { if (b.checked) { stances[b.value] = true; } });
    var from = yearBound(yearFrom, -Infinity), to = yearBound(yearTo, Infinity);
    var ranged = from !== -Infinity || to !== Infinity;
    function inRange(year) { return year !== null && year >= from && year <= to; }
    var visible = {};
    var edgeUpdates = data.edges.map(function (e) {
      var shown = e.kg.stances.some(function (s) { return stances[s]; }) &&
        (!theme || e.kg.themes.indexOf(theme) !== -1) && (!ranged || e.kg.years.some(inRange)) &&
        !confirmedHides(e);
      if (shown) { visible[e.from] = true; visible[e.to] = true; }
      return {id: e.id, hidden: !shown};
    });
    var shownCount = 0;
    var nodeUpdates = data.nodes.map(function (n) {
      var shown = (Boolean(visible[n.id]) || n.id === theme ||
        (!theme && (isTheme[n.id] || !(edgesOf[n.id] || []).length))) &&
        (!ranged || n.kg.year === undefined || inRange(n.kg.year));
      if (shown) { shownCount += 1; }
      return {id: n.id, hidden: !shown};
    });
    nodes.update(nodeUpdates);
    edges.update(edgeUpdates);
    var all = !theme && !ranged && boxes.every(function (b) { return b.checked; }) &&
      !(confirmedOnly && confirmedOnly.checked);
    filterStatus.textContent = all ? "" :
      "Showing " + shownCount + " of " + plural(data.nodes.length, "node") + ".";
    fitAll();
  }
  if (themeSelect) { themeSelect.addEventListener("change", applyFilters); }
  boxes.forEach(function (b) { b.addEventListener("change", applyFilters); });
  if (confirmedOnly) { confirmedOnly.addEventListener("change", applyFilters); }
  [yearFrom, yearTo].forEach(function (box) {
    if (box) { box.addEventListener("input", applyFilters); }
  });
  function reset() {
    if (themeSelect) { themeSelect.value = ""; }
    [yearFrom, yearTo].forEach(function (box) { if (box) { box.value = ""; } });
    if (confirmedOnly) { confirmedOnly.checked = false; }
    boxes.forEach(function (b) { b.checked = true; });
    applyFilters();
  }
  document.getElementById("kg-reset").addEventListener("click", function () {
    reset();
    network.unselectAll();
    overview();
  });

  var search = document.getElementById("kg-search");
  // The suggestions are made when first needed, not before the map is drawn.
  search.addEventListener("focus", function () {
    data.nodes.forEach(function (n) { labels.appendChild(el("option", null, n.kg.label)); });
  }, {once: true});
  var searchStatus = document.getElementById("kg-search-status");
  function find() {
    var needle = search.value.trim().toLowerCase();
    if (!needle) { searchStatus.textContent = ""; return; }
    var hits = data.nodes.filter(function (n) {
      return n.kg.label.toLowerCase().indexOf(needle) !== -1;
    });
    if (!hits.length) { searchStatus.textContent = "Nothing matches."; return; }
    var exact = hits.filter(function (n) { return n.kg.label.toLowerCase() === needle; });
    var hit = (exact.length ? exact : hits)[0];
    goTo(hit.id);
    searchStatus.textContent = hits.length === 1 ? "" :
      hits.length + " matches; showing " + hit.kg.label + ".";
  }
  search.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { event.preventDefault(); find(); }
  });
  search.addEventListener("change", find);
  // What the page's other scripts (views-clusters.js) use of this one.
  window.kgView = {data: data, nodes: nodes, network: network, byId: byId, el: el, link: link,
    plural: plural, show: show, goTo: goTo, overview: overview, fitAll: fitAll};

  // VIEW.html#node=ID or #label=NAME (kg serve's query page links so) selects and shows that
  // node; kg serve also calls kgGoTo to keep the selection across a reload.
  window.kgGoTo = function (id) {
    if (!byId[id]) { return false; }
    goTo(id);
    return true;
  };
  function goToHash() {
    var wanted = /^#(node|label)=(.+)$/.exec(window.location.hash);
    if (!wanted) { return; }
    var value = decodeURIComponent(wanted[2]);
    if (wanted[1] === "label") {
      var hit = data.nodes.filter(function (n) { return n.kg.label === value; })[0];
      value = hit ? hit.id : "";
    }
    window.kgGoTo(value);
  }
  window.addEventListener("hashchange", goToHash);
  document.addEventListener("kg-ready", goToHash);
})();
