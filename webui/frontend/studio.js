/* The analyst studio's modeler: bpmn-js with the Camunda moddle (the SOP fields are
   camunda:property elements), the generic properties-panel groups and the SOP panel.

   window.AlurStudio.open(container, xml, options) -> Promise<Studio>
     options.onChange(studio, { trigger })  after every edit, undo or redo (trigger: "execute",
                                "undo", "redo"); not for the import itself
     options.onError(error)     import warnings are passed here too ({ warnings })
   Studio:
     getXml()                   Promise<string>: the diagram as BPMN XML (formatted)
     markProblems(list)         [{ element: "<id>", message: "..." }]: a marker and a badge on
                                each named element; replaces the previous ones; [] clears
     undo() / redo() / canUndo() / canRedo()
     modeler                    the bpmn-js Modeler, for anything else
     destroy()
   No inline script or style: the page's CSP (style-src 'self') holds. */

import "./studio.css";

import { BpmnPropertiesPanelModule, BpmnPropertiesProviderModule } from "bpmn-js-properties-panel";
import Modeler from "bpmn-js/lib/Modeler";
import camundaModdle from "camunda-bpmn-moddle/resources/camunda.json";
import { language, translateModule } from "./i18n";
import { Problems } from "./problems";
import SopPanelModule from "./sop-panel";

// The SOP groups start open; the generic ones (General, Documentation) closed.
const OPEN_GROUPS = Object.fromEntries(
  ["alur-step", "alur-decision", "alur-step-decision", "alur-condition", "alur-identity"].map(
    (id) => [id, { open: true }],
  ),
);

class Studio {
  constructor(container, options) {
    this._options = options || {};
    container.classList.add("alur-studio");
    container.setAttribute("lang", language());
    this._canvas = document.createElement("div");
    this._canvas.className = "alur-studio-canvas";
    this._panel = document.createElement("div");
    this._panel.className = "alur-studio-panel";
    container.replaceChildren(this._canvas, this._panel);
    this._container = container;
    this.modeler = new Modeler({
      container: this._canvas,
      propertiesPanel: { parent: this._panel, layout: { groups: OPEN_GROUPS } },
      additionalModules: [
        BpmnPropertiesPanelModule,
        BpmnPropertiesProviderModule,
        SopPanelModule,
        translateModule,
      ],
      moddleExtensions: { camunda: camundaModdle },
    });
    this._problems = new Problems(this.modeler);
    this.modeler.on("commandStack.changed", (event) => {
      // "clear" is the import emptying the stack, not an edit
      if (this._options.onChange && event.trigger !== "clear") {
        this._options.onChange(this, { trigger: event.trigger });
      }
    });
  }

  async importXml(xml) {
    const result = await this.modeler.importXML(xml);
    this.modeler.get("canvas").zoom("fit-viewport", "auto");
    if (result.warnings.length && this._options.onError) {
      this._options.onError({ warnings: result.warnings });
    }
    return result;
  }

  async getXml() {
    const { xml } = await this.modeler.saveXML({ format: true });
    return xml;
  }

  markProblems(list) {
    return this._problems.show(list || []);
  }

  undo() {
    this.modeler.get("commandStack").undo();
  }

  redo() {
    this.modeler.get("commandStack").redo();
  }

  canUndo() {
    return this.modeler.get("commandStack").canUndo();
  }

  canRedo() {
    return this.modeler.get("commandStack").canRedo();
  }

  destroy() {
    this.modeler.destroy();
    this._container.replaceChildren();
    this._container.classList.remove("alur-studio");
  }
}

async function open(container, xml, options) {
  const studio = new Studio(container, options);
  await studio.importXml(xml);
  return studio;
}

window.AlurStudio = { open, version: "1" };
