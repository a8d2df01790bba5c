/* An On Record embed, inside the iframe: take the theme the host asks for (?theme=light or
   ?theme=dark; otherwise the reader's own), and report the page's height to the host
   whenever it changes, in the messages newsroom pages already listen for: Datawrapper's
   {"datawrapper-height": {id: px}}, the Guardian's iframe-messenger "set-height", AMP's
   "embed-size", and pym.js when the host's pym gives a childId. Loaded in the head, so
   the theme applies before the first paint. */
(function () {
  "use strict";
  var root = document.documentElement;
  var query = new URLSearchParams(window.location.search);
  var theme = query.get("theme");
  if (theme === "light" || theme === "dark") root.setAttribute("data-theme", theme);
  if (window.parent === window) return; // opened on its own: nobody to tell
  var id = root.getAttribute("data-embed") || window.location.pathname;
  var pym = query.get("childId");
  var last = 0;

  function send() {
    if (!document.body) return;
    var height = Math.ceil(document.body.getBoundingClientRect().height);
    if (height === last || height <= 0) return;
    last = height;
    var heights = {};
    heights[id] = height;
    var parent = window.parent;
    parent.postMessage({ "datawrapper-height": heights }, "*");
    parent.postMessage(JSON.stringify({ type: "set-height", value: height }), "*");
    parent.postMessage({ sentinel: "amp", type: "embed-size", height: height }, "*");
    if (pym) parent.postMessage("pymxPYMx" + pym + "xPYMxheightxPYMx" + height, "*");
  }

  function start() {
    send();
    if (window.ResizeObserver) new ResizeObserver(send).observe(document.body);
    else window.addEventListener("resize", send);
    document.addEventListener("toggle", send, true); // a matrix cell opened or closed
    window.addEventListener("load", send);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
