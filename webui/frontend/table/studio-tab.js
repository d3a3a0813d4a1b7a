/* The studio page's "Table" tab (templates/studio/_panel_table.html): switching to it reads the
   modeler's XML as the table (POST /studio/table/from-xml); switching back, when the table was
   edited, writes table + XML to a new XML (POST /studio/table/to-xml, the automatic layout) and
   loads it into the modeler as an edit to save. A refused table keeps the tab open with the
   problems on their cells. Hooks the page's "studio:tab" event; no inline script. */

function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.getAttribute("content") : "";
}

async function call(url, body, type) {
  const response = await fetch(url, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": type, "X-CSRFToken": csrfToken() },
    body,
  });
  return response;
}

export function wireStudioTab(open) {
  const root = document.getElementById("studio-page");
  const host = document.getElementById("studio-table");
  if (!root || !host) {
    return;
  }
  const data = host.dataset;
  let editor = null;
  let edited = false;
  let busy = false;
  const status = document.createElement("p");
  status.className = "alur-table-status";
  status.setAttribute("role", "status");

  function say(text) {
    status.textContent = text;
  }

  async function showTable(page) {
    say(data.msgLoading);
    host.replaceChildren(status);
    const xml = await page.studio.getXml();
    const response = await call(data.fromXml, xml, "application/xml");
    const body = await response.json();
    if (!response.ok) {
      say(data.msgUnreadable.replace("%(reason)s", body.error ? body.error.message : response.status));
      return;
    }
    const holder = document.createElement("div");
    host.replaceChildren(holder, status);
    say("");
    editor = open(holder, body, {
      onChange: () => {
        edited = true;
        page.dirty = page.editable;
        if (page.saveButton) {
          page.saveButton.disabled = false;
        }
        page.setStatus(page.editable ? page.msg("unsaved") : "");
      },
    });
    edited = false;
    host.setAttribute("data-ready", "true");
  }

  async function applyTable(page) {
    const xml = await page.studio.getXml();
    const response = await call(data.toXml, JSON.stringify({ table: editor.getTable(), xml }), "application/json");
    if (!response.ok) {
      const body = await response.json();
      editor.showProblems(body.problems && body.problems.length ? body.problems : [body.error]);
      say(data.msgFailed);
      return false;
    }
    await page.studio.importXml(await response.text());
    edited = false;
    page.changed(); // the new diagram is an unsaved edit; the checks run on it
    return true;
  }

  root.addEventListener("studio:tab", async (event) => {
    const { tab, page } = event.detail;
    if (busy) {
      return;
    }
    busy = true;
    try {
      if (tab === "table") {
        host.removeAttribute("data-ready");
        await showTable(page);
      } else if (editor && edited) {
        if (!(await applyTable(page))) {
          page.selectTab("table"); // stay on the table: its problems are marked there
        }
      }
    } catch (error) {
      console.error(error);
      say(String(error.message || error));
    } finally {
      busy = false;
    }
  });
}
