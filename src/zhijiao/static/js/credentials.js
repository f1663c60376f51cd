// Credentials pages (学历学位, /verify/): small conveniences; every page works without them.
(function () {
  "use strict";

  // The code field: upper case and groups of four as the person types (the server accepts any form).
  var input = document.getElementById("id_code");
  if (input) {
    input.addEventListener("input", function () {
      var raw = input.value.toUpperCase().replace(/[^0-9A-Z]/g, "").slice(0, 20);
      var grouped = raw.replace(/(.{4})(?=.)/g, "$1-");
      if (grouped !== input.value) {
        input.value = grouped;
      }
    });
  }

  // "Copy code" buttons appear only where the clipboard is available.
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    if (!navigator.clipboard) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      var label = button.textContent;
      navigator.clipboard.writeText(button.getAttribute("data-copy")).then(function () {
        button.textContent = "✓ " + label;
        window.setTimeout(function () { button.textContent = label; }, 1500);
      });
    });
  });

  // Irreversible actions ask first.
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) {
        event.preventDefault();
      }
    });
  });
})();
