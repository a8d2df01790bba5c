/* Upgrade each server-rendered SVG chart to the interactive Vega view (tooltips, resizing).
   The SVG stays if anything fails: the page never depends on this script. */
(function () {
  "use strict";
  function upgrade(view) {
    var source = document.getElementById(view.getAttribute("data-spec"));
    if (!source || typeof window.vegaEmbed !== "function") return;
    var spec = JSON.parse(source.textContent);
    // Fit the live chart to its column, as the static SVG does by scaling.
    spec.width = "container";
    spec.autosize = { type: "fit-x", contains: "padding" };
    var options = {
      actions: false, renderer: "svg", defaultStyle: false, logLevel: 1 /* errors only */,
      tooltip: { disableDefaultStyle: true }, // styles live in style.css: no inline <style>
      // Evaluate expressions with vega-interpreter, not eval: the page's CSP forbids eval.
      ast: true, expr: window.vegaExpressionInterpreter
    };
    window.vegaEmbed(view, spec, options).then(function () {
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
