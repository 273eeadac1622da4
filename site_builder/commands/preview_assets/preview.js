/* disclosure serve: the error page asks the preview server every second whether the site was built
   again (after the editor saved a file), and reloads itself when it was. Served only by the preview. */
(function () {
  "use strict";
  var script = document.currentScript;
  var version = script ? script.getAttribute("data-version") : "";
  var state = script ? script.getAttribute("data-state") : "";
  function poll() {
    fetch(state, { cache: "no-store" })
      .then(function (r) { return r.text(); })
      .then(function (v) {
        if (v.trim() !== version) {
          location.reload();
        } else {
          setTimeout(poll, 1000);
        }
      })
      .catch(function () { setTimeout(poll, 3000); });  // the server is restarting: keep asking
  }
  setTimeout(poll, 1000);
})();
