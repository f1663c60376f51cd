// The attempt page: a countdown from the server's deadline (seconds left when the page was served, counted on
// the monotonic clock), each answer saved as it is given with a visible status and a retry, and a confirmation
// before submitting. Without this script the form still saves all answers or submits.
(function () {
  "use strict";
  var page = document.querySelector(".attempt-page");
  if (!page) return;
  var form = page.querySelector("[data-attempt-form]");
  var status = page.querySelector("[data-save-status]");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var resultUrl = page.getAttribute("data-result-url");
  var text = {
    saving: page.dataset.textSaving,
    saved: page.dataset.textSaved,
    failed: page.dataset.textFailed,
    retrying: page.dataset.textRetrying,
    unsaved: page.dataset.textUnsaved,
  };

  // --- Countdown ---
  var left = page.getAttribute("data-seconds-left");
  var countdown = page.querySelector("[data-countdown]");
  if (left !== "" && countdown) {
    var deadline = performance.now() + Number(left) * 1000;
    var tick = function () {
      var remaining = Math.max(0, Math.round((deadline - performance.now()) / 1000));
      var h = Math.floor(remaining / 3600), m = Math.floor((remaining % 3600) / 60), s = remaining % 60;
      countdown.textContent = (h ? h + ":" : "") + String(m).padStart(2, "0") + ":" + String(s).padStart(2, "0");
      countdown.parentNode.classList.toggle("is-low", remaining <= 300);
      if (remaining <= 0) {
        // The server submitted (or will submit) the attempt as it stood: show the result.
        window.location.assign(resultUrl);
        return;
      }
      window.setTimeout(tick, 1000);
    };
    tick();
  }

  // --- Saving answers as they are given ---
  var pending = {};
  var edits = {};
  var say = function (el, text, error) {
    el.textContent = text;
    el.classList.toggle("is-error", !!error);
  };
  var fields = function (fieldset) {
    var body = new FormData();
    fieldset.querySelectorAll("input, textarea").forEach(function (input) {
      if ((input.type === "radio" || input.type === "checkbox") && !input.checked) return;
      if (input.type === "file") {
        if (input.files && input.files[0]) body.append(input.name, input.files[0]);
        return;
      }
      body.append(input.name, input.value);
    });
    return body;
  };
  var save = function (fieldset, attempt) {
    var position = fieldset.getAttribute("data-position");
    var itemStatus = fieldset.querySelector("[data-item-status]");
    var body = fields(fieldset);
    var edit = edits[position] || 0;
    say(itemStatus, text.saving);
    fetch(fieldset.getAttribute("data-save-url"), {
      method: "POST",
      body: body,
      headers: { "X-CSRFToken": csrf },
      credentials: "same-origin",
    })
      .then(function (response) {
        return response.json().then(function (data) {
          return { ok: response.ok, data: data };
        });
      })
      .then(function (reply) {
        if (reply.ok) {
          if ((edits[position] || 0) !== edit) return; // changed again meanwhile: the newer save reports
          say(itemStatus, text.saved);
          say(status, text.saved);
          delete pending[position];
          var current = fieldset.querySelector("[data-current-file]");
          if (current && reply.data.file) {
            // The uploaded file is the answer now: clear the picker so the form's save does not send it again.
            current.textContent = reply.data.file.name;
            current.href = reply.data.file.url;
            fieldset.querySelector("[data-current-size]").textContent = reply.data.file.size_label;
            current.parentNode.hidden = false;
            fieldset.querySelectorAll("input[type=file]").forEach(function (input) { input.value = ""; });
          }
        } else if (reply.data.code === "time_up" || reply.data.code === "submitted") {
          window.location.assign(resultUrl);
        } else {
          say(itemStatus, reply.data.message || text.failed, true);
        }
      })
      .catch(function () {
        // Offline or the server is restarting: retry with a growing pause; the page's own save button still works.
        pending[position] = true;
        say(itemStatus, text.retrying, true);
        say(status, text.unsaved, true);
        window.setTimeout(function () {
          if (pending[position]) save(fieldset, (attempt || 0) + 1);
        }, Math.min(30000, 1000 * Math.pow(2, attempt || 0)));
      });
  };
  var timers = {};
  form.querySelectorAll("fieldset[data-position]").forEach(function (fieldset) {
    var position = fieldset.getAttribute("data-position");
    fieldset.addEventListener("change", function () {
      edits[position] = (edits[position] || 0) + 1;
      pending[position] = true;
      window.clearTimeout(timers[position]);
      save(fieldset, 0);
    });
    fieldset.addEventListener("input", function (event) {
      if (event.target.tagName !== "TEXTAREA" && event.target.type !== "text") return;
      window.clearTimeout(timers[position]);
      edits[position] = (edits[position] || 0) + 1;
      pending[position] = true;
      say(fieldset.querySelector("[data-item-status]"), text.saving);
      timers[position] = window.setTimeout(function () { save(fieldset, 0); }, 800);
    });
  });
  // Leaving the page with typing not yet saved: hand it to the browser to send on the way out.
  window.addEventListener("pagehide", function () {
    form.querySelectorAll("fieldset[data-position]").forEach(function (fieldset) {
      var position = fieldset.getAttribute("data-position");
      if (!pending[position] || !navigator.sendBeacon) return;
      window.clearTimeout(timers[position]);
      var body = fields(fieldset);
      body.append("csrfmiddlewaretoken", csrf);
      navigator.sendBeacon(fieldset.getAttribute("data-save-url"), body);
    });
  });
  var submit = form.querySelector("button[value=submit]");
  if (submit) {
    submit.addEventListener("click", function (event) {
      if (!window.confirm(submit.getAttribute("data-confirm"))) event.preventDefault();
    });
  }
})();
