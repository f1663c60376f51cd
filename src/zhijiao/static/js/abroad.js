// Study-abroad pages: "select all" in the officers' queue and a confirmation before withdrawing.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var all = document.getElementById("select-all");
    if (all) {
      all.addEventListener("change", function () {
        var boxes = document.querySelectorAll('#bulk-form input[name="ids"]');
        for (var i = 0; i < boxes.length; i++) {
          boxes[i].checked = all.checked;
        }
      });
    }
    var forms = document.querySelectorAll("form[data-confirm]");
    for (var j = 0; j < forms.length; j++) {
      forms[j].addEventListener("submit", function (event) {
        if (!window.confirm(this.getAttribute("data-confirm"))) {
          event.preventDefault();
        }
      });
    }
  });
})();
