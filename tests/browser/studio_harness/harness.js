/* Test-only host of the studio: ?bpmn=<file under /bpmn/>&lang=id|en. It opens the modeler
   the way the Flask page will, and keeps what the tests read on window.harness. */
(function () {
  "use strict";
  var params = new URLSearchParams(window.location.search);
  document.documentElement.lang = params.get("lang") || "id";
  var status = document.getElementById("status");
  var harness = { changes: 0, errors: [], scriptMs: performance.now() };
  window.harness = harness;
  var started = performance.now();
  fetch("/bpmn/" + (params.get("bpmn") || "sop_c_1.bpmn"))
    .then(function (response) {
      if (!response.ok) {
        throw new Error("HTTP " + response.status);
      }
      return response.text();
    })
    .then(function (xml) {
      harness.fetchedMs = performance.now() - started;
      var opened = performance.now();
      return window.AlurStudio.open(document.getElementById("studio"), xml, {
        onChange: function () {
          harness.changes += 1;
        },
        onError: function (error) {
          harness.errors.push(error);
        },
      }).then(function (studio) {
        harness.openMs = performance.now() - opened;
        harness.readyMs = performance.now(); // since navigation start
        harness.studio = studio;
        status.textContent = "ready";
        status.setAttribute("data-ready", "true");
      });
    })
    .catch(function (error) {
      status.textContent = "failed: " + error;
      console.error(error);
    });
})();
