(function () {
  "use strict";
  // The clusters of a view (kg.projections.clusters): listed in the side panel's overview,
  // a click on one selects its nodes and lists them; on a large view each cluster is a
  // region of the map, circled and named while the view is zoomed out.
  var view = window.kgView;
  var data = view.data, network = view.network, el = view.el;
  var REGION_SCALE = 0.6, REGION_FONT = 14, LISTED = 30;
  var noun = data.clusterNoun === "theme" ? "theme" : "work";

  function swatch(c) {
    var s = el("span", "kg-cluster-swatch");
    s.style.background = c.color;
    s.style.borderColor = c.border;
    return s;
  }
  function counted(c) {
    var kinds = {};
    c.members.forEach(function (id) {
      var kind = view.byId[id].kg.kind;
      kinds[kind] = (kinds[kind] || 0) + 1;
    });
    return Object.keys(kinds).sort().reverse().map(function (kind) {
      var word = kind === "theme" ? "theme" : kind === "author" ? "author" : "work";
      return view.plural(kinds[kind], word);
    }).join(", ");
  }
  function highlight(c) {
    network.unselectAll();
    network.selectNodes(c.members, false);
    network.fit({nodes: c.members, animation: {duration: 400}});
    var parts = [el("h2", null, c.label),
      el("p", "kg-kind", "Cluster " + c.number + " \u00b7 " + counted(c) +
        (c.size > c.members.length ? " drawn, of " + view.plural(c.size, noun) : ""))];
    parts[0].prepend(swatch(c));
    parts.push(el("h3", null, "Most central first"));
    var list = el("ol", "kg-overview");
    c.members.forEach(function (id) {
      var item = el("li");
      item.appendChild(view.link(view.byId[id].kg.label, function () { view.goTo(id); }));
      list.appendChild(item);
    });
    parts.push(list);
    var back = el("p");
    back.appendChild(view.link("All clusters", function () {
      network.unselectAll();
      view.fitAll();
      view.overview();
    }));
    parts.push(back);
    view.show(parts);
  }
  (window.kgPanelParts = window.kgPanelParts || []).push(function (parts) {
    var section = [el("h3", null, (noun === "theme" ? "Theme clusters" : "Clusters of works") +
      " (" + data.clusters.length + ")")];
    var list = el("ol", "kg-clusters");
    data.clusters.slice(0, LISTED).forEach(function (c) {
      var item = el("li");
      item.dataset.kgCluster = String(c.number);
      item.appendChild(swatch(c));
      item.appendChild(view.link(c.label, function () { highlight(c); }));
      item.appendChild(document.createTextNode("\u00a0"));
      item.appendChild(el("span", "kg-count", counted(c)));
      list.appendChild(item);
    });
    section.push(list);
    if (data.clusters.length > LISTED) {
      section.push(el("p", "kg-count", "\u2026 and " + (data.clusters.length - LISTED) +
        " smaller clusters (kg export -f clusters lists them all)."));
    }
    parts.splice.apply(parts, [1, 0].concat(section));
  });
  view.overview();

  // A clicked node's panel says which cluster it is in, under its kind (this runs after the
  // page's own click handler has filled the panel).
  var clusterOf = {};
  data.clusters.forEach(function (c) {
    c.members.forEach(function (id) { clusterOf[id] = c; });
  });
  network.on("click", function (params) {
    var c = params.nodes.length === 1 && clusterOf[params.nodes[0]];
    var meta = c && document.querySelector("#kg-details h2 + .kg-kind");
    if (!meta) { return; }
    var line = el("p", "kg-kind kg-in-cluster");
    line.appendChild(swatch(c));
    line.appendChild(document.createTextNode("In cluster " + c.number + ": "));
    line.appendChild(view.link(c.label, function () { highlight(c); }));
    meta.parentNode.insertBefore(line, meta.nextSibling);
  });

  var regions = data.clusters.filter(function (c) { return c.region; });
  if (!regions.length) { return; }
  network.on("beforeDrawing", function (ctx) {
    var scale = network.getScale();
    if (scale > REGION_SCALE) { return; }
    ctx.save();
    ctx.lineWidth = 3 / scale;
    regions.forEach(function (c) {
      ctx.beginPath();
      ctx.arc(c.region[0], c.region[1], c.region[2] + 30, 0, 2 * Math.PI);
      ctx.strokeStyle = c.border;
      ctx.globalAlpha = 0.35;
      ctx.stroke();
    });
    ctx.restore();
  });
  // Each region is named at its centre (or in its upper or lower half), at one size on
  // screen; largest cluster first, a name that would overlap one already drawn waits until
  // one zooms in far enough for it.
  // window.kgRegionLabels holds the names drawn and their boxes (network coordinates).
  network.on("afterDrawing", function (ctx) {
    var scale = network.getScale();
    window.kgRegionLabels = [];
    if (scale > REGION_SCALE) { return; }
    var size = REGION_FONT / scale, line = 1.2 * size, pad = 2 / scale;
    ctx.save();
    ctx.font = "600 " + size + "px system-ui, sans-serif";
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    ctx.lineJoin = "round";
    ctx.lineWidth = 4 / scale;
    ctx.strokeStyle = "#ffffff";
    ctx.fillStyle = "#111827";
    var drawn = [];
    regions.forEach(function (c) {
      var lines = (c.number + ". " + c.label).split(" \u00b7 ");
      var width = Math.max.apply(null, lines.map(function (t) { return ctx.measureText(t).width; }));
      var half = lines.length * line / 2 + pad;
      // At the centre, else in the disc's upper or lower half.
      var box = [0, -0.3, 0.3, -0.6, 0.6].map(function (shift) {
        var y = c.region[1] + shift * c.region[2];
        return {left: c.region[0] - width / 2 - pad, right: c.region[0] + width / 2 + pad,
          top: y - half, bottom: y + half};
      }).filter(function (b) {
        return !drawn.some(function (d) {
          return b.left < d.right && d.left < b.right && b.top < d.bottom && d.top < b.bottom;
        });
      })[0];
      if (!box) { return; }
      drawn.push(box);
      window.kgRegionLabels.push({number: c.number, box: box});
      lines.forEach(function (text, i) {
        var y = box.top + pad + line * (i + 0.5);
        ctx.strokeText(text, c.region[0], y);
        ctx.fillText(text, c.region[0], y);
      });
    });
    ctx.restore();
  });
  // The map may be drawn already: ask for one more frame (coalesced with any pending one,
  // unlike redraw(), which draws at once and would hold up the page).
  if (network.getScale() <= REGION_SCALE) { network.body.emitter.emit("_requestRedraw"); }
})();
