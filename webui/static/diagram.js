/* Shows a BPMN diagram with bpmn-js's viewer and marks the steps of an instance.
   The page gives the XML's URL, the marks and the step numbers in data attributes (no inline
   script: CSP). A state is never colour alone: each has its own outline (alur.css) and a badge
   with the step number and a sign (done and done late a tick, current an arrow, overdue "!"),
   explained by the page's legend; the list of steps under the diagram says the same in words.
   The diagram opens readable: fitted to the width, but never smaller than MIN_SCALE (then it
   scrolls); on a phone it fits the width and the badges and lane names keep their size. */
(function () {
  "use strict";

  var MIN_SCALE = 0.75; // bpmn-js writes 12 px text: 9 px at the least
  var NARROW = 600; // px of diagram width: below it (a phone) the whole width is shown
  var PAD = 16; // diagram units of margin around the drawing
  var SIGNS = { done: "\u2713", late: "\u2713", current: "\u25B6", overdue: "!" };

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

  /* The step number (and the state's sign) over each step, and the lane names when zoomed out:
     HTML overlays that keep their size at any zoom. Hidden from screen readers: the list of
     steps under the diagram says the same. */
  function badges(viewer, steps, marks) {
    var overlays = viewer.get("overlays");
    var registry = viewer.get("elementRegistry");
    // the lane names first: the step numbers, added after them, lie on top where they meet
    registry
      .filter(function (element) {
        return element.type === "bpmn:Lane" && element.businessObject.name;
      })
      .forEach(function (lane) {
        var label = document.createElement("span");
        label.className = "lane-badge";
        label.setAttribute("aria-hidden", "true");
        label.setAttribute("lang", "id");
        label.textContent = lane.businessObject.name;
        overlays.add(lane.id, "alur-lane", {
          position: { top: 2, left: 32 },
          html: label,
          scale: { min: 1 },
          show: { maxZoom: 0.6 }, // larger, bpmn-js's own lane label is readable
        });
      });
    Object.keys(steps).forEach(function (id) {
      if (!registry.get(id)) {
        return;
      }
      var state = marks[id];
      var badge = document.createElement("span");
      badge.className = "step-badge" + (state ? " step-badge-" + state : "");
      badge.setAttribute("aria-hidden", "true");
      badge.textContent = steps[id] + (SIGNS[state] ? " " + SIGNS[state] : "");
      overlays.add(id, "alur-step", {
        position: { top: -9, left: -6 },
        html: badge,
        scale: { min: 1 },
      });
    });
  }

  function tools(container, viewer) {
    var bar = container.parentNode.querySelector(".diagram-tools");
    var canvas = viewer.get("canvas");
    function zoom(how) {
      if (how === "fit") {
        canvas.zoom("fit-viewport", "auto");
      } else {
        canvas.zoom(canvas.zoom() * (how === "in" ? 1.25 : 0.8), "auto");
      }
    }
    // + and - zoom, 0 shows the whole diagram, when the diagram has the focus (Ctrl and the
    // arrow keys move it: bpmn-js's own keyboard move).
    var keys = { "+": "in", "=": "in", "-": "out", 0: "fit" };
    svgOf(container).addEventListener("keydown", function (event) {
      var how = keys[event.key];
      if (how && !event.ctrlKey && !event.metaKey && !event.altKey) {
        event.preventDefault();
        zoom(how);
      }
    });
    if (!bar) {
      return;
    }
    bar.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-zoom]");
      if (button) {
        zoom(button.getAttribute("data-zoom"));
      }
    });
    bar.hidden = false;
  }

  /* The width filled at a readable scale; the canvas as high as the drawing at that scale
     (within the CSS limits); the left edge (the lanes' names) and the top in view. */
  function fit(container, viewer) {
    var canvas = viewer.get("canvas");
    var inner = canvas.viewbox().inner;
    if (!(inner.width > 0)) {
      canvas.zoom("fit-viewport", "auto");
      return;
    }
    var width = container.clientWidth;
    var scale = width / (inner.width + 2 * PAD);
    if (width >= NARROW) {
      scale = Math.max(scale, MIN_SCALE);
    }
    scale = Math.min(scale, 1);
    var style = window.getComputedStyle(container);
    var low = parseFloat(style.minHeight) || 0;
    var high = parseFloat(style.maxHeight) || Infinity;
    var wanted = (inner.height + 2 * PAD) * scale;
    var height = Math.round(Math.min(high, Math.max(low, wanted)));
    container.style.height = height + "px";
    canvas.resized();
    canvas.viewbox({
      x: inner.x - PAD,
      y: inner.y - PAD,
      width: container.clientWidth / scale,
      height: container.clientHeight / scale,
    });
  }

  function svgOf(container) {
    return container.querySelector(".djs-container > svg");
  }

  /* The focusable SVG gets a name (the container's) and the keyboard hint as its description. */
  function name(container) {
    var svg = svgOf(container);
    svg.setAttribute("role", "application");
    svg.setAttribute("aria-label", container.getAttribute("aria-label") || "BPMN");
    var described = container.getAttribute("data-describedby");
    if (described) {
      svg.setAttribute("aria-describedby", described);
    }
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
        // the viewer's canvas takes the focus (Tab or click); Ctrl and the arrow keys move it
        var viewer = new window.BpmnJS({ container: holder });
        return viewer.importXML(xml).then(function () {
          name(container);
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
    var steps = JSON.parse(container.getAttribute("data-steps") || "{}");
    load(container, container.getAttribute("data-bpmn-url"), function (viewer) {
      fit(container, viewer);
      mark(viewer, marks);
      badges(viewer, steps, marks);
      tools(container, viewer);
    });
  }

  window.AlurDiagram = { load: load, tools: tools };
  document.querySelectorAll("[data-bpmn-url]").forEach(show);
})();
