// The read-only decision table of a deployed DMN file (dmn-js's viewer), on the decision page.
// The page names the DMN file's URL, the decision to open and its failure text in data
// attributes of .dmn-canvas (no inline script: the Content-Security-Policy forbids it).
import Manager from "dmn-js-shared/lib/base/Manager";
import { is } from "dmn-js-shared/lib/util/ModelUtil";
import DecisionTableViewer from "dmn-js-decision-table/lib/Viewer";
import LiteralExpressionViewer from "dmn-js-literal-expression/lib/Viewer";
import "dmn-js/dist/assets/dmn-js-shared.css";
import "dmn-js/dist/assets/dmn-js-decision-table.css";
import "dmn-js/dist/assets/dmn-js-literal-expression.css";
import "dmn-js/dist/assets/dmn-font/css/dmn.css"; // font files beside it: CSP font-src 'self'

// dmn-js's Viewer with only the two views a decision of Alur has (no DRD drawing, no boxed
// expressions): a third of the bundle
class DmnViewer extends Manager {
  _getViewProviders() {
    return [
      {
        id: "decisionTable",
        constructor: DecisionTableViewer,
        opens: (element) =>
          is(element, "dmn:Decision") && is(element.decisionLogic, "dmn:DecisionTable"),
      },
      {
        id: "literalExpression",
        constructor: LiteralExpressionViewer,
        opens: (element) =>
          is(element, "dmn:Decision") && is(element.decisionLogic, "dmn:LiteralExpression"),
      },
    ];
  }
}

function fail(container, error) {
  const message = document.createElement("p");
  message.className = "flash flash-error";
  message.textContent = container.dataset.error;
  container.replaceChildren(message);
  console.error(error);
}

async function show(container) {
  try {
    const response = await fetch(container.dataset.dmnUrl, { credentials: "same-origin" });
    if (!response.ok) {
      throw new Error(`HTTP ${response.status}`);
    }
    const xml = await response.text();
    const holder = document.createElement("div");
    holder.className = "dmn-holder";
    container.replaceChildren(holder);
    const viewer = new DmnViewer({ container: holder });
    await viewer.importXML(xml);
    const wanted = container.dataset.decision;
    const view = viewer
      .getViews()
      .find((v) => v.element.id === wanted);
    if (!view) {
      throw new Error(`decision ${wanted} is not in the file`);
    }
    await viewer.open(view);
    container.dataset.shown = view.type; // decisionTable or literalExpression
  } catch (error) {
    fail(container, error);
  }
}

document.querySelectorAll(".dmn-canvas[data-dmn-url]").forEach(show);
