/* The browser's own form-check messages ("Please fill out this field.") follow the browser's
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
