/* The SOP table page: the deployed version's table in the editor (window.AlurTable); "Write the
   BPMN" posts the table and the version's XML and offers the answer as a download, or shows the
   server's problems on their cells. Data in attributes and a JSON block (no inline script: CSP). */
(function () {
  "use strict";

  var holder = document.getElementById("sop-table");
  var button = document.getElementById("sop-table-write");
  var result = document.getElementById("sop-table-result");
  var link = document.getElementById("sop-table-download");
  if (!holder || !window.AlurTable || !window.fetch) {
    return;
  }
  var token = document.querySelector('meta[name="csrf-token"]').getAttribute("content");
  var table = JSON.parse(document.getElementById("sop-table-data").textContent);
  var editor = window.AlurTable.open(holder, table, {
    onChange: function () {
      link.hidden = true;
    },
  });
  var xml = fetch(holder.getAttribute("data-xml-url"), { credentials: "same-origin" }).then(
    function (response) {
      return response.text();
    },
  );

  function say(text) {
    result.hidden = false;
    result.querySelector(".result-text").textContent = text;
  }

  button.addEventListener("click", function () {
    button.disabled = true;
    xml
      .then(function (previous) {
        return fetch(holder.getAttribute("data-to-xml"), {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRFToken": token },
          body: JSON.stringify({ table: editor.getTable(), xml: previous }),
        });
      })
      .then(function (response) {
        if (response.ok) {
          return response.text().then(function (text) {
            var written = editor.getTable();
            editor.showProblems([]);
            if (link.href) {
              URL.revokeObjectURL(link.href);
            }
            link.href = URL.createObjectURL(new Blob([text], { type: "application/xml" }));
            link.download = holder.getAttribute("data-filename");
            link.hidden = false;
            say(
              result
                .getAttribute("data-ok")
                .replace("{steps}", written.rows.length)
                .replace("{actors}", written.actors.length),
            );
          });
        }
        return response.json().then(function (body) {
          var problems = body.problems && body.problems.length ? body.problems : [body.error];
          editor.showProblems(problems);
          link.hidden = true;
          say(result.getAttribute("data-failed") + " " + body.error.message);
        });
      })
      .catch(function () {
        say(result.getAttribute("data-network"));
      })
      .then(function () {
        button.disabled = false;
      });
  });
})();
