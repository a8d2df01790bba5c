/* The search page: Pagefind's UI over the index built with the site, offline, no server.
   The index comes in parts (pagefind/parts.json lists them): the first is loaded and the
   others merged into it, so results and filters span every part.
   Reads ?q= from the address so the search box in the header works on every page. */
(function () {
  "use strict";
  function show(element, parts) {
    var ui = new window.PagefindUI({
      element: "#search", bundlePath: parts[0],
      mergeIndex: parts.slice(1).map(function (part) { return {bundlePath: part}; }),
      showSubResults: true, showImages: false, resetStyles: false
    });
    // Pagefind's box has only a title; the page's visible heading names it (axe: label-title-only).
    var input = element.querySelector("input");
    if (input) input.setAttribute("aria-labelledby", "search-title");
    var query = new URLSearchParams(window.location.search).get("q");
    if (query) ui.triggerSearch(query);
  }
  function start() {
    var element = document.getElementById("search");
    if (!element || typeof window.PagefindUI !== "function") return;
    // Paths from the host's root: Pagefind derives the site's root from each part's path
    // (a full address would make the merged parts' result links full addresses).
    var bundle = new URL(element.getAttribute("data-bundle"), window.location.href).pathname;
    fetch(bundle + "parts.json", {cache: "no-cache"})     // a new build may have new parts
      .then(function (response) {
        if (!response.ok) throw new Error("pagefind/parts.json: " + response.status);
        return response.json();
      })
      .then(function (manifest) {
        show(element, manifest.parts.map(function (part) { return bundle + part; }));
      })
      .catch(function (error) {
        element.textContent = "Search is not available right now.";
        console.error(error);
      });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
