/* The compare page: each side's BPMN diagram in bpmn-js's viewer, its changed steps marked with
   a class (dashed outline) and a badge (+, *, -) whose title names the change. The page gives
   the XML's URL, the marks and the labels in data attributes (no inline script: CSP). */
(function () {
  "use strict";

  var SIGNS = { added: "+", changed: "*", removed: "-" };

  function fail(container, error) {
    var message = document.createElement("p");
    message.className = "bpmn-fallback flash flash-error";
    message.textContent = container.getAttribute("data-error");
    container.replaceChildren(message);
    if (window.console) {
      console.error(error);
    }
  }

  function badge(kind, label) {
    var element = document.createElement("div");
    element.className = "diff-badge mark-" + kind;
    element.setAttribute("role", "note");
    element.title = label;
    element.setAttribute("aria-label", label);
    element.textContent = SIGNS[kind] || "?";
    return element;
  }

  function mark(viewer, marks, labels) {
    var canvas = viewer.get("canvas");
    var registry = viewer.get("elementRegistry");
    var overlays = viewer.get("overlays");
    Object.keys(marks).forEach(function (id) {
      var kind = marks[id];
      if (!registry.get(id)) {
        return;
      }
      canvas.addMarker(id, "alur-diff-" + kind);
      overlays.add(id, "alur-diff", {
        position: { top: -10, right: 10 },
        html: badge(kind, labels[kind] || kind),
      });
    });
  }

  function show(container) {
    if (typeof window.BpmnJS !== "function" || !window.fetch) {
      return fail(container, new Error("bpmn-js did not load"));
    }
    var marks = JSON.parse(container.getAttribute("data-marks") || "{}");
    var labels = JSON.parse(container.getAttribute("data-labels") || "{}");
    var holder = document.createElement("div");
    holder.className = "bpmn-holder";
    fetch(container.getAttribute("data-compare-bpmn"), { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.text();
      })
      .then(function (xml) {
        container.replaceChildren(holder);
        var viewer = new window.BpmnJS({ container: holder });
        return viewer.importXML(xml).then(function () {
          viewer.get("canvas").zoom("fit-viewport", "auto");
          mark(viewer, marks, labels);
          container.setAttribute("data-ready", "true");
        });
      })
      .catch(function (error) {
        fail(container, error);
      });
  }

  document.querySelectorAll("[data-compare-bpmn]").forEach(show);
})();
