/* Tooltips for the server-drawn SVG charts, without the Vega runtime.
   The build gives each mark that has a tooltip a data-tip: [[title, value], ...]. Hover or
   tap a mark to see it; Tab to a chart and use the arrow keys to go from mark to mark.
   A chart that needs Vega itself (data-spec) loads the runtime when the reader first
   reaches for it. The charts read fine without this script: it only adds. */
(function () {
  "use strict";
  var script = document.currentScript;
  var tip = null, current = null, keyed = false;

  function box() {
    if (!tip) {
      tip = document.createElement("div");
      tip.id = "chart-tip";
      tip.className = "chart-tip";
      tip.setAttribute("role", "status"); // read out as the arrow keys move it
      document.body.appendChild(tip);
    }
    return tip;
  }

  function show(mark, x, y, byKeyboard) {
    var rows = JSON.parse(mark.getAttribute("data-tip"));
    var table = document.createElement("table");
    rows.forEach(function (row) {
      var line = table.insertRow(), key = line.insertCell(), value = line.insertCell();
      key.className = "key";
      key.textContent = row[0];
      value.className = "value";
      value.textContent = row[1];
    });
    var t = box();
    t.replaceChildren(table);
    if (byKeyboard) {
      var hint = document.createElement("p");
      hint.className = "chart-tip-keys";
      hint.textContent = "← → next · Esc close";
      hint.setAttribute("aria-hidden", "true");
      t.appendChild(hint);
    }
    if (current) current.classList.remove("is-tip");
    current = mark;
    keyed = byKeyboard;
    mark.classList.add("is-tip");
    var r = mark.getBoundingClientRect();
    if (x === undefined) { x = r.left + r.width / 2; y = r.top + r.height / 2; }
    t.classList.add("visible");
    // beside the mark, inside the window: to the left or above it when there is no room
    var root = document.documentElement, w = t.offsetWidth, h = t.offsetHeight;
    var left = x + 14, top = y + 14;
    if (left + w > root.clientWidth - 4) left = Math.max(4, x - 14 - w);
    if (top + h > root.clientHeight - 4) top = Math.max(4, y - 14 - h);
    t.style.left = left + window.scrollX + "px";
    t.style.top = top + window.scrollY + "px";
  }

  function hide() {
    if (tip) tip.classList.remove("visible");
    if (current) current.classList.remove("is-tip");
    current = null;
  }

  function markAt(event) {
    return event.target.closest ? event.target.closest("[data-tip]") : null;
  }

  // Bring a mark into sight: its card scrolls sideways on a phone, the page up or down.
  function reveal(view, mark) {
    var v = view.getBoundingClientRect(), r = mark.getBoundingClientRect();
    if (r.right < v.left + 4 || r.left > v.right - 4)
      view.scrollLeft += (r.left + r.right) / 2 - (v.left + v.right) / 2;
    if (r.top < 0 || r.bottom > window.innerHeight)
      window.scrollBy(0, (r.top + r.bottom) / 2 - window.innerHeight / 2);
  }

  function step(view, event) {
    var marks = Array.prototype.slice.call(view.querySelectorAll("[data-tip]"));
    var n = marks.length, at = marks.indexOf(current), key = event.key;
    if (key === "ArrowRight" || key === "ArrowDown") at = at < 0 ? 0 : (at + 1) % n;
    else if (key === "ArrowLeft" || key === "ArrowUp") at = at < 0 ? n - 1 : (at - 1 + n) % n;
    else if (key === "Home") at = 0;
    else if (key === "End") at = n - 1;
    else if (key === "Escape") { hide(); return; }
    else return;
    event.preventDefault();
    reveal(view, marks[at]);
    show(marks[at], undefined, undefined, true);
  }

  function attach(view) {
    var first = view.querySelector("[data-tip]");
    if (!first) return;
    view.classList.add("has-tips");
    if (!view.hasAttribute("tabindex")) { // one stop per chart; the arrow keys do the rest
      view.tabIndex = 0;
      view.setAttribute("role", "group");
      var figure = view.closest("figure");
      if (figure) view.setAttribute("aria-labelledby", figure.getAttribute("aria-labelledby"));
    }
    view.setAttribute("aria-keyshortcuts", "ArrowLeft ArrowRight Home End Escape");
    view.addEventListener("pointerover", function (event) {
      var mark = markAt(event);
      if (mark && mark !== current) show(mark, event.clientX, event.clientY, false);
    });
    view.addEventListener("pointerout", function (event) {
      // a finger lifted leaves the tip up until the next tap elsewhere
      if (event.pointerType !== "touch" && markAt(event) && !keyed) hide();
    });
    view.addEventListener("keydown", function (event) { step(view, event); });
    view.addEventListener("focus", function () {
      if (view.matches(":focus-visible")) {
        var mark = current && view.contains(current) ? current : first;
        reveal(view, mark);
        show(mark, undefined, undefined, true);
      }
    });
    view.addEventListener("blur", function () { if (keyed) hide(); });
  }

  // Vega, for a chart with selections or inputs: fetched once, when first reached for
  function wake() {
    var runtime = script && script.getAttribute("data-runtime");
    if (!runtime || document.querySelector("script[data-vega]")) return;
    [runtime, script.getAttribute("data-live-view")].forEach(function (src) {
      var s = document.createElement("script");
      s.src = src;
      s.async = false; // the runtime first, then onrecord.js, which upgrades the chart
      s.setAttribute("data-vega", "");
      document.head.appendChild(s);
    });
  }

  function start() {
    if (document.querySelector(".chart-view [data-tip]")) box(); // a live region exists first
    document.querySelectorAll(".chart-view").forEach(function (view) {
      attach(view);
      if (view.hasAttribute("data-spec")) {
        ["pointerenter", "focusin", "touchstart"].forEach(function (type) {
          view.addEventListener(type, wake, { once: true, passive: true });
        });
      }
    });
    document.addEventListener("pointerdown", function (event) {
      if (!markAt(event)) hide();
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape") hide();
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
