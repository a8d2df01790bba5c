/* Story page: a Copy button beside each embed code, and full addresses in the codes when
   the site was built with a base_url that is only a path. The codes read without it. */
(function () {
  "use strict";
  function absolute(code) {
    return code.replace(/(src|href)="([^"]*)"/g, function (all, name, address) {
      return name + '="' + new URL(address, document.baseURI).href + '"';
    });
  }
  function copy(area, status) {
    var done = function () { status.textContent = "Copied"; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(area.value).then(done, function () { select(area, done); });
    } else {
      select(area, done);
    }
  }
  function select(area, done) {
    area.focus();
    area.select();
    if (document.execCommand && document.execCommand("copy")) done();
  }
  function start() {
    document.querySelectorAll("textarea.embed-code").forEach(function (area) {
      area.value = absolute(area.value);
      var button = document.createElement("button");
      button.type = "button";
      button.className = "embed-copy";
      button.textContent = "Copy code";
      var label = document.querySelector('label[for="' + area.id + '"]');
      if (label) button.setAttribute("aria-label", "Copy code: " + label.textContent);
      var status = document.createElement("span");
      status.className = "embed-status";
      status.setAttribute("role", "status");
      button.addEventListener("click", function () {
        status.textContent = "";
        copy(area, status);
      });
      area.insertAdjacentElement("afterend", status);
      area.insertAdjacentElement("afterend", button);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
