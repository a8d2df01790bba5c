/* On Record embeds, for the page that hosts them: each embed's iframe takes the height its
   page reports (the Datawrapper message, {"datawrapper-height": {id: px}}), so it never
   scrolls or leaves a gap. Paste it once or many times: it listens once. */
(function () {
  "use strict";
  if (window.onRecordEmbeds) return;
  window.onRecordEmbeds = true;
  var script = document.currentScript;
  var site = script && script.src ? script.src.replace(/embed\.js(\?.*)?$/, "") : "";

  function ours(frame) {
    return frame.hasAttribute("data-onrecord-embed") ||
      (site !== "" && (frame.src || "").indexOf(site) === 0);
  }

  window.addEventListener("message", function (event) {
    var data = event.data;
    var heights = data && typeof data === "object" ? data["datawrapper-height"] : null;
    if (!heights || typeof heights !== "object") return;
    var frames = document.getElementsByTagName("iframe");
    for (var i = 0; i < frames.length; i++) {
      var frame = frames[i];
      if (frame.contentWindow !== event.source || !ours(frame)) continue;
      for (var id in heights) {
        var px = Number(heights[id]);
        if (isFinite(px) && px > 0 && px < 100000) frame.style.height = Math.ceil(px) + "px";
      }
    }
  });
})();
