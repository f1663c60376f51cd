// Service hall: wires the self-hosted ALTCHA widget (vendor/altcha, the "external" build: no inline styles,
// no blob: workers) to its proof-of-work worker served from our own origin, so it runs under CSP 'self'.
(function () {
  "use strict";
  var widget = document.getElementById("hall-altcha");
  if (!widget || !globalThis.$altcha) {
    return;
  }
  var workerUrl = widget.getAttribute("data-worker");
  ["SHA-256", "SHA-384", "SHA-512"].forEach(function (algorithm) {
    globalThis.$altcha.algorithms.set(algorithm, function () {
      return new Worker(workerUrl);
    });
  });
  var form = document.getElementById("score-lookup-form");
  var button = document.getElementById("lookup-submit");
  if (form && button) {
    // The lookup waits for a solved challenge; the widget puts its answer in the hidden "altcha" field.
    button.disabled = true;
    widget.addEventListener("statechange", function (event) {
      var state = event.detail && event.detail.state;
      button.disabled = state !== "verified";
    });
  }
})();
