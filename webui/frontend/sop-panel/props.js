/* SOP fields as camunda:property elements (bpmn/README.md, engine/bpmn/names.py).

   A scalar is one property; a list repeats the property name, in order. Every write is one
   command on the command stack ('properties-panel.multi-command-executor' wraps the steps that
   create a missing bpmn:ExtensionElements or camunda:Properties), so one undo reverts it. */

import { is } from "bpmn-js/lib/util/ModelUtil";

// The order engine/bpmn/writer.py writes them in; new properties are placed accordingly.
export const STEP_ORDER = ["no", "waktu", "peserta", "kelengkapan", "output", "keterangan"];
export const IDENTITY_SCALARS = [
  "organisasi",
  "instansi",
  "unit",
  "nomor",
  "tanggal_pembuatan",
  "tanggal_revisi",
  "tanggal_efektif",
  "nama_sop",
];
export const SIGNATORY_FIELDS = ["jabatan", "nama", "pangkat", "nip"];
export const IDENTITY_LISTS = [
  "dasar_hukum",
  "kualifikasi_pelaksana",
  "keterkaitan",
  "peralatan_perlengkapan",
  "peringatan",
  "pencatatan_pendataan",
];
export const IDENTITY_ORDER = [
  "kode",
  ...IDENTITY_SCALARS,
  ...SIGNATORY_FIELDS.map((f) => "disahkan_" + f),
  ...IDENTITY_LISTS,
  "pemula",
];

const PROPERTY_TYPES = ["camunda:Property"];

function holderOf(bo) {
  const ext = bo && bo.get("extensionElements");
  if (!ext) {
    return null;
  }
  return (ext.get("values") || []).find((v) => is(v, "camunda:Properties")) || null;
}

/** The camunda:Property elements of a business object, in document order. */
export function propertyElements(bo) {
  const holder = holderOf(bo);
  if (!holder) {
    return [];
  }
  return (holder.get("values") || []).filter((p) => PROPERTY_TYPES.some((type) => is(p, type)));
}

/** The values of every property called name (a list field). */
export function all(bo, name) {
  return propertyElements(bo)
    .filter((p) => p.get("name") === name)
    .map((p) => p.get("value") || "");
}

/** The first value of the property called name, or "" (as the reader's _one). */
export function one(bo, name) {
  const found = propertyElements(bo).find((p) => p.get("name") === name);
  return found ? found.get("value") || "" : "";
}

/** The property elements called name (to edit a list item in place). */
export function items(bo, name) {
  return propertyElements(bo).filter((p) => p.get("name") === name);
}

/**
 * Replace the properties called name by values (strings), in one command (with the `extra`
 * command descriptors, if any, in the same undo step).
 *
 * The new ones take the place of the first old one; when there was none, they go before the
 * first property that comes later in order (the writer's order), else at the end.
 */
export function writeAll(injector, element, bo, name, values, order, extra = []) {
  const bpmnFactory = injector.get("bpmnFactory");
  const commands = [];
  const holder = ensureHolder(injector, element, bo, commands);
  const current = holder.get("values") || [];
  const created = values.map((value) => {
    const prop = bpmnFactory.create("camunda:Property", { name, value });
    prop.$parent = holder;
    return prop;
  });
  let at = current.findIndex((p) => p.get("name") === name);
  const kept = current.filter((p) => p.get("name") !== name);
  if (at >= 0) {
    at = current.slice(0, at).filter((p) => p.get("name") !== name).length;
  } else {
    const rank = order.indexOf(name);
    at = rank < 0 ? -1 : kept.findIndex((p) => order.indexOf(p.get("name")) > rank);
    if (at < 0) {
      at = kept.length;
    }
  }
  const next = [...kept.slice(0, at), ...created, ...kept.slice(at)];
  commands.push(update(element, holder, { values: next }), ...extra);
  execute(injector, commands);
}

/** Set a scalar property: edit the existing one in place, or add it in the writer's order. */
export function writeOne(injector, element, bo, name, value, order, extra = []) {
  const existing = items(bo, name);
  if (existing.length) {
    execute(injector, [update(element, existing[0], { value }), ...extra]);
  } else {
    writeAll(injector, element, bo, name, [value], order, extra);
  }
}

/** Change one list item's value in place. */
export function writeItem(injector, element, prop, value) {
  execute(injector, [update(element, prop, { value })]);
}

/** Add an empty list item after the last one of that name (or in the writer's order). */
export function addItem(injector, element, bo, name, order) {
  const existing = items(bo, name);
  if (!existing.length) {
    writeAll(injector, element, bo, name, [""], order);
    return;
  }
  const holder = holderOf(bo);
  const prop = injector.get("bpmnFactory").create("camunda:Property", { name, value: "" });
  prop.$parent = holder;
  const current = holder.get("values");
  const at = current.indexOf(existing[existing.length - 1]) + 1;
  const next = [...current.slice(0, at), prop, ...current.slice(at)];
  execute(injector, [update(element, holder, { values: next })]);
}

/** Remove one list item. */
export function removeItem(injector, element, bo, prop) {
  const holder = holderOf(bo);
  if (!holder) {
    return;
  }
  const next = (holder.get("values") || []).filter((p) => p !== prop);
  execute(injector, [update(element, holder, { values: next })]);
}

function ensureHolder(injector, element, bo, commands) {
  const bpmnFactory = injector.get("bpmnFactory");
  let ext = bo.get("extensionElements");
  if (!ext) {
    ext = bpmnFactory.create("bpmn:ExtensionElements", { values: [] });
    ext.$parent = bo;
    commands.push(update(element, bo, { extensionElements: ext }));
  }
  let holder = (ext.get("values") || []).find((v) => is(v, "camunda:Properties"));
  if (!holder) {
    holder = bpmnFactory.create("camunda:Properties", { values: [] });
    holder.$parent = ext;
    commands.push(update(element, ext, { values: [...(ext.get("values") || []), holder] }));
  }
  return holder;
}

/** A command descriptor for 'element.updateModdleProperties' (to pass as `extra`). */
export function update(element, moddleElement, properties) {
  return { cmd: "element.updateModdleProperties", context: { element, moddleElement, properties } };
}

function execute(injector, commands) {
  const commandStack = injector.get("commandStack");
  if (commands.length === 1) {
    commandStack.execute(commands[0].cmd, commands[0].context);
  } else {
    commandStack.execute("properties-panel.multi-command-executor", commands);
  }
}
