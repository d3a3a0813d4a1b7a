/* The SOP identity on the process: code, header, number and dates, Disahkan oleh, and the
   identity lists (Dasar Hukum, Kualifikasi, Keterkaitan, Peralatan, Peringatan, Pencatatan). */

import { t } from "../i18n";
import { displayEntry, listEntry, propertyEntry } from "./entries";
import { laneChecklist } from "./StepProps";
import { IDENTITY_LISTS, IDENTITY_ORDER, IDENTITY_SCALARS, SIGNATORY_FIELDS } from "./props";

const LONG = new Set(["unit", "nama_sop"]);

export function identityEntries(element, process) {
  return [
    propertyEntry(element, process, "kode", t("identity.kode"), IDENTITY_ORDER),
    ...IDENTITY_SCALARS.map((name) =>
      propertyEntry(element, process, name, t("identity." + name), IDENTITY_ORDER, {
        multiline: LONG.has(name),
      }),
    ),
    ...IDENTITY_LISTS.map((name) =>
      listEntry(element, process, name, t("identity." + name), IDENTITY_ORDER),
    ),
  ];
}

export function signatoryEntries(element, process) {
  return SIGNATORY_FIELDS.map((field) =>
    propertyEntry(
      element,
      process,
      "disahkan_" + field,
      t("identity.disahkan_" + field),
      IDENTITY_ORDER,
    ),
  );
}

/** Who may start the process (pemula): lanes; none ticked means the lane of step 1. */
export function starterEntries(element, process) {
  return [
    displayEntry(element, "alur-pemula-help", "", t("identity.pemula.help")),
    ...laneChecklist(element, process, process, "pemula", IDENTITY_ORDER),
  ];
}
