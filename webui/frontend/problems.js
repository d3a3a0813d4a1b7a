/* Problems found by validation, drawn on the diagram: a marker class on the element (a red
   outline) and a badge whose title and text give the message. */

import { t } from "./i18n";

const MARKER = "alur-problem";
const OVERLAY = "alur-problem";

export class Problems {
  constructor(modeler) {
    this._canvas = modeler.get("canvas");
    this._overlays = modeler.get("overlays");
    this._registry = modeler.get("elementRegistry");
    this._marked = [];
  }

  /** Replace the shown problems; returns the ids that are not in the diagram (not shown). */
  show(list) {
    this.clear();
    const byElement = new Map();
    const missing = [];
    for (const problem of list) {
      const id = problem && problem.element;
      if (!id || !this._registry.get(id)) {
        missing.push(id);
        continue;
      }
      if (!byElement.has(id)) {
        byElement.set(id, []);
      }
      byElement.get(id).push(String(problem.message || ""));
    }
    for (const [id, messages] of byElement) {
      this._canvas.addMarker(id, MARKER);
      this._overlays.add(id, OVERLAY, {
        position: { top: -10, right: 10 },
        html: badge(messages),
      });
      this._marked.push(id);
    }
    return missing;
  }

  clear() {
    for (const id of this._marked) {
      if (this._registry.get(id)) {
        this._canvas.removeMarker(id, MARKER);
      }
    }
    this._overlays.remove({ type: OVERLAY });
    this._marked = [];
  }
}

function badge(messages) {
  const element = document.createElement("div");
  element.className = "alur-problem-badge";
  element.setAttribute("role", "note");
  element.title = t("problem.title") + ": " + messages.join("\n");
  element.setAttribute("aria-label", element.title);
  element.textContent = messages.length > 1 ? "!" + messages.length : "!";
  return element;
}
