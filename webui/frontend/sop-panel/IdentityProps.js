/* The SOP identity on the process: code, header, number and dates, Disahkan oleh, and the
   identity lists (Dasar Hukum, Kualifikasi, Keterkaitan, Peralatan, Peringatan, Pencatatan). */

import { t } from "../i18n";
import { listEntry, propertyEntry } from "./entries";
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
