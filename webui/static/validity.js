/* Every page's forms (one script, one request).
   The browser's own form-check messages ("Please fill out this field.") follow the browser's
   language, not the page's: the page's texts (data attributes on <body>) replace them. */
(function () {
  "use strict";
  document.addEventListener(
    "invalid",
    function (event) {
      var field = event.target;
      if (!field.setCustomValidity || !document.body) {
        return;
      }
      var missing = field.validity.valueMissing;
      var text = document.body.getAttribute(missing ? "data-invalid-missing" : "data-invalid-other");
      if (text && (missing || !field.validity.customError)) {
        field.setCustomValidity(text);
      }
    },
    true
  );
  document.addEventListener(
    "input",
    function (event) {
      if (event.target.setCustomValidity) {
        event.target.setCustomValidity("");
      }
    },
    true
  );
})();

/* Every form's one error pattern, and keys that must not send a form.
   - After a failed submit the page comes back with an error summary (.error-summary, or the
     sign-in page's .flash-error): it is scrolled into view and takes the focus, so a screen
     reader reads it and the next Tab reaches its links to the fields in error.
   - Enter on a checkbox or a radio button never submits the form (Space ticks it; Enter on a
     text field or a button still submits, as browsers do). */
(function () {
  "use strict";

  function focusSummary() {
    var summary = document.querySelector(".error-summary") || document.querySelector(".flash-error");
    if (!summary) {
      return;
    }
    if (!summary.hasAttribute("tabindex")) {
      summary.setAttribute("tabindex", "-1");
    }
    summary.scrollIntoView({ block: "start" });
    summary.focus({ preventScroll: true });
  }

  document.addEventListener(
    "keydown",
    function (event) {
      var target = event.target;
      if (
        event.key === "Enter" &&
        target instanceof HTMLInputElement &&
        (target.type === "checkbox" || target.type === "radio")
      ) {
        event.preventDefault();
      }
    },
    true
  );

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusSummary);
  } else {
    focusSummary();
  }
})();
