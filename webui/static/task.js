/* The task page: the complete button follows the decision, the draft is saved as one types,
   and the files chosen are named (validity.js brings a failed submit's errors into view). No
   inline script (CSP): everything the page needs comes from data attributes. */
(function () {
  "use strict";

  var DRAFT_DELAY_MS = 1500; // after the last keystroke or tick

  function decision(form) {
    var button = document.getElementById("complete-button");
    if (!button || !button.hasAttribute("data-label-no")) {
      return;
    }
    function follow() {
      var chosen = form.querySelector('input[name="decision"]:checked');
      var back = chosen && chosen.value === "Tidak";
      button.textContent = button.getAttribute(back ? "data-label-no" : "data-label-yes");
      form.classList.toggle("sends-back", Boolean(back));
    }
    form.querySelectorAll('input[name="decision"]').forEach(function (radio) {
      radio.addEventListener("change", follow);
    });
    follow();
  }

  function draft(form) {
    var url = form.getAttribute("data-draft-url");
    var status = document.getElementById("draft-status");
    if (!url || !window.fetch) {
      return;
    }
    var timer = null;
    var last = null;

    function fields() {
      var data = new FormData();
      form.querySelectorAll("input, textarea").forEach(function (field) {
        if (!field.name || field.type === "file" || field.type === "submit") {
          return;
        }
        if ((field.type === "checkbox" || field.type === "radio") && !field.checked) {
          return;
        }
        data.append(field.name, field.value);
      });
      return data;
    }

    function save() {
      timer = null;
      var data = fields();
      var key = new URLSearchParams(data).toString();
      if (key === last) {
        return;
      }
      fetch(url, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          if (response.ok) {
            last = key;
            if (status) {
              status.textContent = status.getAttribute("data-saved");
            }
          } else if (status) {
            status.textContent = status.getAttribute("data-failed");
          }
        })
        .catch(function () {
          if (status) {
            status.textContent = status.getAttribute("data-failed");
          }
        });
    }

    function later() {
      if (timer) {
        clearTimeout(timer);
      }
      timer = setTimeout(save, DRAFT_DELAY_MS);
    }
    last = new URLSearchParams(fields()).toString(); // what the page opened with
    form.addEventListener("input", later);
    form.addEventListener("change", later);
  }

  function chosenFiles() {
    var input = document.getElementById("files");
    var shown = document.getElementById("files-chosen");
    if (!input || !shown) {
      return;
    }
    input.addEventListener("change", function () {
      var names = Array.prototype.map.call(input.files, function (file) {
        return file.name;
      });
      shown.textContent = names.length ? names.join(", ") : shown.getAttribute("data-none");
    });
  }

  function start() {
    var form = document.getElementById("task-form");
    if (form) {
      decision(form);
      draft(form);
      chosenFiles();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
