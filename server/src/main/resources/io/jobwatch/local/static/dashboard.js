// Jobwatch dashboard: reload the page every N seconds (body data-refresh), unless the user is typing in a form.
(function () {
  "use strict";
  var seconds = parseInt(document.body.getAttribute("data-refresh") || "0", 10);
  if (!seconds || seconds < 5) {
    return;
  }
  var busy = false;
  document.addEventListener("focusin", function (e) {
    if (e.target && (e.target.tagName === "INPUT" || e.target.tagName === "SELECT")) { busy = true; }
  });
  document.addEventListener("focusout", function () { busy = false; });
  setInterval(function () {
    if (!busy && document.visibilityState !== "hidden") {
      window.location.reload();
    }
  }, seconds * 1000);
})();
