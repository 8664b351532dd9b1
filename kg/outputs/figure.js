// Figures and layouts: "Download SVG" and "Download PNG" of the map as it is on screen
// (filters and dragged nodes included), and "Save layout" of the nodes' positions. The SVG
// is drawn as kg/outputs/figure.py draws it from Python, from the positions vis-network
// holds; nodes a reader drags are pinned, and a saved layout keeps them there on rebuild.
(function () {
  "use strict";
  var network = window.kgNetwork;
  var drawing = null;
  function data() {
    if (!drawing) { drawing = window.kgData; }
    return drawing;
  }
  var FONT = "Arial, Helvetica, 'Liberation Sans', sans-serif";
  var MARGIN = 30, BOX_RADIUS = 6, ARROW_SCALE = 0.5;
  var measure = document.createElement("canvas").getContext("2d");

  var pinned = {};
  (data().pinned || []).forEach(function (id) { pinned[id] = true; });
  var layoutStatus = document.getElementById("kg-layout-status");
  function sayPinned() {
    var count = Object.keys(pinned).length;
    layoutStatus.textContent = count ? count + " pinned (dragged) node" +
      (count === 1 ? "" : "s") : "Drag a node to pin it.";
  }
  sayPinned();
  network.on("dragEnd", function (params) {
    params.nodes.forEach(function (id) { pinned[id] = true; });
    sayPinned();
  });
  window.kgPinned = pinned;

  function download(name, blob) {
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(a.href); }, 1000);
  }
  // Where each node is drawn (getPositions rounds to whole units).
  function positions() {
    var at = {};
    Object.keys(network.body.nodes).forEach(function (id) {
      var node = network.body.nodes[id];
      if (network.body.data.nodes.get(id)) { at[id] = {x: node.x, y: node.y}; }
    });
    return at;
  }

  function layoutDocument() {
    var at = positions();
    var nodes = {};
    Object.keys(at).sort().forEach(function (id) {
      nodes[id] = {x: Math.round(at[id].x), y: Math.round(at[id].y), pinned: Boolean(pinned[id])};
    });
    var views = {};
    views[data().view] = nodes;
    return {"kg-layout": 1, views: views};
  }
  window.kgLayout = layoutDocument;
  // Served by kg serve, the page writes the layout file through it (kg/serve/client.js);
  // opened from disk, it downloads one.
  document.getElementById("kg-save-layout").addEventListener("click", function () {
    if (window.kgSaveLayout) {
      layoutStatus.textContent = "Saving\u2026";
      window.kgSaveLayout(layoutDocument(), function (message, ok) {
        layoutStatus.textContent = message;
        layoutStatus.classList.toggle("kg-error", !ok);
      });
      return;
    }
    download("layout.json", new Blob([JSON.stringify(layoutDocument(), null, 1) + "\n"],
      {type: "application/json"}));
  });

  function esc(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;");
  }
  function fmt(v) { return v.toFixed(1); }
  function fontOf(node, group) { return Object.assign({}, group.font || {}, node.font || {}); }
  function textWidth(line, size) {
    measure.font = "normal " + size + "px arial";
    return measure.measureText(line).width;
  }
  // A node's box around its centre: kg.outputs.layout.node_extent.
  function extent(node, group) {
    var font = fontOf(node, group), size = node.size || 25, fs = font.size || 14;
    var lines = String(node.label || "").split("\n");
    var width = Math.max.apply(null, lines.map(function (l) { return textWidth(l, fs); }));
    var height = fs * lines.length;
    if ((node.shape || group.shape) === "box") {
      var m = group.margin || 0;
      return [-width / 2 - m, -height / 2 - m, width / 2 + m, height / 2 + m];
    }
    var half = Math.max(size, width / 2);
    return [-half, -size, half, size + fs / 2 + 4 + height];
  }
  function border(node, group, dx, dy) {
    var shape = node.shape || group.shape, size = node.size || 25;
    var length = Math.hypot(dx, dy) || 1, ux = Math.abs(dx) / length, uy = Math.abs(dy) / length;
    if (shape === "box") {
      var e = extent(node, group);
      return Math.min(ux ? e[2] / ux : Infinity, uy ? -e[1] / uy : Infinity);
    }
    if (shape === "square") { return size / Math.max(ux, uy); }
    if (shape === "diamond") { return size / (ux + uy); }
    return size;
  }
  function dash(d) { return d && d.length ? ' stroke-dasharray="' + d.join(" ") + '"' : ""; }
  function edgeSvg(edge, one, two, groups, directed) {
    var x1 = one.x, y1 = one.y, x2 = two.x, y2 = two.y, width = edge.width || 1;
    var color = esc(edge.color || "#848484"), smooth = edge.smooth || {}, via = null;
    if (smooth.enabled && smooth.type === "curvedCW" && smooth.roundness) {
      var f = smooth.roundness, dx = x2 - x1, dy = y1 - y2, length = Math.hypot(dx, dy);
      var angle = Math.atan2(dy, dx) + (0.5 * f + 0.5) * Math.PI;
      via = [x1 + (0.5 * f + 0.5) * length * Math.sin(angle),
        y1 + (0.5 * f + 0.5) * length * Math.cos(angle)];
    }
    var path = "M" + fmt(x1) + " " + fmt(y1) + " " + (via ?
      "Q" + fmt(via[0]) + " " + fmt(via[1]) + " " + fmt(x2) + " " + fmt(y2) :
      "L" + fmt(x2) + " " + fmt(y2));
    var out = '<path d="' + path + '" fill="none" stroke="' + color + '" stroke-width="' +
      width + '"' + dash(edge.dashes) + "/>";
    if (directed) {
      var from = via || [x1, y1], ex = x2 - from[0], ey = y2 - from[1];
      var len = Math.hypot(ex, ey) || 1, ux = ex / len, uy = ey / len;
      var tip = border(two, groups[two.group] || {}, ex, ey);
      var tx = x2 - ux * tip, ty = y2 - uy * tip, size = 15 * ARROW_SCALE + 3 * width;
      var bx = tx - ux * size, by = ty - uy * size, px = -uy * size * 0.45, py = ux * size * 0.45;
      out += '<path d="M' + fmt(tx) + " " + fmt(ty) + " L" + fmt(bx + px) + " " + fmt(by + py) +
        " L" + fmt(bx - px) + " " + fmt(by - py) + ' Z" fill="' + color + '"/>';
    }
    return out;
  }
  function nodeSvg(node, group) {
    var x = node.x, y = node.y, shape = node.shape || group.shape || "dot";
    var colors = group.color || {}, font = fontOf(node, group), size = node.size || 25;
    var fs = font.size || 14;
    var lines = String(node.label || "").split("\n").filter(Boolean);
    var paint = 'fill="' + esc(colors.background || "#97c2fc") + '" stroke="' +
      esc(colors.border || "#2b7ce9") + '" stroke-width="' + (group.borderWidth || 1) + '"';
    var e = extent(node, group), body, first;
    if (shape === "box") {
      body = '<rect x="' + fmt(x + e[0]) + '" y="' + fmt(y + e[1]) + '" width="' +
        fmt(e[2] - e[0]) + '" height="' + fmt(e[3] - e[1]) + '" rx="' + BOX_RADIUS + '" ' +
        paint + "/>";
      first = y - fs * lines.length / 2;
    } else {
      if (shape === "square") {
        body = '<rect x="' + fmt(x - size) + '" y="' + fmt(y - size) + '" width="' + 2 * size +
          '" height="' + 2 * size + '" ' + paint + "/>";
      } else if (shape === "diamond") {
        body = '<path d="M' + fmt(x) + " " + fmt(y + size) + " L" + fmt(x + size) + " " +
          fmt(y) + " L" + fmt(x) + " " + fmt(y - size) + " L" + fmt(x - size) + " " + fmt(y) +
          ' Z" ' + paint + "/>";
      } else {
        body = '<circle cx="' + fmt(x) + '" cy="' + fmt(y) + '" r="' + size + '" ' + paint + "/>";
      }
      first = y + size + fs / 2 + 4;
    }
    var halo = font.strokeWidth ? ' stroke="' + esc(font.strokeColor || "#ffffff") +
      '" stroke-width="' + font.strokeWidth + '" paint-order="stroke" stroke-linejoin="round"' : "";
    var texts = lines.map(function (line, i) {
      return '<text x="' + fmt(x) + '" y="' + fmt(first + fs * (i + 0.5)) + '">' + esc(line) +
        "</text>";
    }).join("");
    var label = lines.length ? '<g font-size="' + fs + '" dominant-baseline="central" fill="' +
      esc(font.color || "#343434") + '"' + halo + ">" + texts + "</g>" : "";
    return '<g class="kg-node" data-id="' + esc(node.id) + '">' + body + label + "</g>";
  }
  // The map as on screen: positions from vis-network, hidden (filtered) nodes left out.
  function svgOf(scale) {
    var d = data(), groups = d.options.groups || {};
    var directed = Boolean(((d.options.edges || {}).arrows || {}).to);
    var at = positions(), shownNodes = network.body.data.nodes;
    var nodes = {}, boxes = [];
    d.nodes.forEach(function (n) {
      var now = shownNodes.get(n.id);
      if (!now || now.hidden) { return; }
      var node = Object.assign({}, n, {x: at[n.id].x, y: at[n.id].y});
      nodes[n.id] = node;
      var e = extent(node, groups[node.group] || {});
      boxes.push([node.x + e[0], node.y + e[1], node.x + e[2], node.y + e[3]]);
    });
    if (!boxes.length) { boxes.push([0, 0, 0, 0]); }
    var legend = d.legend;
    var col = function (i) { return boxes.map(function (b) { return b[i]; }); };
    var left = Math.min.apply(null, col(0)) - MARGIN, top = Math.min.apply(null, col(1)) - MARGIN;
    var right = Math.max(Math.max.apply(null, col(2)) + MARGIN, left + legend.width + 2 * MARGIN);
    var graphBottom = Math.max.apply(null, col(3)) + MARGIN;
    var width = right - left, height = graphBottom + legend.height + MARGIN - top;
    var shownEdges = network.body.data.edges;
    var edges = d.edges.filter(function (e) {
      var now = shownEdges.get(e.id);
      return now && !now.hidden && nodes[e.from] && nodes[e.to];
    }).map(function (e) { return edgeSvg(e, nodes[e.from], nodes[e.to], groups, directed); });
    var drawn = Object.keys(nodes).map(function (id) {
      return nodeSvg(nodes[id], groups[nodes[id].group] || {});
    });
    return '<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="' +
      fmt(width * scale) + '" height="' + fmt(height * scale) + '" viewBox="' + fmt(left) + " " +
      fmt(top) + " " + fmt(width) + " " + fmt(height) + '" font-family="' + FONT +
      '" text-anchor="middle">\n<rect x="' + fmt(left) + '" y="' + fmt(top) + '" width="' +
      fmt(width) + '" height="' + fmt(height) + '" fill="#ffffff"/>\n<g class="kg-edges">' +
      edges.join("") + '</g>\n<g class="kg-nodes">' + drawn.join("") + "</g>\n" +
      '<g transform="translate(' + fmt(left + MARGIN) + "," + fmt(graphBottom) +
      ')" text-anchor="start">' + legend.svg + "</g>\n</svg>\n";
  }
  window.kgFigure = svgOf;
  document.getElementById("kg-svg").addEventListener("click", function () {
    download(data().view + ".svg", new Blob([svgOf(0.5)], {type: "image/svg+xml"}));
  });
  document.getElementById("kg-png").addEventListener("click", function () {
    var svg = svgOf(0.5);
    var natural = parseFloat(/width="([\d.]+)"/.exec(svg)[1]);
    var tall = parseFloat(/height="([\d.]+)"/.exec(svg)[1]);
    var chosen = parseInt(document.getElementById("kg-png-width").value, 10);
    var scale = chosen > 0 ? chosen / natural : 2;
    var image = new Image();
    image.onload = function () {
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(natural * scale);
      canvas.height = Math.round(tall * scale);
      var ctx = canvas.getContext("2d");
      ctx.fillStyle = "#ffffff";
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.drawImage(image, 0, 0, canvas.width, canvas.height);
      canvas.toBlob(function (blob) { download(data().view + ".png", blob); }, "image/png");
    };
    image.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(svg);
  });
})();
