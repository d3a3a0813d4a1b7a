/* The SOP panel: a properties provider and the command that retargets a decision's answer. */

import DecisionTargetHandler from "./DecisionTargetHandler";
import SopPropertiesProvider from "./SopPropertiesProvider";

function registerCommands(eventBus, commandStack) {
  eventBus.on("diagram.init", () => {
    commandStack.registerHandler("alur.decision.setTarget", DecisionTargetHandler);
  });
}
registerCommands.$inject = ["eventBus", "commandStack"];

export default {
  __init__: ["sopPropertiesProvider", registerCommands],
  sopPropertiesProvider: ["type", SopPropertiesProvider],
};
