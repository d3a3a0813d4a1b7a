/* The SOP table editor: the grid auditors know (No, Kegiatan, one column per Pelaksana, Mutu
   Baku: Kelengkapan, Waktu, Output; Keterangan; Ya/Tidak of a decision), editable.

   window.AlurTable.open(container, table, options) -> TableEditor
     table: the JSON of engine/sop_table.py ({code, name, actors, rows})
     options.onChange(editor)   after every edit
   TableEditor:
     getTable()                 the table as that JSON (rows numbered by their place)
     setTable(table)            show another table
     showProblems(list)         [{row, field, column, message}] (the server's answer): each on
                                its cell (aria-invalid, a message the cell names), all in a list
     destroy()
   A real <table>: every input labelled, every action a button; shortcuts in the hint. No inline
   script or style: the page's CSP holds. */

import "./table.css";

import { parseWaktu, UNITS } from "../sop-panel/waktu";
import { label, unitLabel } from "./labels";
import { parseMark, parseTsv } from "./paste";
import { wireStudioTab } from "./studio-tab";

let counter = 0;
const uid = (prefix) => `${prefix}${++counter}`;
const TEXT_FIELDS = ["kelengkapan", "output", "keterangan"];

function element(tag, attrs, children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (key === "text") {
      node.textContent = value;
    } else if (key === "className") {
      node.className = value;
    } else {
      node.setAttribute(key, value === true ? "" : String(value));
    }
  }
  for (const child of children || []) {
    if (child) {
      node.append(child);
    }
  }
  return node;
}

class TableEditor {
  constructor(container, table, options) {
    this._container = container;
    this._options = options || {};
    this._problems = [];
    this._local = [];
    this._base = "alur-table-" + uid("");
    container.classList.add("alur-table");
    this._status = element("p", { className: "alur-table-status", role: "status" });
    this._summary = element("div", { className: "alur-table-problems", role: "alert" });
    this._scroll = element("div", { className: "alur-table-scroll" });
    const addRow = element("button", { type: "button", className: "button secondary", text: label("row.add") });
    addRow.addEventListener("click", () => this._insertRow(this._rows.length, true));
    const addActor = element("button", { type: "button", className: "button secondary", text: label("actor.add") });
    addActor.addEventListener("click", () => this._addActor());
    const tools = element("div", { className: "alur-table-tools" }, [addRow, addActor]);
    const hint = element("p", { className: "hint", id: this._base + "-hint", text: label("hint") });
    container.replaceChildren(this._summary, hint, this._scroll, tools, this._status);
    this._scroll.addEventListener("input", (event) => this._input(event));
    this._scroll.addEventListener("change", (event) => this._input(event));
    this._scroll.addEventListener("click", (event) => this._click(event));
    this._scroll.addEventListener("keydown", (event) => this._key(event));
    this._scroll.addEventListener("paste", (event) => this._paste(event));
    this.setTable(table);
  }

  // -- the model ----------------------------------------------------------------------------
  setTable(table) {
    table = table || {};
    this._code = table.code || "";
    this._name = table.name || "";
    this._actors = (table.actors || []).map((name) => ({ key: uid("a"), name }));
    const byName = new Map(this._actors.map((a) => [a.name, a.key]));
    this._rows = (table.rows || []).map((row) => {
      const waktu = row.waktu || {};
      return {
        key: uid("r"),
        id: row.id || "",
        activity: row.activity || "",
        performer: byName.get(row.actor) || null,
        participants: new Set((row.participants || []).map((p) => byName.get(p)).filter(Boolean)),
        kelengkapan: (row.kelengkapan || []).join("\n"),
        amount: waktu.amount === null || waktu.amount === undefined ? "" : String(waktu.amount),
        unit: waktu.unit || "",
        waktuText: waktu.text || "",
        output: (row.output || []).join("\n"),
        keterangan: row.keterangan || "",
        decision: row.decision ? { question: row.decision.question || "" } : null,
        yesNo: row.decision ? [row.decision.yes, row.decision.no] : null,
      };
    });
    // decision targets name rows by number: keep them as row keys, so reordering keeps them
    for (const row of this._rows) {
      if (row.yesNo) {
        row.yes = this._targetKey(row.yesNo[0]);
        row.no = this._targetKey(row.yesNo[1]);
      } else {
        row.yes = row.no = "";
      }
      delete row.yesNo;
    }
    this._problems = [];
    this._local = [];
    this._render();
  }

  _targetKey(no) {
    if (no === null || no === undefined) {
      return "end";
    }
    const row = this._rows[no - 1];
    return row ? row.key : "end";
  }

  getTable() {
    const actorName = new Map(this._actors.map((a) => [a.key, a.name.trim()]));
    const numberOf = new Map(this._rows.map((row, i) => [row.key, i + 1]));
    const target = (key) => (key === "end" || !numberOf.has(key) ? null : numberOf.get(key));
    return {
      code: this._code,
      name: this._name,
      actors: this._actors.map((a) => a.name.trim()),
      rows: this._rows.map((row, i) => {
        const amount = row.amount.trim() === "" ? null : Number(row.amount.replace(",", "."));
        const isDecision = row.yes !== "" || row.no !== "";
        return {
          id: row.id,
          no: i + 1,
          activity: row.activity,
          actor: row.performer ? actorName.get(row.performer) : "",
          participants: this._actors.filter((a) => row.participants.has(a.key)).map((a) => a.name.trim()),
          kelengkapan: lines(row.kelengkapan),
          waktu: { amount: Number.isNaN(amount) ? row.amount : amount, unit: row.unit || null, text: row.waktuText },
          output: lines(row.output),
          keterangan: row.keterangan,
          decision: isDecision
            ? {
                question: (row.decision && row.decision.question) || "",
                yes: row.yes === "" ? null : target(row.yes),
                no: row.no === "" ? null : target(row.no),
              }
            : null,
        };
      }),
    };
  }

  showProblems(list) {
    this._problems = (list || []).slice();
    this._render();
  }

  destroy() {
    this._container.replaceChildren();
    this._container.classList.remove("alur-table");
  }

  // -- drawing --------------------------------------------------------------------------------
  _render() {
    const focus = this._focused();
    const table = element("table", { className: "alur-table-grid", "aria-describedby": this._base + "-hint" });
    table.append(element("caption", { text: label("caption") }));
    table.append(this._head());
    const body = element("tbody");
    this._rows.forEach((row, i) => body.append(this._row(row, i)));
    table.append(body);
    this._scroll.replaceChildren(table);
    this._renderProblems();
    this._restore(focus);
  }

  _head() {
    const actorCount = Math.max(this._actors.length, 1);
    const top = element("tr", {}, [
      element("th", { scope: "col", rowspan: 2, text: label("no") }),
      element("th", { scope: "col", rowspan: 2, text: label("activity") }),
      element("th", { scope: "colgroup", colspan: actorCount, text: label("pelaksana") }),
      element("th", { scope: "colgroup", colspan: 3, text: label("mutuBaku") }),
      element("th", { scope: "col", rowspan: 2, text: label("keterangan") }),
      element("th", { scope: "col", rowspan: 2, text: label("yes") }),
      element("th", { scope: "col", rowspan: 2, text: label("no_answer") }),
      element("th", { scope: "col", rowspan: 2, text: label("actions") }),
    ]);
    const second = element("tr");
    this._actors.forEach((actor, index) => second.append(this._actorHeader(actor, index)));
    if (!this._actors.length) {
      second.append(element("th", { scope: "col" }));
    }
    for (const key of ["kelengkapan", "waktu", "output"]) {
      second.append(element("th", { scope: "col", text: label(key) }));
    }
    return element("thead", {}, [top, second]);
  }

  _actorHeader(actor, index) {
    const name = actor.name || label("actor.new");
    const input = element("input", {
      type: "text",
      value: actor.name,
      "aria-label": label("actor.name", { n: index + 1 }),
      "data-actor": actor.key,
      "data-field": "actor-name",
      className: "alur-table-actor-name",
    });
    input.value = actor.name;
    const buttons = [
      ["left", "◀", index === 0],
      ["right", "▶", index === this._actors.length - 1],
      ["remove", "✕", false],
    ].map(([what, sign, disabled]) =>
      element("button", {
        type: "button",
        className: "alur-table-icon",
        "data-action": "actor-" + what,
        "data-actor": actor.key,
        "aria-label": label("actor." + what, { name }),
        title: label("actor." + what, { name }),
        disabled,
        text: sign,
      }),
    );
    return element("th", { scope: "col", className: "alur-table-actor", "data-actor": actor.key }, [
      input,
      this._error("actors." + index, null),
      element("span", { className: "alur-table-actor-tools" }, buttons),
    ]);
  }

  _row(row, i) {
    const n = i + 1;
    const tr = element("tr", { "data-row": row.key });
    tr.append(element("th", { scope: "row", className: "alur-table-no", text: String(n) }));
    const activity = this._textarea(row, "activity", label("cell.activity", { n }), 2);
    const cells = [activity, this._error("activity", n)];
    if (row.yes !== "" || row.no !== "") {
      const question = element("input", {
        type: "text",
        className: "alur-table-question",
        "data-row": row.key,
        "data-field": "question",
        "aria-label": label("cell.question", { n }),
        placeholder: label("cell.question", { n }),
      });
      question.value = (row.decision && row.decision.question) || "";
      cells.push(question);
    }
    tr.append(element("td", { "data-col": "activity" }, cells));
    this._actors.forEach((actor) => tr.append(this._actorCell(row, actor, n)));
    if (!this._actors.length) {
      tr.append(element("td", {}, [this._error("actor", n)]));
    }
    tr.append(element("td", { "data-col": "kelengkapan" }, [
      this._textarea(row, "kelengkapan", label("cell.kelengkapan", { n }), 2),
      this._error("kelengkapan", n),
    ]));
    tr.append(this._waktuCell(row, n));
    for (const field of ["output", "keterangan"]) {
      tr.append(element("td", { "data-col": field }, [
        this._textarea(row, field, label("cell." + field, { n }), 2),
        this._error(field, n),
      ]));
    }
    tr.append(this._targetCell(row, n, "yes"));
    tr.append(this._targetCell(row, n, "no"));
    const actions = [
      ["up", "↑", i === 0],
      ["down", "↓", i === this._rows.length - 1],
      ["insert", "＋", false],
      ["remove", "✕", this._rows.length === 1],
    ].map(([what, sign, disabled]) =>
      element("button", {
        type: "button",
        className: "alur-table-icon",
        "data-action": "row-" + what,
        "data-row": row.key,
        "aria-label": label("row." + what, { n }),
        title: label("row." + what, { n }),
        disabled,
        text: sign,
      }),
    );
    tr.append(element("td", { className: "alur-table-actions" }, actions));
    return tr;
  }

  _textarea(row, field, text, rows) {
    const area = element("textarea", {
      rows,
      "data-row": row.key,
      "data-field": field,
      "aria-label": text,
    });
    area.value = row[field];
    return area;
  }

  _actorCell(row, actor, n) {
    const mark = row.performer === actor.key ? "P" : row.participants.has(actor.key) ? "S" : "";
    const select = element("select", {
      "data-row": row.key,
      "data-actor": actor.key,
      "data-field": "mark",
      "aria-label": label("cell.actor", { actor: actor.name || label("actor.new"), n }),
    });
    for (const [value, text] of [["", "mark.none"], ["P", "mark.performer"], ["S", "mark.participant"]]) {
      select.append(element("option", { value, text: label(text), selected: value === mark }));
    }
    select.value = mark;
    const first = this._actors[0] && this._actors[0].key === actor.key;
    return element("td", { className: "alur-table-mark mark-" + (mark || "none"), "data-col": "actor" }, [
      select,
      first ? this._error("actor", n) : null,
    ]);
  }

  _waktuCell(row, n) {
    const amount = element("input", {
      type: "text",
      inputmode: "decimal",
      size: 4,
      "data-row": row.key,
      "data-field": "amount",
      "aria-label": label("cell.amount", { n }),
    });
    amount.value = row.amount;
    const unit = element("select", {
      "data-row": row.key,
      "data-field": "unit",
      "aria-label": label("cell.unit", { n }),
    });
    unit.append(element("option", { value: "", text: label("unit.none") }));
    for (const name of UNITS) {
      unit.append(element("option", { value: name, text: unitLabel(name) }));
    }
    unit.value = row.unit;
    return element("td", { "data-col": "waktu", className: "alur-table-waktu" }, [
      element("span", { className: "alur-table-waktu-inputs" }, [amount, unit]),
      this._error("waktu", n),
    ]);
  }

  _targetCell(row, n, answer) {
    const select = element("select", {
      "data-row": row.key,
      "data-field": answer,
      "aria-label": label("cell." + answer, { n }),
    });
    select.append(element("option", { value: "", text: label("target.none") }));
    select.append(element("option", { value: "end", text: label("target.end") }));
    this._rows.forEach((other, i) => {
      if (other.key !== row.key) {
        const text = other.activity.length > 40 ? other.activity.slice(0, 39) + "…" : other.activity;
        select.append(element("option", { value: other.key, text: label("target.step", { n: i + 1, text }) }));
      }
    });
    select.value = row[answer];
    return element("td", { "data-col": answer }, [select, this._error(answer, n)]);
  }

  /** The messages on one cell (field at row n; n null: a column header), or null. */
  _error(field, n) {
    const messages = this._all()
      .filter((p) => (p.row === undefined ? null : p.row) === n && fieldOf(p) === field)
      .map((p) => p.message);
    if (!messages.length) {
      return null;
    }
    return element("span", { className: "alur-table-error", "data-error-for": field }, [
      document.createTextNode(messages.join(" ")),
    ]);
  }

  _all() {
    return this._local.concat(this._problems);
  }

  _renderProblems() {
    const all = this._all();
    this._summary.replaceChildren();
    // mark the inputs the messages are on; the message text says what to fix
    for (const span of this._scroll.querySelectorAll(".alur-table-error")) {
      span.id = uid(this._base + "-err");
      const cell = span.closest("td, th");
      const input = cell && cell.querySelector("input, textarea, select");
      if (input) {
        input.setAttribute("aria-invalid", "true");
        input.setAttribute("aria-describedby", span.id);
      }
      cell.classList.add("has-error");
    }
    if (!all.length) {
      return;
    }
    const list = element("ul");
    for (const problem of all) {
      list.append(element("li", { text: problem.message }));
    }
    this._summary.append(element("p", { text: label("problems") }), list);
  }

  _focused() {
    const active = document.activeElement;
    if (!active || !this._scroll.contains(active)) {
      return null;
    }
    return {
      row: active.getAttribute("data-row"),
      actor: active.getAttribute("data-actor"),
      field: active.getAttribute("data-field"),
      action: active.getAttribute("data-action"),
    };
  }

  _restore(focus) {
    if (!focus) {
      return;
    }
    const parts = [];
    for (const name of ["row", "actor", "field", "action"]) {
      if (focus[name]) {
        parts.push(`[data-${name}="${focus[name]}"]`);
      }
    }
    let target = parts.length ? this._scroll.querySelector(parts.join("")) : null;
    if (target && target.disabled) {
      target = this._scroll.querySelector(`[data-row="${focus.row}"][data-field="activity"]`);
    }
    if (target) {
      target.focus();
    }
  }

  // -- editing ----------------------------------------------------------------------------------
  _changed(rerender) {
    this._local = [];
    if (rerender) {
      this._render();
    }
    if (this._options.onChange) {
      this._options.onChange(this);
    }
  }

  _input(event) {
    const target = event.target;
    const field = target.getAttribute("data-field");
    if (!field) {
      return;
    }
    if (field === "actor-name") {
      const actor = this._actors.find((a) => a.key === target.getAttribute("data-actor"));
      actor.name = target.value;
      return this._changed(event.type === "change");
    }
    const row = this._rows.find((r) => r.key === target.getAttribute("data-row"));
    if (!row) {
      return;
    }
    if (field === "mark") {
      this._setMark(row, target.getAttribute("data-actor"), target.value);
      return this._changed(true);
    }
    if (field === "question") {
      row.decision = { question: target.value };
    } else if (field === "amount" || field === "unit") {
      row[field] = target.value;
      row.waktuText = "";
    } else if (field === "yes" || field === "no") {
      row[field] = target.value;
      return this._changed(true); // the question field shows or hides
    } else {
      row[field] = target.value;
    }
    this._changed(field === "activity" && event.type === "change"); // new target labels
  }

  _setMark(row, actorKey, mark) {
    if (mark === "P") {
      if (row.performer && row.performer !== actorKey) {
        row.participants.add(row.performer); // the former performer stays on the step
      }
      row.performer = actorKey;
      row.participants.delete(actorKey);
    } else {
      if (row.performer === actorKey) {
        row.performer = null;
      }
      if (mark === "S") {
        row.participants.add(actorKey);
      } else {
        row.participants.delete(actorKey);
      }
    }
  }

  _click(event) {
    const button = event.target.closest("button[data-action]");
    if (!button) {
      return;
    }
    const action = button.getAttribute("data-action");
    const rowIndex = this._rows.findIndex((r) => r.key === button.getAttribute("data-row"));
    const actorIndex = this._actors.findIndex((a) => a.key === button.getAttribute("data-actor"));
    switch (action) {
      case "row-up":
        return this._moveRow(rowIndex, -1);
      case "row-down":
        return this._moveRow(rowIndex, 1);
      case "row-insert":
        return this._insertRow(rowIndex + 1, true);
      case "row-remove":
        return this._removeRow(rowIndex);
      case "actor-left":
        return this._moveActor(actorIndex, -1);
      case "actor-right":
        return this._moveActor(actorIndex, 1);
      case "actor-remove":
        return this._removeActor(actorIndex);
    }
  }

  _key(event) {
    const target = event.target;
    const rowKey = target.getAttribute("data-row");
    const actorKey = target.getAttribute("data-actor");
    const rowIndex = this._rows.findIndex((r) => r.key === rowKey);
    if (event.altKey && !event.ctrlKey && (event.key === "ArrowUp" || event.key === "ArrowDown")) {
      if (rowIndex >= 0) {
        event.preventDefault();
        this._moveRow(rowIndex, event.key === "ArrowUp" ? -1 : 1);
      }
    } else if (event.altKey && !event.ctrlKey && (event.key === "ArrowLeft" || event.key === "ArrowRight")) {
      const actorIndex = this._actors.findIndex((a) => a.key === actorKey);
      if (actorIndex >= 0) {
        event.preventDefault();
        this._moveActor(actorIndex, event.key === "ArrowLeft" ? -1 : 1);
      }
    } else if (event.ctrlKey && event.key === "Enter" && rowIndex >= 0) {
      event.preventDefault();
      this._insertRow(rowIndex + 1, true);
    }
  }

  _announce(text) {
    this._status.textContent = text;
  }

  _moveRow(index, by) {
    const to = index + by;
    if (index < 0 || to < 0 || to >= this._rows.length) {
      return;
    }
    const [row] = this._rows.splice(index, 1);
    this._rows.splice(to, 0, row);
    this._changed(true);
    this._announce(label("row.moved", { n: to + 1 }));
  }

  _newRow() {
    return {
      key: uid("r"),
      id: "",
      activity: "",
      performer: null,
      participants: new Set(),
      kelengkapan: "",
      amount: "",
      unit: "",
      waktuText: "",
      output: "",
      keterangan: "",
      decision: null,
      yes: "",
      no: "",
    };
  }

  _insertRow(index, focus) {
    const row = this._newRow();
    this._rows.splice(index, 0, row);
    this._changed(true);
    if (focus) {
      this._scroll.querySelector(`[data-row="${row.key}"][data-field="activity"]`).focus();
    }
    return row;
  }

  _removeRow(index) {
    if (index < 0 || this._rows.length === 1) {
      return;
    }
    const [row] = this._rows.splice(index, 1);
    for (const other of this._rows) {
      for (const answer of ["yes", "no"]) {
        if (other[answer] === row.key) {
          other[answer] = "end";
        }
      }
    }
    this._changed(true);
    const next = this._rows[Math.min(index, this._rows.length - 1)];
    this._scroll.querySelector(`[data-row="${next.key}"][data-field="activity"]`).focus();
    this._announce(label("row.removed", { n: index + 1 }));
  }

  _addActor() {
    const actor = { key: uid("a"), name: "" };
    this._actors.push(actor);
    this._changed(true);
    this._scroll.querySelector(`[data-actor="${actor.key}"][data-field="actor-name"]`).focus();
  }

  _moveActor(index, by) {
    const to = index + by;
    if (index < 0 || to < 0 || to >= this._actors.length) {
      return;
    }
    const [actor] = this._actors.splice(index, 1);
    this._actors.splice(to, 0, actor);
    this._changed(true);
  }

  _removeActor(index) {
    if (index < 0) {
      return;
    }
    const [actor] = this._actors.splice(index, 1);
    for (const row of this._rows) {
      if (row.performer === actor.key) {
        row.performer = null;
      }
      row.participants.delete(actor.key);
    }
    this._changed(true);
    this._announce(label("actor.removed", { name: actor.name }));
  }

  // -- paste ------------------------------------------------------------------------------------
  /** The grid's columns in order, as a pasted block fills them. */
  _columns() {
    return ["no", "activity", ...this._actors.map((a) => "actor:" + a.key), "kelengkapan", "waktu", "output", "keterangan", "yes", "no-answer"];
  }

  _paste(event) {
    const text = event.clipboardData ? event.clipboardData.getData("text/plain") : "";
    if (!text || (!text.includes("\t") && !text.includes("\n"))) {
      return; // one value: the input takes it as usual
    }
    const target = event.target;
    const rowIndex = this._rows.findIndex((r) => r.key === target.getAttribute("data-row"));
    if (rowIndex < 0) {
      return;
    }
    event.preventDefault();
    const block = parseTsv(text).filter((cells) => cells.some((c) => c.trim() !== ""));
    const columns = this._columns();
    let start = columnOf(target, columns);
    if (start === 1 && block.length && block[0].length === columns.length) {
      start = 0; // whole rows copied with their No
    }
    const touched = [];
    block.forEach((cells, offset) => {
      let row = this._rows[rowIndex + offset];
      if (!row) {
        row = this._newRow();
        this._rows.push(row);
      }
      touched.push({ row, cells });
    });
    this._local = [];
    // targets name steps by number once every pasted row is in place
    for (const { row, cells } of touched) {
      cells.forEach((value, k) => this._fill(row, columns[start + k], value, "cell"));
      this._firstPerformer(row);
    }
    for (const { row, cells } of touched) {
      cells.forEach((value, k) => this._fill(row, columns[start + k], value, "target"));
    }
    this._render();
    if (this._options.onChange) {
      this._options.onChange(this);
    }
    this._announce(label("pasted", { rows: touched.length }));
  }

  _fill(row, column, value, round) {
    if (!column) {
      return;
    }
    const n = this._rows.indexOf(row) + 1;
    if (round === "target") {
      if (column !== "yes" && column !== "no-answer") {
        return;
      }
      const answer = column === "yes" ? "yes" : "no";
      const text = value.trim();
      if (!text || text === "-" || text === "–") {
        row[answer] = "";
      } else if (/^(selesai|end|akhir)$/i.test(text)) {
        row[answer] = "end";
      } else if (/^\d+$/.test(text) && this._rows[Number(text) - 1] && this._rows[Number(text) - 1] !== row) {
        row[answer] = this._rows[Number(text) - 1].key;
      } else {
        row[answer] = "";
        const name = answer === "yes" ? "Ya" : "Tidak";
        this._local.push({ row: n, field: answer, column: name, message: label("paste.target", { row: n, column: name, text }) });
      }
      return;
    }
    if (column === "no" || column === "yes" || column === "no-answer") {
      return;
    }
    if (column.startsWith("actor:")) {
      const key = column.slice(6);
      const mark = parseMark(value);
      row.participants.delete(key);
      if (row.performer === key) {
        row.performer = null;
      }
      if (mark === "P") {
        row._pastedPerformers = (row._pastedPerformers || []).concat([key]);
      } else if (mark === "S") {
        row.participants.add(key);
      }
      return;
    }
    if (column === "waktu") {
      const waktu = parseWaktu(value.replace(/\n/g, " "));
      if (waktu.unparsed) {
        row.amount = "";
        row.unit = "";
        this._local.push({ row: n, field: "waktu", column: "Waktu", message: label("paste.waktu", { row: n, text: value.trim() }) });
      } else {
        row.amount = waktu.amount === null ? "" : String(waktu.amount).replace(".", ",");
        row.unit = waktu.unit || "";
        row.waktuText = waktu.text;
      }
      return;
    }
    if (column === "activity") {
      row.activity = value.replace(/\s+/g, " ").trim();
    } else if (TEXT_FIELDS.includes(column)) {
      row[column] = column === "keterangan" ? value.replace(/\s+/g, " ").trim() : value.trim();
    }
  }

  /** Of the actor cells a pasted row marks, the first is its performer, the others take part. */
  _firstPerformer(row) {
    const marked = row._pastedPerformers || [];
    delete row._pastedPerformers;
    if (!marked.length) {
      return;
    }
    if (row.performer && !marked.includes(row.performer)) {
      row.participants.add(row.performer);
    }
    row.performer = marked[0];
    for (const key of marked.slice(1)) {
      row.participants.add(key);
    }
    row.participants.delete(row.performer);
  }
}

function lines(text) {
  return String(text || "")
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
}

function fieldOf(problem) {
  const field = problem.field || "";
  return field === "participants" ? "actor" : field === "decision" ? "yes" : field;
}

function columnOf(target, columns) {
  const field = target.getAttribute("data-field");
  if (field === "mark") {
    return columns.indexOf("actor:" + target.getAttribute("data-actor"));
  }
  const byField = { activity: "activity", question: "activity", amount: "waktu", unit: "waktu", no: "no-answer" };
  const index = columns.indexOf(byField[field] || field);
  return index < 0 ? 1 : index;
}

function open(container, table, options) {
  return new TableEditor(container, table, options);
}

window.AlurTable = { open, version: "1" };

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", () => wireStudioTab(open));
} else {
  wireStudioTab(open);
}
