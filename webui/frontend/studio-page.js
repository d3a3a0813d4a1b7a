/* The studio page (templates/studio/edit.html): opens the draft in window.AlurStudio (studio.js,
   loaded before this file), saves it (button or Ctrl+S), guards unsaved changes, runs the deploy
   checks while the analyst edits (debounced) and marks the problems on the diagram, switches the
   editor's tabs. Everything it needs is in data- attributes of #studio-page: no inline script. */

import "./studio-page.css";

const CHECK_DELAY_MS = 700;

function fill(template, values) {
  return String(template || "").replace(/%\((\w+)\)s/g, (match, name) =>
    name in values ? String(values[name]) : match,
  );
}

function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.getAttribute("content") : "";
}

async function post(url, body) {
  const response = await fetch(url, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/xml", "X-CSRFToken": csrfToken() },
    body,
  });
  let answer = null;
  try {
    answer = await response.json();
  } catch (error) {
    answer = null;
  }
  if (!response.ok) {
    const message = answer && answer.error ? answer.error.message : `HTTP ${response.status}`;
    throw new Error(message);
  }
  return answer;
}

class StudioPage {
  constructor(root) {
    this.root = root;
    this.data = root.dataset;
    this.editable = this.data.editable === "true";
    this.dirty = false;
    this.saving = null;
    this.checkTimer = null;
    this.checkRun = 0;
    this.submitting = false;
    this.status = root.querySelector("#studio-status");
    this.saveButton = root.querySelector("#studio-save");
    this.undoButton = root.querySelector("#studio-undo");
    this.redoButton = root.querySelector("#studio-redo");
    this.summary = root.querySelector("#checks-summary");
    this.list = root.querySelector("#checks-list");
    this.serverProblems = this.readListedProblems();
  }

  msg(name, values) {
    const key = "msg" + name.replace(/(^|-)(\w)/g, (m, dash, c) => c.toUpperCase());
    return fill(this.data[key], values || {});
  }

  async start() {
    this.tabs();
    const response = await fetch(this.data.xmlUrl, { credentials: "same-origin" });
    if (!response.ok) {
      throw new Error(`HTTP ${response.status}`);
    }
    const xml = await response.text();
    const container = this.root.querySelector("#studio");
    this.studio = await window.AlurStudio.open(container, xml, {
      onChange: () => this.changed(),
      onError: (error) => {
        if (!error || !error.warnings) {
          console.error(error);
        }
      },
    });
    window.alurStudioPage = this; // for the browser tests and the console
    this.wire();
    if (this.serverProblems.length) {
      this.studio.markProblems(this.serverProblems);
    }
    this.setStatus(this.editable ? this.msg("saved") : "");
    this.root.setAttribute("data-ready", "true");
    this.scheduleCheck(0);
  }

  wire() {
    if (this.saveButton) {
      this.saveButton.addEventListener("click", () => this.save());
    }
    this.undoButton.addEventListener("click", () => this.studio.undo());
    this.redoButton.addEventListener("click", () => this.studio.redo());
    document.addEventListener("keydown", (event) => {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "s") {
        event.preventDefault();
        if (this.editable) {
          this.save();
        }
      }
    });
    window.addEventListener("beforeunload", (event) => {
      if (this.dirty && !this.submitting) {
        event.preventDefault();
        event.returnValue = this.msg("leave");
        return this.msg("leave");
      }
      return undefined;
    });
    const form = this.root.querySelector("#publish-form");
    if (form) {
      form.addEventListener("submit", (event) => this.beforePublish(event, form));
    }
    this.list.addEventListener("click", (event) => {
      const button = event.target.closest("button[data-element]");
      if (button && button.dataset.element) {
        this.showElement(button.dataset.element);
      }
    });
  }

  changed() {
    this.dirty = this.editable;
    if (this.saveButton) {
      this.saveButton.disabled = false;
    }
    this.setStatus(this.editable ? this.msg("unsaved") : "");
    this.updateUndo();
    this.root.setAttribute("data-checked", "false"); // until the check of this edit answers
    this.scheduleCheck(CHECK_DELAY_MS);
  }

  updateUndo() {
    this.undoButton.disabled = !this.studio.canUndo();
    this.redoButton.disabled = !this.studio.canRedo();
  }

  setStatus(text, failed) {
    this.status.textContent = text;
    this.status.classList.toggle("studio-status-failed", Boolean(failed));
  }

  /** Save the XML; resolves true when stored. A save in flight is awaited, then repeated if the
   *  diagram changed meanwhile. */
  async save() {
    if (!this.editable) {
      return false;
    }
    if (this.saving) {
      await this.saving;
      if (!this.dirty) {
        return true;
      }
    }
    this.saving = this.doSave();
    try {
      return await this.saving;
    } finally {
      this.saving = null;
    }
  }

  async doSave() {
    this.dirty = false;
    this.setStatus(this.msg("saving"));
    try {
      const xml = await this.studio.getXml();
      await post(this.data.saveUrl, xml);
      if (!this.dirty) {
        this.setStatus(this.msg("saved"));
        this.saveButton.disabled = true;
      }
      return true;
    } catch (error) {
      this.dirty = true;
      this.setStatus(this.msg("save-failed", { reason: error.message }), true);
      return false;
    }
  }

  async beforePublish(event, form) {
    if (!this.dirty && !this.saving) {
      this.submitting = true;
      return;
    }
    event.preventDefault();
    if (await this.save()) {
      this.submitting = true;
      form.submit();
    }
  }

  scheduleCheck(delay) {
    clearTimeout(this.checkTimer);
    this.checkTimer = setTimeout(() => this.check(), delay);
  }

  async check() {
    const run = ++this.checkRun;
    this.summary.textContent = this.msg("checking");
    this.root.setAttribute("data-checked", "false");
    let problems;
    try {
      const xml = await this.studio.getXml();
      problems = (await post(this.data.checkUrl, xml)).problems;
    } catch (error) {
      if (run === this.checkRun) {
        this.summary.textContent = this.msg("check-failed", { reason: error.message });
      }
      return;
    }
    if (run !== this.checkRun) {
      return; // a newer check is on its way
    }
    this.showProblems(problems);
    this.root.setAttribute("data-checked", "true");
  }

  showProblems(problems) {
    this.studio.markProblems(problems.filter((p) => p.element));
    this.summary.textContent = problems.length
      ? this.msg("problems", { count: problems.length })
      : this.msg("no-problems");
    this.summary.classList.toggle("studio-has-problems", problems.length > 0);
    this.list.replaceChildren(...problems.map((p) => this.problemItem(p)));
  }

  problemItem(problem) {
    const item = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "link-button";
    button.dataset.element = problem.element || "";
    if (problem.element) {
      const code = document.createElement("code");
      code.textContent = problem.element;
      button.append(code, " ");
    }
    button.append(problem.message);
    item.append(button);
    if (problem.line) {
      const line = document.createElement("span");
      line.className = "muted small";
      line.textContent = " " + this.msg("line", { line: problem.line });
      item.append(line);
    }
    return item;
  }

  readListedProblems() {
    return Array.from(this.list.querySelectorAll("button[data-element]"))
      .filter((b) => b.dataset.element)
      .map((b) => ({ element: b.dataset.element, message: b.textContent.trim() }));
  }

  showElement(id) {
    const modeler = this.studio.modeler;
    const element = modeler.get("elementRegistry").get(id);
    if (!element) {
      return;
    }
    this.selectTab("diagram");
    if (!element.waypoints && element.type !== "bpmn:Process") {
      modeler.get("canvas").scrollToElement(element);
    }
    modeler.get("selection").select(element);
  }

  tabs() {
    const tabs = Array.from(this.root.querySelectorAll('[role="tab"][data-tab]'));
    tabs.forEach((tab, index) => {
      tab.addEventListener("click", () => this.selectTab(tab.dataset.tab));
      tab.addEventListener("keydown", (event) => {
        const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
        if (step) {
          const next = tabs[(index + step + tabs.length) % tabs.length];
          this.selectTab(next.dataset.tab);
          next.focus();
        }
      });
    });
  }

  selectTab(id) {
    for (const tab of this.root.querySelectorAll('[role="tab"][data-tab]')) {
      const selected = tab.dataset.tab === id;
      tab.setAttribute("aria-selected", selected ? "true" : "false");
      tab.tabIndex = selected ? 0 : -1;
    }
    for (const panel of this.root.querySelectorAll("[data-tab-panel]")) {
      panel.hidden = panel.dataset.tabPanel !== id;
    }
    this.root.dispatchEvent(new CustomEvent("studio:tab", { detail: { tab: id, page: this } }));
  }
}

function boot() {
  const root = document.getElementById("studio-page");
  if (!root) {
    return;
  }
  const page = new StudioPage(root);
  page.start().catch((error) => {
    console.error(error);
    const host = root.querySelector("#studio");
    const message = document.createElement("p");
    message.className = "flash flash-error";
    message.textContent = page.msg("load-failed");
    host.replaceChildren(message);
  });
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", boot);
} else {
  boot();
}
