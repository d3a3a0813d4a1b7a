/* A decision: the exclusive gateway after a step. Its name is the question; its Ya / Tidak
   targets set the outgoing flows (name and condition `keputusan_<no> == "Ya"`), as
   engine/bpmn/writer.py draws them. Sequence flows get their condition expression too. */

import {
  SelectEntry,
  TextFieldEntry,
  isSelectEntryEdited,
  isTextFieldEntryEdited,
} from "@bpmn-io/properties-panel";
import { useService } from "bpmn-js-properties-panel";
import { getBusinessObject, is } from "bpmn-js/lib/util/ModelUtil";
import { t } from "../i18n";
import { displayEntry } from "./entries";
import {
  NO,
  YES,
  answerFlows,
  gatewayAfter,
  isActivity,
  normalise,
  processOf,
  stepBefore,
  stepNumber,
} from "./model";

const LABEL_LENGTH = 60;

export function isDecisionGateway(element) {
  return is(element, "bpmn:ExclusiveGateway");
}

export function decisionEntries(element) {
  const gateway = getBusinessObject(element);
  const step = stepBefore(gateway);
  const no = step ? stepNumber(step) : null;
  return [
    displayEntry(
      element,
      "alur-decision-step",
      "",
      no !== null ? t("decision.step", { step: stepLabel(step) }) : t("decision.nostep"),
    ),
    { id: "alur-decision-question", element, component: Question, isEdited: isTextFieldEntryEdited },
    {
      id: "alur-decision-ya",
      element,
      answer: YES,
      no,
      component: Target,
      isEdited: isSelectEntryEdited,
    },
    {
      id: "alur-decision-tidak",
      element,
      answer: NO,
      no,
      component: Target,
      isEdited: isSelectEntryEdited,
    },
  ];
}

/** On a step followed by a decision: the question, read-only (edit it on the gateway). */
export function stepDecisionEntries(element) {
  const gateway = gatewayAfter(getBusinessObject(element));
  const flows = gateway ? answerFlows(gateway) : {};
  if (!gateway || !Object.keys(flows).length) {
    return [];
  }
  const target = (flow) => (flow ? nodeLabel(flow.get("targetRef")) : t("decision.target.none"));
  return [
    displayEntry(element, "alur-step-decision", t("decision.question"), gateway.get("name") || ""),
    displayEntry(element, "alur-step-decision-ya", t("decision.yes"), target(flows[YES])),
    displayEntry(element, "alur-step-decision-tidak", t("decision.no"), target(flows[NO])),
  ];
}

function Question(props) {
  const { element, id } = props;
  const modeling = useService("modeling");
  const debounce = useService("debounceInput");
  return (
    <TextFieldEntry
      id={id}
      element={element}
      label={t("decision.question")}
      getValue={() => getBusinessObject(element).get("name") || ""}
      setValue={(value) => {
        if ((value || "") !== (getBusinessObject(element).get("name") || "")) {
          modeling.updateProperties(element, { name: value || undefined });
        }
      }}
      debounce={debounce}
    />
  );
}

function Target(props) {
  const { element, id, answer, no } = props;
  const commandStack = useService("commandStack");
  const elementRegistry = useService("elementRegistry");
  const gateway = getBusinessObject(element);
  return (
    <SelectEntry
      id={id}
      element={element}
      label={t(answer === YES ? "decision.yes" : "decision.no")}
      getOptions={() => targetOptions(element)}
      getValue={() => {
        const flow = answerFlows(gateway)[answer];
        return flow ? flow.get("targetRef").id : "";
      }}
      setValue={(targetId) => {
        const flow = answerFlows(gateway)[answer];
        if ((flow ? flow.get("targetRef").id : "") === (targetId || "")) {
          return;
        }
        commandStack.execute("alur.decision.setTarget", {
          gateway: element,
          answer,
          target: targetId ? elementRegistry.get(targetId) : null,
          no,
        });
      }}
    />
  );
}

/** The steps of the process by number (then the unnumbered ones), then its end events. */
function targetOptions(element) {
  const process = processOf(element);
  const nodes = (process && process.get("flowElements")) || [];
  const steps = nodes.filter(isActivity);
  steps.sort((a, b) => (stepNumber(a) ?? Infinity) - (stepNumber(b) ?? Infinity));
  const ends = nodes.filter((node) => is(node, "bpmn:EndEvent"));
  return [
    { value: "", label: t("decision.target.none") },
    ...steps.map((node) => ({ value: node.id, label: nodeLabel(node) })),
    ...ends.map((node) => ({ value: node.id, label: nodeLabel(node) })),
  ];
}

function nodeLabel(node) {
  if (is(node, "bpmn:EndEvent")) {
    return t("decision.target.end", { name: normalise(node.get("name")) || node.id });
  }
  return stepLabel(node);
}

function stepLabel(node) {
  const no = stepNumber(node);
  const name = normalise(node.get("name")) || node.id;
  const short = name.length > LABEL_LENGTH ? name.slice(0, LABEL_LENGTH - 1) + "\u2026" : name;
  return no !== null ? no + ". " + short : short;
}

/** On a sequence flow out of a gateway (or one that has a condition): its expression. */
export function conditionEntries(element) {
  const bo = getBusinessObject(element);
  const source = bo.get("sourceRef");
  if (!is(source, "bpmn:Gateway") && !bo.get("conditionExpression")) {
    return [];
  }
  return [{ id: "alur-condition", element, component: Condition, isEdited: isTextFieldEntryEdited }];
}

function Condition(props) {
  const { element, id } = props;
  const commandStack = useService("commandStack");
  const bpmnFactory = useService("bpmnFactory");
  const debounce = useService("debounceInput");
  const bo = getBusinessObject(element);
  const body = () => {
    const expression = bo.get("conditionExpression");
    return (expression && expression.get("body")) || "";
  };
  return (
    <TextFieldEntry
      id={id}
      element={element}
      label={t("condition.expression")}
      description={t("condition.description")}
      getValue={body}
      setValue={(value) => {
        const text = (value || "").trim();
        if (text === body()) {
          return;
        }
        const expression = bo.get("conditionExpression");
        let properties;
        let moddleElement = bo;
        if (!text) {
          properties = { conditionExpression: undefined };
        } else if (expression) {
          moddleElement = expression;
          properties = { body: text };
        } else {
          const created = bpmnFactory.create("bpmn:FormalExpression", { body: text });
          created.$parent = bo;
          properties = { conditionExpression: created };
        }
        commandStack.execute("element.updateModdleProperties", {
          element,
          moddleElement,
          properties,
        });
      }}
      debounce={debounce}
    />
  );
}
