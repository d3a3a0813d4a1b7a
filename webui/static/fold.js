/* A <details data-open-wide> is open on a wide screen and folded on a phone, where the list
   it sits above should come first. No inline script (CSP). */
(function () {
  "use strict";
  var wide = window.matchMedia("(min-width: 48rem)");
  function follow() {
    document.querySelectorAll("details[data-open-wide]").forEach(function (details) {
      details.open = wide.matches;
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", follow);
  } else {
    follow();
  }
})();
