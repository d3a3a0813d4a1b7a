/* Shows a BPMN diagram with bpmn-js's viewer and colours the steps of an instance.
   The page gives the XML's URL and the marks in data attributes (no inline script: CSP). */
(function () {
  "use strict";

  function fail(container, error) {
    var message = document.createElement("p");
    message.className = "bpmn-fallback flash flash-error";
    message.textContent = container.getAttribute("data-error");
    container.replaceChildren(message);
    if (window.console) {
      console.error(error);
    }
  }

  function mark(viewer, marks) {
    var canvas = viewer.get("canvas");
    var registry = viewer.get("elementRegistry");
    Object.keys(marks).forEach(function (id) {
      if (registry.get(id)) {
        canvas.addMarker(id, "alur-" + marks[id]);
      }
    });
  }

  function tools(container, viewer) {
    var bar = container.parentNode.querySelector(".diagram-tools");
    if (!bar) {
      return;
    }
    var canvas = viewer.get("canvas");
    bar.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-zoom]");
      if (!button) {
        return;
      }
      var how = button.getAttribute("data-zoom");
      if (how === "fit") {
        canvas.zoom("fit-viewport", "auto");
      } else {
        canvas.zoom(canvas.zoom() * (how === "in" ? 1.25 : 0.8), "auto");
      }
    });
    bar.hidden = false;
  }

  /* Size the canvas to the diagram's proportions (within the CSS limits), then fit it. */
  function fit(container, viewer) {
    var canvas = viewer.get("canvas");
    var inner = canvas.viewbox().inner;
    if (inner.width > 0) {
      var style = window.getComputedStyle(container);
      var low = parseFloat(style.minHeight) || 0;
      var high = parseFloat(style.maxHeight) || Infinity;
      var wanted = container.clientWidth * (inner.height / inner.width) + 48;
      container.style.height = Math.round(Math.min(high, Math.max(low, wanted))) + "px";
      canvas.resized();
    }
    canvas.zoom("fit-viewport", "auto");
  }

  // Fetch url's BPMN into container with the viewer, then ready(viewer); a failure shows the
  // container's data-error text. The compare page (compare.js) draws its two diagrams with it.
  function load(container, url, ready) {
    if (typeof window.BpmnJS !== "function" || !window.fetch) {
      return fail(container, new Error("bpmn-js did not load"));
    }
    var holder = document.createElement("div");
    holder.className = "bpmn-holder";
    fetch(url, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.text();
      })
      .then(function (xml) {
        container.replaceChildren(holder);
        // the viewer's canvas takes the focus (Tab or click); arrow keys then move the diagram
        var viewer = new window.BpmnJS({ container: holder });
        return viewer.importXML(xml).then(function () {
          ready(viewer);
          container.setAttribute("data-ready", "true");
        });
      })
      .catch(function (error) {
        fail(container, error);
      });
  }

  function show(container) {
    var marks = JSON.parse(container.getAttribute("data-marks") || "{}");
    load(container, container.getAttribute("data-bpmn-url"), function (viewer) {
      fit(container, viewer);
      mark(viewer, marks);
      tools(container, viewer);
    });
  }

  window.AlurDiagram = { load: load, tools: tools };
  document.querySelectorAll("[data-bpmn-url]").forEach(show);
})();
