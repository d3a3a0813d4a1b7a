/* The analytics page's BPMN diagram coloured by each step's share over standard.
   The page gives the XML's URL and, per task element, the share's fill, text colour and label
   in data attributes (no inline script: CSP). Every coloured task also carries its share as a
   label on the element, the page has the legend and a list of the steps with their shares. */
(function () {
  "use strict";

  function paint(viewer, marks) {
    var registry = viewer.get("elementRegistry");
    var overlays = viewer.get("overlays");
    var canvas = viewer.get("canvas");
    marks.forEach(function (mark) {
      var element = registry.get(mark.id);
      if (!element) {
        return;
      }
      canvas.addMarker(mark.id, "alur-heat");
      var shape = registry.getGraphics(mark.id).querySelector(".djs-visual > :first-child");
      if (shape) {
        shape.style.fill = mark.fill;
      }
      var label = document.createElement("span");
      label.className = "heat-label";
      label.textContent = mark.label;
      label.style.background = mark.fill;
      label.style.color = mark.text;
      overlays.add(mark.id, "alur-heat", {
        position: { bottom: 4, left: 0 },
        html: label
      });
    });
  }

  function show(container) {
    var marks = JSON.parse(container.getAttribute("data-heat") || "[]");
    if (!window.AlurDiagram) {
      return;
    }
    window.AlurDiagram.load(container, container.getAttribute("data-heat-url"), function (viewer) {
      viewer.get("canvas").zoom("fit-viewport", "auto");
      paint(viewer, marks);
    });
  }

  // table cells coloured by their share (data attributes: the CSP refuses inline styles)
  document.querySelectorAll("[data-heat-fill]").forEach(function (cell) {
    cell.style.backgroundColor = cell.getAttribute("data-heat-fill");
    cell.style.color = cell.getAttribute("data-heat-text");
  });
  document.querySelectorAll("[data-heat-url]").forEach(show);
})();
