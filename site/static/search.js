/* The search page: Pagefind's UI over the index built with the site, offline, no server.
   Reads ?q= from the address so the search box in the header works on every page. */
(function () {
  "use strict";
  function start() {
    var element = document.getElementById("search");
    if (!element || typeof window.PagefindUI !== "function") return;
    var ui = new window.PagefindUI({
      element: "#search", bundlePath: element.getAttribute("data-bundle"),
      showSubResults: true, showImages: false, resetStyles: false
    });
    // Pagefind's box has only a title; the page's visible heading names it (axe: label-title-only).
    var input = element.querySelector("input");
    if (input) input.setAttribute("aria-labelledby", "search-title");
    var query = new URLSearchParams(window.location.search).get("q");
    if (query) ui.triggerSearch(query);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
