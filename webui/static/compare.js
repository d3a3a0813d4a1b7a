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

  /* The box around the marked elements (with a margin), or null when none is drawn. */
  function changedBox(viewer, marks) {
    var registry = viewer.get("elementRegistry");
    var box = null;
    Object.keys(marks).forEach(function (id) {
      var element = registry.get(id);
      if (!element || element.waypoints) {
        return;
      }
      var right = element.x + element.width;
      var bottom = element.y + element.height;
      box = box
        ? { x: Math.min(box.x, element.x), y: Math.min(box.y, element.y),
            right: Math.max(box.right, right), bottom: Math.max(box.bottom, bottom) }
        : { x: element.x, y: element.y, right: right, bottom: bottom };
    });
    if (!box) {
      return null;
    }
    var margin = 80;
    return { x: box.x - margin, y: box.y - margin,
             width: box.right - box.x + 2 * margin, height: box.bottom - box.y + 2 * margin };
  }

  function zoomToChanges(container, viewer, marks) {
    var bar = container.parentNode.querySelector(".diagram-tools");
    var button = bar && bar.querySelector("[data-zoom-changes]");
    if (!button) {
      return;
    }
    button.addEventListener("click", function () {
      var box = changedBox(viewer, marks);
      if (box) {
        viewer.get("canvas").viewbox(box);
      }
    });
  }

  /* With the box ticked, moving or zooming one side shows the same part of the other: the two
     versions share most of their layout, so the same coordinates show the same steps. */
  var viewers = [];
  var following = false;
  function follow(viewer) {
    viewers.push(viewer);
    var together = document.getElementById("compare-together");
    viewer.on("canvas.viewbox.changed", function (event) {
      if (following || !together || !together.checked) {
        return;
      }
      following = true;
      try {
        viewers.forEach(function (other) {
          if (other !== viewer) {
            var box = event.viewbox;
            other.get("canvas").viewbox({ x: box.x, y: box.y, width: box.width, height: box.height });
          }
        });
      } finally {
        following = false;
      }
    });
    if (together && viewers.length === 2) {
      together.closest(".compare-together").hidden = false;
    }
  }

  function show(container) {
    var marks = JSON.parse(container.getAttribute("data-marks") || "{}");
    var labels = JSON.parse(container.getAttribute("data-labels") || "{}");
    window.AlurDiagram.load(container, container.getAttribute("data-compare-bpmn"), function (viewer) {
      viewer.get("canvas").zoom("fit-viewport", "auto");
      mark(viewer, marks, labels);
      window.AlurDiagram.tools(container, viewer);
      zoomToChanges(container, viewer, marks);
      follow(viewer);
    });
  }

  document.querySelectorAll("[data-compare-bpmn]").forEach(show);
})();
