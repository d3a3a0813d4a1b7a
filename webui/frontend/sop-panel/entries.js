/* Entry components shared by the SOP groups: a scalar property as a text field or text area,
   a repeated property as a list, and a read-only line. */

import {
  ListEntry,
  TextAreaEntry,
  TextFieldEntry,
  isTextAreaEntryEdited,
  isTextFieldEntryEdited,
} from "@bpmn-io/properties-panel";
import { useService } from "bpmn-js-properties-panel";
import { t } from "../i18n";
import { addItem, items, one, removeItem, writeItem, writeOne } from "./props";

/** An entry descriptor for a scalar property (`bo` holds it; `element` is the shape). */
export function propertyEntry(element, bo, name, label, order, options = {}) {
  return {
    id: "alur-" + name,
    element,
    bo,
    name,
    label,
    order,
    multiline: !!options.multiline,
    component: PropertyField,
    isEdited: options.multiline ? isTextAreaEntryEdited : isTextFieldEntryEdited,
  };
}

function PropertyField(props) {
  const { element, bo, name, label, order, multiline, id } = props;
  const injector = useService("injector");
  const debounce = useService("debounceInput");
  const getValue = () => one(bo, name);
  const setValue = (value) => {
    if ((value || "") !== one(bo, name)) {
      writeOne(injector, element, bo, name, value || "", order);
    }
  };
  const Entry = multiline ? TextAreaEntry : TextFieldEntry;
  return (
    <Entry
      id={id}
      element={element}
      label={label}
      getValue={getValue}
      setValue={setValue}
      debounce={debounce}
      autoResize={multiline}
      rows={multiline ? 2 : undefined}
    />
  );
}

/** An entry descriptor for a repeated property (one item per property, in order). */
export function listEntry(element, bo, name, label, order) {
  return {
    id: "alur-" + name,
    element,
    bo,
    name,
    label,
    order,
    component: PropertyList,
    isEdited: () => items(bo, name).length > 0,
  };
}

function PropertyList(props) {
  const { element, bo, name, label, order, id } = props;
  const injector = useService("injector");
  const translate = useService("translate");
  const list = items(bo, name);
  return (
    <ListEntry
      id={id}
      element={element}
      label={label}
      items={list}
      component={ListItem}
      open={true}
      translate={translate}
      onAdd={() => addItem(injector, element, bo, name, order)}
      onRemove={(prop) => removeItem(injector, element, bo, prop)}
      autoFocusEntry={`[data-entry-id="${id}-${list.length}"] textarea`}
      listId={id}
    />
  );
}

function ListItem(props) {
  const { element, item, index, listId } = props;
  const injector = useService("injector");
  const debounce = useService("debounceInput");
  return (
    <TextAreaEntry
      id={listId + "-" + (index + 1)}
      element={item}
      label={t("list.item", { n: index + 1 })}
      getValue={() => item.get("value") || ""}
      setValue={(value) => {
        if ((value || "") !== (item.get("value") || "")) {
          writeItem(injector, element, item, value || "");
        }
      }}
      debounce={debounce}
      autoResize={true}
      rows={1}
    />
  );
}

/** A read-only line: label and text (e.g. the step's Pelaksana, its lane). */
export function displayEntry(element, id, label, text) {
  return { id, element, label, text, component: Display, isEdited: () => false };
}

function Display(props) {
  const { id, label, text } = props;
  return (
    <div class="bio-properties-panel-entry alur-display" data-entry-id={id}>
      <div class="bio-properties-panel-label">{label}</div>
      <div class="alur-display-text">{text}</div>
    </div>
  );
}
