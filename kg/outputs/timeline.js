(function () {
  "use strict";
  var el = window.kgDom.el, link = window.kgDom.link, plural = window.kgDom.plural;  // dom.js
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var SVG = "http://www.w3.org/2000/svg";
  var LABEL_WIDTH = 250, ROW = 34, AXIS = 46, LISTED = 40, PAD = 14;
  var stances = data.stances;
  var stanceIndex = {};
  stances.forEach(function (s, i) { stanceIndex[s.name] = i; });

  function svg(tag, attributes) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attributes || {}).forEach(function (k) { node.setAttribute(k, attributes[k]); });
    return node;
  }
  function yearName(year) { return year === null ? "n.d." : String(year); }
  // A stance's mark: its colour, and a fill that still tells it apart in greyscale.
  function paint(node, stance) {
    var s = stances[stance];
    if (s.mark === "hatched") {
      node.setAttribute("fill", "url(#kg-tl-hatch)");
      node.setAttribute("stroke", s.color);
    } else if (s.mark === "outline") {
      node.setAttribute("fill", "#ffffff");
      node.setAttribute("stroke", "#6b7280");
    } else {
      node.setAttribute("fill", s.color);
      node.setAttribute("stroke", s.color);
    }
    node.setAttribute("stroke-width", "1.2");
    return node;
  }
  Array.prototype.forEach.call(document.querySelectorAll("svg[data-kg-stance]"), function (box) {
    paint(box.querySelector("rect"), stanceIndex[box.getAttribute("data-kg-stance")]);
  });

  // The cells of each theme and year, in the order of data.cells: [row, year, stance, count].
  var cells = data.cells;

  // What only a click shows: the claims behind each cell, read on the first click.
  var details = null;
  function withDetails() {
    if (!details) { details = JSON.parse(document.getElementById("kg-details-data").textContent); }
    return details;
  }

  var container = document.getElementById("kg-timeline");
  var panel = document.getElementById("kg-details");
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input[name=stance]"));
  var yearFrom = document.getElementById("kg-year-from");
  var yearTo = document.getElementById("kg-year-to");
  var filterStatus = document.getElementById("kg-filter-status");
  var tip = el("div", "kg-tl-tip");
  tip.hidden = true;
  var selected = null;

  function bound(box, open) {
    var value = box ? parseInt(box.value, 10) : NaN;
    return isNaN(value) ? open : value;
  }
  // The filters as they stand: the stances shown, the first and last year, and whether the
  // works with no year are shown (not when a range is asked for).
  function filters() {
    var shown = {};
    boxes.forEach(function (b) { if (b.checked) { shown[stanceIndex[b.value]] = true; } });
    var first = data.years.length ? data.years[0] : 0;
    var last = data.years.length ? data.years[1] : -1;
    var from = Math.max(first, bound(yearFrom, first));
    var to = Math.min(last, bound(yearTo, last));
    var ranged = bound(yearFrom, null) !== null || bound(yearTo, null) !== null;
    return {stances: shown, from: from, to: to, undated: data.undated && !ranged};
  }

  function draw() {
    var f = filters();
    var years = Math.max(0, f.to - f.from + 1);
    var columns = years + (f.undated ? 1.6 : 0);
    var room = container.clientWidth - LABEL_WIDTH - 2 * PAD;
    var col = Math.max(8, Math.min(48, Math.floor(room / Math.max(columns, 1))));
    var width = Math.ceil(columns * col) + 2 * PAD;
    var height = data.themes.length * ROW;
    function x(year) {
      return PAD + (year === null ? (years + 0.6) * col : (year - f.from) * col);
    }
    // Bars grow with the square root of their claims, the largest as high as a row allows.
    var totals = {}, most = 1, shownMarks = 0;
    cells.forEach(function (c) {
      if (!visible(c, f)) { return; }
      var key = c[0] + " " + c[1];
      totals[key] = (totals[key] || 0) + c[3];
      most = Math.max(most, totals[key]);
      shownMarks += 1;
    });
    var chart = svg("svg", {class: "kg-tl-chart", width: width, height: height});
    var rows = svg("g", {class: "kg-tl-rows"});
    data.themes.forEach(function (t, r) {
      rows.appendChild(svg("rect", {class: r % 2 ? "kg-tl-band kg-tl-odd" : "kg-tl-band",
        x: 0, y: r * ROW, width: width, height: ROW}));
    });
    chart.appendChild(rows);
    var step = [1, 2, 5, 10, 20, 50].filter(function (s) { return s * col >= 36; })[0] || 100;
    var grid = svg("g", {class: "kg-tl-grid"});
    var axis = svg("svg", {class: "kg-tl-axis", width: width, height: AXIS});
    for (var year = f.from; year <= f.to; year += 1) {
      if (year % step) { continue; }
      var at = x(year) + col / 2;
      grid.appendChild(svg("line", {x1: at, x2: at, y1: 0, y2: height}));
      axis.appendChild(svg("line", {class: "kg-tl-tick", x1: at, x2: at, y1: 0, y2: 5}));
      var label = svg("text", {x: at, y: 18, "text-anchor": "middle"});
      label.textContent = String(year);
      axis.appendChild(label);
    }
    if (f.undated) {
      var gap = x(null) - 0.3 * col;
      grid.appendChild(svg("line", {class: "kg-tl-gap", x1: gap, x2: gap, y1: 0, y2: height}));
      var nd = svg("text", {x: x(null) + col / 2, y: 18, "text-anchor": "middle"});
      nd.textContent = "n.d.";
      axis.appendChild(nd);
    }
    var caption = svg("text", {class: "kg-tl-caption", x: PAD, y: 38});
    caption.textContent = "Year of the cited work";
    axis.appendChild(caption);
    chart.appendChild(grid);
    var marks = svg("g", {class: "kg-tl-marks"});
    var stacked = {};
    var full = ROW - 9;
    cells.forEach(function (c, i) {
      if (!visible(c, f)) { return; }
      var key = c[0] + " " + c[1];
      var whole = full * Math.sqrt(totals[key] / most);
      var h = Math.max(3, whole * c[3] / totals[key]);
      var below = stacked[key] || 0;
      stacked[key] = below + h;
      var base = (c[0] + 1) * ROW - 4;
      var w = Math.max(5, Math.min(col * 0.72, 26));
      var mark = paint(svg("rect", {class: "kg-tl-mark", x: x(c[1]) + (col - w) / 2,
        y: base - below - h, width: w, height: h, "data-cell": i,
        "data-theme": data.themes[c[0]][0], "data-year": yearName(c[1]),
        "data-stance": stances[c[2]].name, "data-count": c[3]}), c[2]);
      if (i === selected) { mark.classList.add("kg-tl-selected"); }
      marks.appendChild(mark);
    });
    chart.appendChild(marks);

    var names = el("div", "kg-tl-themes");
    data.themes.forEach(function (t, r) {
      var row = el("div", "kg-tl-theme" + (r % 2 ? " kg-tl-odd" : ""));
      row.style.height = ROW + "px";
      row.setAttribute("data-row", r);
      var a = link(t[1], function () { showTheme(r); });
      a.title = t[1];
      row.appendChild(a);
      row.appendChild(el("span", "kg-count", String(t[2])));
      names.appendChild(row);
    });
    var corner = el("div", "kg-tl-corner");
    var layout = el("div", "kg-tl-layout");
    layout.style.gridTemplateColumns = LABEL_WIDTH + "px " + width + "px";
    layout.appendChild(names);
    layout.appendChild(chart);
    layout.appendChild(corner);
    layout.appendChild(axis);
    container.replaceChildren(layout, tip);
    container.setAttribute("data-kg-shown", shownMarks);
    var all = boxes.every(function (b) { return b.checked; }) && f.undated === data.undated &&
      (!data.years.length || (f.from === data.years[0] && f.to === data.years[1]));
    filterStatus.textContent = all ? "" : "Showing " + plural(shownMarks, "bar part") + " of " +
      cells.length.toLocaleString("en") + ".";
  }
  function visible(c, f) {
    return f.stances[c[2]] && (c[1] === null ? f.undated : c[1] >= f.from && c[1] <= f.to);
  }

  function chip(stance) {
    var c = el("span", "kg-chip", stances[stance].name);
    c.style.background = stances[stance].color;
    if (stances[stance].mark === "outline") { c.style.background = "#6b7280"; }
    return c;
  }
  // "supports: 6 claims"
  function told(c) { return stances[c[2]].name + ": " + plural(c[3], "claim"); }
  function quote(text) { return "\u201c" + text + "\u201d"; }
  function show(children) {
    panel.replaceChildren.apply(panel, children);
    panel.parentNode.scrollTop = 0;
  }
  // One claim: its quote, the citing text, and the works it cites, those of ``year`` first.
  function claimItem(claim, year) {
    var more = withDetails();
    var item = el("li");
    item.appendChild(el("p", "kg-quote", quote(claim[0])));
    var cites = claim[2].slice().sort(function (a, b) {
      return (yearOf(b) === year) - (yearOf(a) === year);
    });
    function yearOf(cite) {
      var issued = parseInt(more.works[cite[0]][2], 10);
      return isNaN(issued) ? null : issued;
    }
    var source = el("div", "kg-source");
    source.appendChild(document.createTextNode("In " + claim[1] + ", citing:"));
    cites.forEach(function (cite) {
      var work = more.works[cite[0]];
      var line = el("div", yearOf(cite) === year ? "kg-tl-cite" : "kg-tl-cite kg-tl-other");
      var text = work[0] + (cite[2] ? ", " + cite[2] : "") + (work[1] ? " \u00b7 " + work[1] : "");
      line.appendChild(document.createTextNode(text + " "));
      line.appendChild(chip(cite[1]));
      source.appendChild(line);
    });
    item.appendChild(source);
    return item;
  }
  // A list of claims, the first LISTED of them at once, the rest a click away.
  function claimList(places, year) {
    var claims = withDetails().claims;
    var list = el("ol", "kg-claims");
    var shown = 0;
    function more() {
      places.slice(shown, shown + LISTED).forEach(function (p) {
        list.appendChild(claimItem(claims[p], year));
      });
      shown = Math.min(places.length, shown + LISTED);
    }
    more();
    if (places.length <= shown) { return [list]; }
    var button = el("button", "kg-tl-more", "Show " + (places.length - shown) + " more");
    button.type = "button";
    button.addEventListener("click", function () {
      more();
      if (shown >= places.length) { button.remove(); }
      else { button.textContent = "Show " + (places.length - shown) + " more"; }
    });
    return [list, button];
  }
  function showCell(index) {
    var c = cells[index];
    selected = index;
    Array.prototype.forEach.call(container.querySelectorAll(".kg-tl-selected"), function (m) {
      m.classList.remove("kg-tl-selected");
    });
    var mark = container.querySelector('[data-cell="' + index + '"]');
    if (mark) { mark.classList.add("kg-tl-selected"); }
    var theme = data.themes[c[0]];
    // The cell's stances, the one clicked first.
    var same = [];
    cells.forEach(function (other, i) {
      if (other[0] === c[0] && other[1] === c[1]) { same.push(i); }
    });
    same.sort(function (a, b) { return (b === index) - (a === index); });
    var parts = [el("h2", null, theme[1]), el("p", "kg-kind", yearName(c[1]) + " \u00b7 " +
      same.map(function (i) { return told(cells[i]); }).join(", "))];
    same.forEach(function (i) {
      var h = el("h3");
      h.appendChild(chip(cells[i][2]));
      h.appendChild(document.createTextNode(" " + plural(cells[i][3], "claim")));
      parts.push(h);
      parts.push.apply(parts, claimList(withDetails().cells[i], c[1]));
    });
    show(parts);
  }
  function showTheme(row) {
    var theme = data.themes[row];
    var parts = [el("h2", null, theme[1]), el("p", "kg-kind", "Theme \u00b7 " +
      plural(theme[2], "claim"))];
    var definition = withDetails().definitions[row];
    if (definition) { parts.push(el("p", "kg-detail", definition)); }
    var mine = [];
    cells.forEach(function (c, i) { if (c[0] === row) { mine.push(i); } });
    if (!mine.length) {
      parts.push(el("p", "kg-hint", "No claim is tagged with this theme."));
    } else {
      parts.push(el("h3", null, "By year of the cited work"));
      var list = el("ul", "kg-overview kg-tl-years");
      mine.forEach(function (i) {
        var item = el("li");
        item.appendChild(link(yearName(cells[i][1]), function () { showCell(i); }));
        item.appendChild(document.createTextNode(" "));
        item.appendChild(chip(cells[i][2]));
        item.appendChild(el("span", "kg-count", " " + cells[i][3]));
        list.appendChild(item);
      });
      parts.push(list);
    }
    show(parts);
    var name = container.querySelector('.kg-tl-theme[data-row="' + row + '"]');
    if (name) { name.scrollIntoView({block: "nearest"}); }
  }
  function overview() {
    var parts = [el("p", "kg-hint", "Click a bar to read the claims behind it, with their " +
      "quotes, the works they cite and their pages; click a theme for its years.")];
    parts.push(el("h3", null, "Themes by number of claims"));
    var list = el("ol", "kg-overview");
    data.themes.forEach(function (t, r) {
      if (!t[2]) { return; }
      var item = el("li");
      item.appendChild(link(t[1], function () { showTheme(r); }));
      item.appendChild(document.createTextNode("\u00a0"));
      item.appendChild(el("span", "kg-count", String(t[2])));
      list.appendChild(item);
    });
    parts.push(list);
    if (data.untagged) {
      parts.push(el("p", "kg-count", plural(data.untagged, "claim") +
        " with no theme are not on the timeline."));
    }
    show(parts);
  }

  container.addEventListener("click", function (event) {
    var cell = event.target.getAttribute && event.target.getAttribute("data-cell");
    if (cell !== null && cell !== undefined) { showCell(parseInt(cell, 10)); }
  });
  container.addEventListener("mousemove", function (event) {
    var cell = event.target.getAttribute && event.target.getAttribute("data-cell");
    if (cell === null || cell === undefined) { tip.hidden = true; return; }
    var c = cells[parseInt(cell, 10)];
    tip.replaceChildren(el("div", "kg-tip-head", data.themes[c[0]][1] + " \u00b7 " +
      yearName(c[1])), el("div", null, told(c)));
    var box = container.getBoundingClientRect();
    tip.hidden = false;
    // Beside the pointer, on its left when the right edge is near.
    var left = event.clientX - box.left + 14;
    if (left + tip.offsetWidth > container.clientWidth) { left -= tip.offsetWidth + 28; }
    tip.style.left = (left + container.scrollLeft) + "px";
    tip.style.top = (event.clientY - box.top + container.scrollTop + 14) + "px";
  });
  container.addEventListener("mouseleave", function () { tip.hidden = true; });

  boxes.forEach(function (b) { b.addEventListener("change", draw); });
  [yearFrom, yearTo].forEach(function (box) {
    if (box) { box.addEventListener("input", draw); }
  });
  document.getElementById("kg-reset").addEventListener("click", function () {
    boxes.forEach(function (b) { b.checked = true; });
    [yearFrom, yearTo].forEach(function (box) { if (box) { box.value = ""; } });
    selected = null;
    draw();
    overview();
  });

  var search = document.getElementById("kg-search");
  var searchStatus = document.getElementById("kg-search-status");
  search.addEventListener("focus", function () {
    var labels = document.getElementById("kg-labels");
    data.themes.forEach(function (t) { labels.appendChild(el("option", null, t[1])); });
  }, {once: true});
  function find() {
    var needle = search.value.trim().toLowerCase();
    if (!needle) { searchStatus.textContent = ""; return; }
    var hits = [];
    data.themes.forEach(function (t, r) {
      if (t[1].toLowerCase().indexOf(needle) !== -1) { hits.push(r); }
    });
    if (!hits.length) { searchStatus.textContent = "Nothing matches."; return; }
    var exact = hits.filter(function (r) { return data.themes[r][1].toLowerCase() === needle; });
    var hit = (exact.length ? exact : hits)[0];
    showTheme(hit);
    searchStatus.textContent = hits.length === 1 ? "" :
      hits.length + " matches; showing " + data.themes[hit][1] + ".";
  }
  search.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { event.preventDefault(); find(); }
  });
  search.addEventListener("change", find);

  var width = container.clientWidth;
  window.addEventListener("resize", function () {
    if (container.clientWidth !== width) { width = container.clientWidth; draw(); }
  });
  draw();
  window.kgDrawnAt = performance.now();
  overview();
  // The claims block follows this script: the page is ready once it has been read.
  function ready() { window.kgReady = true; }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
