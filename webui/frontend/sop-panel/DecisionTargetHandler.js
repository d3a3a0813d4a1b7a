/* 'alur.decision.setTarget': point a decision's Ya or Tidak flow at another node, in one undo.

   Context: { gateway, answer ("Ya" / "Tidak"), target (a shape, or null to remove the flow),
   no (the step number whose answer decides) }. The flow is reconnected (or created, named and
   given the condition `keputusan_<no> == "<answer>"`, or removed); the nested modeling commands
   run in preExecute, so the command stack undoes them together. */

import { getBusinessObject } from "bpmn-js/lib/util/ModelUtil";
import { answerFlows, conditionFor } from "./model";

export default class DecisionTargetHandler {
  constructor(modeling, elementRegistry, bpmnFactory) {
    this._modeling = modeling;
    this._elementRegistry = elementRegistry;
    this._bpmnFactory = bpmnFactory;
  }

  preExecute(context) {
    const { gateway, answer, target, no } = context;
    const modeling = this._modeling;
    const flowBo = answerFlows(getBusinessObject(gateway))[answer];
    let flow = flowBo ? this._elementRegistry.get(flowBo.id) : null;
    if (!target) {
      if (flow) {
        modeling.removeConnection(flow);
      }
      return;
    }
    if (flow && flow.target !== target) {
      modeling.reconnectEnd(flow, target, centre(target));
    } else if (!flow) {
      flow = modeling.connect(gateway, target, { type: "bpmn:SequenceFlow" });
    }
    const properties = { name: answer };
    if (no !== null && no !== undefined) {
      const expression = this._bpmnFactory.create("bpmn:FormalExpression", {
        body: conditionFor(no, answer),
      });
      properties.conditionExpression = expression;
    }
    const bo = getBusinessObject(flow);
    const body = bo.get("conditionExpression") && bo.get("conditionExpression").get("body");
    if (bo.get("name") === answer && properties.conditionExpression) {
      if (body === properties.conditionExpression.get("body")) {
        return; // already named and conditioned as the engine expects
      }
    }
    modeling.updateProperties(flow, properties);
  }

  // The gateway is marked changed both ways so the properties panel shows the new targets.
  execute(context) {
    return [context.gateway];
  }

  revert(context) {
    return [context.gateway];
  }
}

DecisionTargetHandler.$inject = ["modeling", "elementRegistry", "bpmnFactory"];

function centre(shape) {
  return { x: shape.x + shape.width / 2, y: shape.y + shape.height / 2 };
}
