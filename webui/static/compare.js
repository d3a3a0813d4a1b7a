/* The compare page: each side's BPMN diagram in bpmn-js's viewer, its changed steps marked with
   a class (dashed outline) and a badge (+, *, -) whose title names the change. The page gives
   the XML's URL, the marks and the labels in data attributes (no inline script: CSP). Loading
   and failing are diagram.js's AlurDiagram.load. */
(function () {
  "use strict";

  var SIGNS = { added: "+", changed: "*", removed: "-" };

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
    var marks = JSON.parse(container.getAttribute("data-marks") || "{}");
    var labels = JSON.parse(container.getAttribute("data-labels") || "{}");
    window.AlurDiagram.load(container, container.getAttribute("data-compare-bpmn"), function (viewer) {
      viewer.get("canvas").zoom("fit-viewport", "auto");
      mark(viewer, marks, labels);
    });
  }

  document.querySelectorAll("[data-compare-bpmn]").forEach(show);
})();
