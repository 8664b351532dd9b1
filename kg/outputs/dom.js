// The few helpers the pages' scripts share (views.js, timeline.js), pasted into each page
// before them: window.kgDom.el, .link and .plural.
(function () {
  "use strict";
  // Every text from the inputs goes into the page through textContent, never as HTML.
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }
  // Links are inline <a> elements (not buttons) so that wrapped text flows beside the
  // list number or bullet.
  function link(text, onClick) {
    var a = el("a", "kg-link", text);
    a.href = "#";
    a.setAttribute("role", "button");
    a.addEventListener("click", function (event) { event.preventDefault(); onClick(); });
    return a;
  }
  function plural(n, word) { return n.toLocaleString("en") + " " + word + (n === 1 ? "" : "s"); }
  window.kgDom = {el: el, link: link, plural: plural};
})();
