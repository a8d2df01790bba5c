/* The dev server's error overlay: the Dismiss button. A file, not an onclick attribute,
   so the pages' Content-Security-Policy (no inline script) holds in the preview too. */
document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest("[data-onrecord-dismiss]");
  if (button) document.getElementById("onrecord-overlay").remove();
});
