// kg serve's script, added to each page it sends (never to the files in build/): reloads the
// page when a new build is in place, keeping the map's zoom, filters and selection; shows a
// failed rebuild's error; on the views, lets a claim's stances and themes be curated, and
// "Save layout" write the review's layout file.
(function () {
  "use strict";
  var serve = window.KG_SERVE;
  var STATE = "kg-serve:" + window.location.pathname;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  // The error banner: a failed rebuild's one line; the page still shows the last good build.
  var banner = el("div", "kg-serve-banner");
  banner.setAttribute("role", "alert");
  banner.hidden = true;
  document.body.insertBefore(banner, document.body.firstChild);
  function showError(message) {
    banner.hidden = !message;
    banner.textContent = message ? "Rebuild failed: " + message +
      " (showing the last good build)" : "";
  }
  showError(serve.error);

  // The index links the query page, which exists only while served.
  var views = document.querySelector("ul.kg-views");
  if (views) {
    var line = el("p", null, "Ask the graph on the ");
    var query = el("a", null, "query page");
    query.href = "query";
    line.appendChild(query);
    line.appendChild(document.createTextNode(" (SPARQL at /sparql)."));
    views.parentNode.insertBefore(line, views);
  }

  // Before a reload: what the reader was looking at, for the reloaded page to restore.
  function saveState() {
    var network = window.kgNetwork;
    if (!network) { return; }
    var theme = document.getElementById("kg-theme");
    var boxes = Array.prototype.slice.call(document.querySelectorAll("input[name=stance]"));
    var state = {
      scale: network.getScale(),
      position: network.getViewPosition(),
      theme: theme ? theme.value : "",
      stances: boxes.filter(function (b) { return !b.checked; }).map(function (b) {
        return b.value;
      }),
      selected: network.getSelectedNodes()[0] || null,
      scroll: document.getElementById("kg-panel").scrollTop
    };
    window.sessionStorage.setItem(STATE, JSON.stringify(state));
  }
  function restoreState() {
    var saved = window.sessionStorage.getItem(STATE);
    if (!saved || !window.kgNetwork) { return; }
    window.sessionStorage.removeItem(STATE);
    var state = JSON.parse(saved);
    var theme = document.getElementById("kg-theme");
    var changed = false;
    if (theme && state.theme && theme.querySelector("option[value='" + CSS.escape(state.theme) +
        "']")) {
      theme.value = state.theme;
      changed = true;
    }
    document.querySelectorAll("input[name=stance]").forEach(function (b) {
      if (state.stances.indexOf(b.value) !== -1) { b.checked = false; changed = true; }
    });
    if (changed) {
      (theme || document.querySelector("input[name=stance]"))
        .dispatchEvent(new Event("change"));
    }
    if (state.selected && window.kgGoTo) { window.kgGoTo(state.selected); }
    window.kgNetwork.moveTo({scale: state.scale, position: state.position, animation: false});
    document.getElementById("kg-panel").scrollTop = state.scroll || 0;
    window.kgRestored = true;
  }
  if (window.kgNetwork) {
    if (window.kgReady) { restoreState(); }
    else { document.addEventListener("kg-ready", restoreState); }
  }

  function listen() {
    var events = new EventSource("/_kg/events");
    events.onmessage = function (message) {
      var now = JSON.parse(message.data);
      showError(now.error);
      if (now.build !== serve.build) {
        events.close();
        saveState();
        window.location.reload();
      }
    };
  }
  listen();

  // A write: {ok, message, ...} from the server, or its one-line refusal (sent as text).
  function post(path, body) {
    return fetch(path, {
      method: "POST",
      headers: {"Content-Type": "application/json", "X-KG-Token": serve.token},
      body: JSON.stringify(body)
    }).then(function (response) {
      if ((response.headers.get("Content-Type") || "").indexOf("application/json") === 0) {
        return response.json();
      }
      return response.text().then(function (text) { return {ok: false, message: text.trim()}; });
    }, function () {
      return {ok: false, message: "kg serve did not answer (has it stopped?)"};
    });
  }

  // "Save layout" (figure.js) writes the layout file kg.toml names (layout.json beside it
  // by default) instead of downloading one; the rebuild that follows keeps the pinned nodes.
  window.kgSaveLayout = function (layout, say) {
    post("/_kg/layout", layout).then(function (answer) {
      say(answer.ok ? answer.message + "; the map redraws when the rebuild is done." :
        answer.message, answer.ok);
    });
  };

  // Curation: each claim in the side panel gets a button that opens its stances and themes.
  function curateForm(claimId, box) {
    box.replaceChildren(el("p", "kg-serve-note", "Reading the claim\u2026"));
    fetch("/_kg/claim?id=" + encodeURIComponent(claimId))
      .then(function (response) { return response.json(); })
      .then(function (answer) {
        if (!answer.ok) { box.replaceChildren(el("p", "kg-serve-error", answer.message)); return; }
        box.replaceChildren(form(answer.claim));
      });
  }
  function form(claim) {
    var f = el("form", "kg-curate");
    f.appendChild(el("p", "kg-serve-note", claim.origin === "curated" ?
      "Curated in " + claim.file : "Extracted by kg; saving makes it curated."));
    var selects = [];
    claim.stances.forEach(function (pair) {
      var label = el("label", "kg-curate-stance", pair[0] + " ");
      var select = el("select");
      select.name = "stance";
      select.dataset.key = pair[0];
      claim.choices.forEach(function (choice) {
        var option = el("option", null, choice);
        option.value = choice;
        if (choice === pair[1]) { option.selected = true; }
        select.appendChild(option);
      });
      label.appendChild(select);
      f.appendChild(label);
      selects.push(select);
    });
    var themes = el("fieldset", "kg-curate-themes");
    themes.appendChild(el("legend", null, "Themes"));
    claim.scheme.forEach(function (theme) {
      var label = el("label");
      var tick = el("input");
      tick.type = "checkbox";
      tick.name = "theme";
      tick.value = theme[0];
      tick.checked = claim.themes.indexOf(theme[0]) !== -1;
      label.appendChild(tick);
      label.appendChild(document.createTextNode(" " + theme[1]));
      themes.appendChild(label);
    });
    f.appendChild(themes);
    var save = el("button", null, "Save to claims file");
    save.type = "submit";
    f.appendChild(save);
    if (claim.origin !== "curated") {
      var confirm = el("button", "kg-curate-confirm", "Confirm kg's suggestion");
      confirm.type = "button";
      confirm.addEventListener("click", function () {
        send({claim: claim.claim, confirm: true});
      });
      f.appendChild(confirm);
    }
    var status = el("p", "kg-serve-note");
    status.setAttribute("role", "status");
    f.appendChild(status);
    function send(edit) {
      status.textContent = "Saving\u2026";
      post("/_kg/curate", edit).then(function (answer) {
        status.textContent = answer.ok ? "Saved; the map redraws when the rebuild is done." :
          answer.message;
        status.className = answer.ok ? "kg-serve-note" : "kg-serve-error";
      });
    }
    f.addEventListener("submit", function (event) {
      event.preventDefault();
      var stances = {};
      selects.forEach(function (s) { stances[s.dataset.key] = s.value; });
      var chosen = Array.prototype.slice.call(f.querySelectorAll("input[name=theme]:checked"))
        .map(function (b) { return b.value; });
      send({claim: claim.claim, stances: stances, themes: chosen});
    });
    return f;
  }
  function curateButton(claimId) {
    var wrap = el("div", "kg-curate-wrap");
    var button = el("button", "kg-curate-open", "Curate");
    button.type = "button";
    button.dataset.kgCurate = claimId;
    var box = el("div");
    button.addEventListener("click", function () {
      button.hidden = true;
      curateForm(claimId, box);
    });
    wrap.appendChild(button);
    wrap.appendChild(box);
    return wrap;
  }
  document.addEventListener("kg-panel", function (event) {
    var details = document.getElementById("kg-details");
    var node = event.detail.node;
    if (node && node.indexOf("claim:") === 0) {
      details.insertBefore(curateButton(node.slice(6)), details.children[3] || null);
      return;
    }
    details.querySelectorAll("[data-kg-claim]").forEach(function (item) {
      item.appendChild(curateButton(item.dataset.kgClaim));
    });
  });
})();
