/* The SOP step of a user task: number, Pelaksana (its lane), Waktu, Kelengkapan, Output,
   Keterangan; and its participants (peserta: other lanes taking part). */

import {
  CheckboxEntry,
  NumberFieldEntry,
  SelectEntry,
  TextFieldEntry,
  isNumberFieldEntryEdited,
  isSelectEntryEdited,
  isTextFieldEntryEdited,
} from "@bpmn-io/properties-panel";
import { useService } from "bpmn-js-properties-panel";
import { getBusinessObject } from "bpmn-js/lib/util/ModelUtil";
import { t } from "../i18n";
import { displayEntry, listEntry, propertyEntry } from "./entries";
import {
  answerFlows,
  conditionFor,
  gatewayAfter,
  laneName,
  laneOf,
  leafLanes,
  processOf,
} from "./model";
import { STEP_ORDER, all, one, update, writeAll, writeOne } from "./props";
import { UNITS, formatWaktu, parseWaktu, validAmount } from "./waktu";

export function stepEntries(element) {
  const bo = getBusinessObject(element);
  const lane = laneOf(bo, processOf(element));
  return [
    {
      id: "alur-no",
      element,
      component: StepNumber,
      isEdited: isTextFieldEntryEdited,
    },
    leafLanes(processOf(element)).length
      ? { id: "alur-actor", element, component: ActorSelect, isEdited: () => false }
      : displayEntry(
          element,
          "alur-actor",
          t("step.actor"),
          lane ? laneName(lane) : t("step.actor.none"),
        ),
    {
      id: "alur-waktu-amount",
      element,
      component: WaktuAmount,
      isEdited: isNumberFieldEntryEdited,
    },
    { id: "alur-waktu-unit", element, component: WaktuUnit, isEdited: isSelectEntryEdited },
    listEntry(element, bo, "kelengkapan", t("step.kelengkapan"), STEP_ORDER),
    listEntry(element, bo, "output", t("step.output"), STEP_ORDER),
    propertyEntry(element, bo, "keterangan", t("step.keterangan"), STEP_ORDER, {
      multiline: true,
    }),
  ];
}

/* The Pelaksana is the lane the step lies in: choosing another moves the step (and the decision
   gateway right after it, when that lies in the same lane) into the middle of that lane, as one
   command (one undo); bpmn-js then updates the lanes' flowNodeRef lists. */
function ActorSelect(props) {
  const { element, id } = props;
  const injector = useService("injector");
  const bo = getBusinessObject(element);
  const ownLane = () => laneOf(bo, processOf(element));
  return (
    <SelectEntry
      id={id}
      element={element}
      label={t("step.actor")}
      getOptions={() => [
        ...(ownLane() ? [] : [{ value: "", label: t("step.actor.none") }]),
        ...leafLanes(processOf(element)).map((l) => ({ value: l.id, label: laneName(l) })),
      ]}
      getValue={() => (ownLane() ? ownLane().id : "")}
      setValue={(laneId) => moveToLane(injector, element, ownLane(), laneId)}
    />
  );
}

function moveToLane(injector, element, from, laneId) {
  const registry = injector.get("elementRegistry");
  const target = laneId && registry.get(laneId);
  if (!target || (from && from.id === laneId)) {
    return;
  }
  const dy = Math.round(target.y + target.height / 2 - (element.y + element.height / 2));
  const shapes = [element];
  const gateway = gatewayAfter(getBusinessObject(element));
  const gatewayShape = gateway && registry.get(gateway.id);
  if (gatewayShape && from && laneOf(gateway, processOf(element)) === from) {
    shapes.push(gatewayShape);
  }
  injector.get("modeling").moveElements(shapes, { x: 0, y: dy });
}

function StepNumber(props) {
  const { element, id } = props;
  const injector = useService("injector");
  const debounce = useService("debounceInput");
  const bo = getBusinessObject(element);
  return (
    <TextFieldEntry
      id={id}
      element={element}
      label={t("step.no")}
      getValue={() => one(bo, "no")}
      setValue={(value, error) => {
        const no = (value || "").trim();
        if (!error && no !== one(bo, "no")) {
          const extra = decisionConditionUpdates(injector, bo, Number(no));
          writeOne(injector, element, bo, "no", no, STEP_ORDER, extra);
        }
      }}
      validate={(value) => (/^\s*[1-9]\d*\s*$/.test(value || "") ? null : t("step.no.invalid"))}
      debounce={debounce}
    />
  );
}

/* A renumbered decision step keeps its Ya / Tidak flows working: their conditions name the
   step's number (keputusan_<no>), so they change with it, in the same undo step. */
function decisionConditionUpdates(injector, bo, no) {
  const gateway = gatewayAfter(bo);
  if (!gateway) {
    return [];
  }
  const registry = injector.get("elementRegistry");
  const updates = [];
  for (const [answer, flow] of Object.entries(answerFlows(gateway))) {
    const expression = flow.get("conditionExpression");
    const body = expression && (expression.get("body") || "").trim();
    if (body && DECISION_CONDITION.test(body) && body !== conditionFor(no, answer)) {
      updates.push(update(registry.get(flow.id), expression, { body: conditionFor(no, answer) }));
    }
  }
  return updates;
}

const DECISION_CONDITION = /^keputusan_\d+\s*==\s*["'](Ya|Tidak|Yes|No)["']$/i;

// A unit picked before any amount is typed waits here (a Waktu is written only when whole).
const pendingUnit = new WeakMap();

function WaktuAmount(props) {
  const { element, id } = props;
  const injector = useService("injector");
  const debounce = useService("debounceInput");
  const bo = getBusinessObject(element);
  const current = parseWaktu(one(bo, "waktu"));
  let description;
  if (current.unparsed) {
    description = t("step.waktu.unparsed", { text: current.text });
  } else if (current.amount === null && pendingUnit.get(bo)) {
    description = t("step.waktu.pending", { unit: pendingUnit.get(bo) });
  }
  return (
    <NumberFieldEntry
      id={id}
      element={element}
      label={t("step.waktu.amount")}
      description={description}
      min={0}
      step="any"
      getValue={() => parseWaktu(one(bo, "waktu")).amount ?? ""}
      validate={(amount) =>
        amount === undefined || amount === null || validAmount(amount)
          ? null
          : t("step.waktu.invalid")
      }
      setValue={(amount, error) => {
        if (error) {
          return;
        }
        const now = parseWaktu(one(bo, "waktu"));
        const unit = now.unit || pendingUnit.get(bo) || "menit";
        const text =
          amount === undefined || amount === null
            ? "-"
            : formatWaktu(amount, unit);
        if (text !== now.text) {
          pendingUnit.delete(bo);
          writeOne(injector, element, bo, "waktu", text, STEP_ORDER);
        }
      }}
      debounce={debounce}
    />
  );
}

function WaktuUnit(props) {
  const { element, id } = props;
  const injector = useService("injector");
  const eventBus = useService("eventBus");
  const bo = getBusinessObject(element);
  return (
    <SelectEntry
      id={id}
      element={element}
      label={t("step.waktu.unit")}
      getOptions={() => [
        { value: "", label: t("unit.none") },
        ...UNITS.map((unit) => ({ value: unit, label: t("unit." + unit) })),
      ]}
      getValue={() => parseWaktu(one(bo, "waktu")).unit || pendingUnit.get(bo) || ""}
      setValue={(unit) => {
        const now = parseWaktu(one(bo, "waktu"));
        if (!unit) {
          pendingUnit.delete(bo);
          if (now.text !== "-") {
            writeOne(injector, element, bo, "waktu", "-", STEP_ORDER);
          }
        } else if (now.amount === null) {
          pendingUnit.set(bo, unit);
          // nothing to write yet: redraw the panel so the amount says it waits for a number
          eventBus.fire("elements.changed", { elements: [element] });
        } else if (unit !== now.unit) {
          writeOne(injector, element, bo, "waktu", formatWaktu(now.amount, unit), STEP_ORDER);
        }
      }}
    />
  );
}

export function participantEntries(element) {
  const bo = getBusinessObject(element);
  const process = processOf(element);
  const own = laneOf(bo, process);
  const chosen = all(bo, "peserta");
  const lanes = leafLanes(process).filter((l) => l !== own || chosen.includes(laneName(l)));
  return laneChecklist(element, bo, process, "peserta", STEP_ORDER, lanes);
}

/** One checkbox per lane (leaf lanes, in order) writing the repeated property `name`. */
export function laneChecklist(element, bo, process, name, order, shown) {
  const lanes = leafLanes(process);
  if (!lanes.length) {
    return [displayEntry(element, "alur-" + name + "-none", "", t("step.participants.none"))];
  }
  return (shown || lanes).map((lane) => ({
    id: "alur-" + name + "-" + lane.id,
    element,
    bo,
    lane,
    lanes,
    name,
    order,
    component: LaneCheckbox,
    isEdited: () => all(bo, name).includes(laneName(lane)),
  }));
}

function LaneCheckbox(props) {
  const { element, id, bo, lane, lanes, name, order } = props;
  const injector = useService("injector");
  const label = laneName(lane);
  return (
    <CheckboxEntry
      id={id}
      element={element}
      label={label}
      getValue={() => all(bo, name).includes(label)}
      setValue={(checked) => {
        const chosen = new Set(all(bo, name));
        if (checked) {
          chosen.add(label);
        } else {
          chosen.delete(label);
        }
        // lane order (the Pelaksana columns'), then any names that are no lane, as they were
        const names = lanes.map(laneName);
        const next = [
          ...names.filter((n) => chosen.has(n)),
          ...all(bo, name).filter((n) => chosen.has(n) && !names.includes(n)),
        ];
        writeAll(injector, element, bo, name, [...new Set(next)], order);
      }}
    />
  );
}
