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
  // Each region is named at one size on screen, where no label is drawn at this zoom: at
  // its centre or elsewhere inside its disc, where no theme's box is either if it can; else
  // over boxes whose labels are too small to be drawn (coloured boxes, no text); else just
  // outside the disc. Largest cluster first, a name keeps off the names before it; a name
  // with no free place waits until one zooms in far enough for it. The places are worked
  // out once per zoom and filter, not on every frame of a pan.
  // window.kgRegionLabels holds the names drawn and their boxes (network coordinates).
  var changes = 0, placedFor = null, placed = [];
  view.nodes.on("*", function () { changes += 1; });
  // What a name keeps off: the labels drawn at this zoom ({box, drawn: true}), and the
  // themes' boxes whose labels are not ({box, drawn: false}).
  function taken() {
    var boxes = [];
    data.nodes.forEach(function (n) {
      var node = network.body.nodes[n.id];
      if (!node || node.options.hidden) { return; }
      var drawn = Boolean(n.label) && node.labelModule.visible();
      if (node.options.shape === "box") {
        boxes.push({drawn: drawn, box: {left: node.x - node.shape.width / 2,
          right: node.x + node.shape.width / 2, top: node.y - node.shape.height / 2,
          bottom: node.y + node.shape.height / 2}});
      } else if (drawn) {
        var size = node.labelModule.size;
        boxes.push({drawn: true, box: {left: size.left, right: size.left + size.width,
          top: size.top, bottom: size.top + size.height}});
      }
    });
    return boxes;
  }
  function overlaps(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }
  // Centres to try for a name width x height in region c: inside the disc (its centre, then
  // two rings, from the top clockwise), and outside it (above, below, to the sides, at the
  // corners).
  function spots(c, width, height) {
    var x = c.region[0], y = c.region[1], r = c.region[2], out = r + 30 + height / 2;
    var inside = [[x, y]];
    [0.35, 0.7].forEach(function (share) {
      for (var k = 0; k < 8; k += 1) {
        var angle = -Math.PI / 2 + k * Math.PI / 4;
        inside.push([x + share * r * Math.cos(angle), y + share * r * Math.sin(angle)]);
      }
    });
    var side = r + 30 + width / 2;
    return {inside: inside, outside: [[x, y - out], [x, y + out], [x - side, y], [x + side, y],
      [x - side, y - out], [x + side, y - out], [x - side, y + out], [x + side, y + out]]};
  }
  function place(ctx, scale) {
    var size = REGION_FONT / scale, line = 1.2 * size, pad = 2 / scale;
    var boxes = taken(), drawn = [];
    ctx.font = "600 " + size + "px system-ui, sans-serif";
    regions.forEach(function (c) {
      var lines = (c.number + ". " + c.label).split(" \u00b7 ");
      var width = Math.max.apply(null, lines.map(function (t) { return ctx.measureText(t).width; }));
      var half = lines.length * line / 2 + pad, halfWidth = width / 2 + pad;
      var reach = c.region[2] + 30 + 2 * half + width;
      var near = boxes.filter(function (b) {
        return b.box.right > c.region[0] - reach && b.box.left < c.region[0] + reach &&
          b.box.bottom > c.region[1] - reach && b.box.top < c.region[1] + reach;
      });
      var at = spots(c, 2 * halfWidth, 2 * half);
      function free(spot, overBoxes) {
        var b = {left: spot[0] - halfWidth, right: spot[0] + halfWidth, top: spot[1] - half,
          bottom: spot[1] + half};
        var clear = !drawn.some(function (d) { return overlaps(b, d.box); }) &&
          !near.some(function (d) { return (d.drawn || !overBoxes) && overlaps(b, d.box); });
        return clear ? b : null;
      }
      var box = null;
      [[at.inside, false], [at.inside, true], [at.outside, false]].some(function (tries) {
        return tries[0].some(function (spot) {
          box = free(spot, tries[1]);
          return box !== null;
        });
      });
      if (box) { drawn.push({number: c.number, box: box, lines: lines}); }
    });
    return drawn;
  }
  network.on("afterDrawing", function (ctx) {
    var scale = network.getScale();
    window.kgRegionLabels = [];
    if (scale > REGION_SCALE) { return; }
    var size = REGION_FONT / scale, line = 1.2 * size, pad = 2 / scale;
    ctx.save();
    if (placedFor !== scale + " " + changes) {
      placed = place(ctx, scale);
      placedFor = scale + " " + changes;
    }
    ctx.font = "600 " + size + "px system-ui, sans-serif";
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    ctx.lineJoin = "round";
    ctx.lineWidth = 4 / scale;
    ctx.strokeStyle = "#ffffff";
    ctx.fillStyle = "#111827";
    placed.forEach(function (name) {
      window.kgRegionLabels.push({number: name.number, box: name.box});
      var x = (name.box.left + name.box.right) / 2;
      name.lines.forEach(function (text, i) {
        var y = name.box.top + pad + line * (i + 0.5);
        ctx.strokeText(text, x, y);
        ctx.fillText(text, x, y);
      });
    });
    ctx.restore();
  });
  // The map may be drawn already: ask for one more frame (coalesced with any pending one,
  // unlike redraw(), which draws at once and would hold up the page).
  if (network.getScale() <= REGION_SCALE) { network.body.emitter.emit("_requestRedraw"); }
})();
