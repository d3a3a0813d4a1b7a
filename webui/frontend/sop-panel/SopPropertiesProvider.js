/* The groups Alur shows: the generic ones it runs (General: name and ID, Documentation) and
   its own (SOP step, participants, decision, condition, SOP identity). The other groups of
   the BPMN provider (timers, messages, signals, multi-instance, compensation ...) are dropped:
   Alur's SOPs do not use them. Registered after the BPMN provider (lower priority), so it
   sees and filters that provider's groups. */

import { Group } from "@bpmn-io/properties-panel";
import { getBusinessObject, is } from "bpmn-js/lib/util/ModelUtil";
import { t } from "../i18n";
import { conditionEntries, decisionEntries, isDecisionGateway, stepDecisionEntries } from "./DecisionProps";
import { identityEntries, signatoryEntries, starterEntries } from "./IdentityProps";
import { processOf } from "./model";
import { participantEntries, stepEntries } from "./StepProps";

const KEPT = new Set(["general", "documentation"]);
const LOW_PRIORITY = 500;

export default class SopPropertiesProvider {
  constructor(propertiesPanel, injector) {
    this._injector = injector;
    propertiesPanel.registerProvider(LOW_PRIORITY, this);
  }

  getGroups(element) {
    return (groups) => {
      const kept = groups.filter((group) => KEPT.has(group.id));
      const general = kept.findIndex((group) => group.id === "general");
      kept.splice(general + 1, 0, ...this._sopGroups(element));
      return kept;
    };
  }

  _sopGroups(element) {
    const groups = [];
    const add = (id, label, entries) => {
      if (entries.length) {
        groups.push({ id, label, entries, component: Group });
      }
    };
    if (is(element, "bpmn:UserTask")) {
      add("alur-step", t("group.step"), stepEntries(element));
      add("alur-participants", t("group.participants"), participantEntries(element));
      add("alur-step-decision", t("group.decision"), stepDecisionEntries(element));
    }
    if (isDecisionGateway(element)) {
      add("alur-decision", t("group.decision"), decisionEntries(element));
    }
    if (is(element, "bpmn:SequenceFlow")) {
      add("alur-condition", t("group.condition"), conditionEntries(element));
    }
    const bo = getBusinessObject(element);
    if (is(bo, "bpmn:Process") || is(bo, "bpmn:Participant") || is(bo, "bpmn:Collaboration")) {
      const process = processOf(element);
      if (process) {
        add("alur-identity", t("group.identity"), identityEntries(element, process));
        add("alur-signatory", t("group.signatory"), signatoryEntries(element, process));
        add("alur-starters", t("group.starters"), starterEntries(element, process));
      }
    }
    return groups;
  }
}

SopPropertiesProvider.$inject = ["propertiesPanel", "injector"];
