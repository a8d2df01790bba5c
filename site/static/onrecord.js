/* Upgrade a server-rendered SVG chart that needs Vega (its spec has params) to the live
   Vega view. charts.js loads this file, after the runtime, only when the reader first
   reaches for such a chart. The SVG stays if anything fails: the page never depends on it. */
(function () {
  "use strict";
  function upgrade(view) {
    var source = document.getElementById(view.getAttribute("data-spec"));
    if (!source || typeof window.vegaEmbed !== "function") return;
    var spec = JSON.parse(source.textContent);
    var still = view.querySelector("svg"); // the build's SVG, named for screen readers
    var label = still ? still.getAttribute("aria-label") : null;
    // Fit the live chart to its column, as the static SVG does by scaling. Vega-Lite can
    // only fit a chart whose height is a number (the build sets one for its own charts);
    // a site chart sized in steps keeps its own width.
    // A chart that needs room (data-min-width, in px) scrolls in its card on a phone.
    var least = parseInt(view.getAttribute("data-min-width") || "0", 10);
    if (least && view.clientWidth < least) {
      spec.width = least - 160; // the plot area; speaker labels take the rest
    } else if (typeof spec.height === "number" || spec.height === undefined) {
      spec.width = "container";
      spec.autosize = { type: "fit-x", contains: "padding" };
    }
    // On a phone the legend wraps into rows instead of running off the card.
    var legend = (spec.config = spec.config || {}).legend = spec.config.legend || {};
    if (view.clientWidth < 560) legend.columns = view.clientWidth < 420 ? 1 : 3;
    var options = {
      actions: false, renderer: "svg", defaultStyle: false, logLevel: 1 /* errors only */,
      tooltip: { disableDefaultStyle: true }, // styles live in style.css: no inline <style>
      // Evaluate expressions with vega-interpreter, not eval: the page's CSP forbids eval.
      ast: true, expr: window.vegaExpressionInterpreter
    };
    window.vegaEmbed(view, spec, options).then(function () {
      var live = view.querySelector("svg");
      if (live && label) { // one image with one name, as the static SVG was
        live.setAttribute("role", "img");
        live.setAttribute("aria-label", label);
      }
      view.classList.add("is-live");
      view.setAttribute("data-live", "true");
    }).catch(function (error) {
      view.setAttribute("data-live", "failed");
      if (window.console) console.warn("chart stays static:", error);
    });
  }
  function start() {
    document.querySelectorAll(".chart-view[data-spec]").forEach(upgrade);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
