/* How Alur reads the diagram (engine/bpmn/reader.py): lanes are the Pelaksana, a user task is a
   step, and an exclusive gateway right after a step, with outgoing flows named Ya / Tidak, is
   that step's decision. */

import { getBusinessObject, is } from "bpmn-js/lib/util/ModelUtil";
import { one } from "./props";

export const YES = "Ya";
export const NO = "Tidak";
const ANSWERS = { ya: YES, yes: YES, tidak: NO, no: NO };
const ACTIVITY_TYPES = ["bpmn:Task", "bpmn:CallActivity", "bpmn:SubProcess"];

export function isStep(element) {
  return is(element, "bpmn:UserTask");
}

export function isActivity(bo) {
  return ACTIVITY_TYPES.some((type) => is(bo, type));
}

/** The bpmn:Process an element belongs to (a participant's processRef, the root's process). */
export function processOf(element) {
  const bo = getBusinessObject(element);
  if (!bo) {
    return null;
  }
  if (is(bo, "bpmn:Process")) {
    return bo;
  }
  if (is(bo, "bpmn:Participant")) {
    return bo.get("processRef") || null;
  }
  if (is(bo, "bpmn:Collaboration")) {
    const participants = (bo.get("participants") || []).filter((p) => p.get("processRef"));
    const withLanes = participants.find((p) => (p.get("processRef").get("laneSets") || []).length);
    const chosen = withLanes || participants[0];
    return chosen ? chosen.get("processRef") : null;
  }
  let parent = bo.$parent;
  while (parent && !is(parent, "bpmn:Process")) {
    parent = parent.$parent;
  }
  return parent || null;
}

/** The leaf lanes of a process in document order (the Pelaksana columns). */
export function leafLanes(process) {
  const found = [];
  function walk(laneSet) {
    for (const lane of (laneSet && laneSet.get("lanes")) || []) {
      const child = lane.get("childLaneSet");
      if (child && (child.get("lanes") || []).length) {
        walk(child);
      } else {
        found.push(lane);
      }
    }
  }
  for (const laneSet of (process && process.get("laneSets")) || []) {
    walk(laneSet);
  }
  return found;
}

/** The leaf lane holding a flow node (its performing Pelaksana), or null. */
export function laneOf(bo, process) {
  return leafLanes(process).find((lane) => (lane.get("flowNodeRef") || []).includes(bo)) || null;
}

export function laneName(lane) {
  return normalise(lane.get("name"));
}

export function normalise(text) {
  return (text || "").split(/\s+/).filter(Boolean).join(" ");
}

/** The step number of a task ("no"), or null when it has none. */
export function stepNumber(bo) {
  const value = one(bo, "no").trim();
  return /^\d+$/.test(value) ? Number(value) : null;
}

/** The exclusive gateway a task's only outgoing flow leads to, if it leads to one. */
export function gatewayAfter(bo) {
  const outgoing = bo.get("outgoing") || [];
  if (outgoing.length !== 1) {
    return null;
  }
  const target = outgoing[0].get("targetRef");
  return is(target, "bpmn:ExclusiveGateway") ? target : null;
}

/** The step whose decision a gateway asks (the activity right before it), or null. */
export function stepBefore(gateway) {
  for (const flow of gateway.get("incoming") || []) {
    const source = flow.get("sourceRef");
    if (source && isActivity(source) && gatewayAfter(source) === gateway) {
      return source;
    }
  }
  return null;
}

/** The gateway's outgoing flows named Ya / Tidak (or Yes / No), by answer. */
export function answerFlows(gateway) {
  const found = {};
  for (const flow of gateway.get("outgoing") || []) {
    const answer = ANSWERS[normalise(flow.get("name")).toLowerCase()];
    if (answer && !found[answer]) {
      found[answer] = flow;
    }
  }
  return found;
}

/** The task-data name the engine stores a decision step's answer under. */
export function decisionVariable(no) {
  return "keputusan_" + no;
}

export function conditionFor(no, answer) {
  return decisionVariable(no) + ' == "' + answer + '"';
}
