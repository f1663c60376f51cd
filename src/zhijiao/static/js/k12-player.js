/* Resumable playback: starts a signed-in learner where they left off (on any device) and reports the position
   and the time actually played every 10 seconds, on pause and at the end, to /api/v1/k12/progress.
   Without JavaScript the player still plays, and the "我已学完" button records completion. */
(function () {
  "use strict";

  var INTERVAL = 10000;

  function setUp(player) {
    var url = player.getAttribute("data-progress-url");
    if (!url) {
      return;
    }
    var token = player.getAttribute("data-csrf");
    var resource = parseInt(player.getAttribute("data-resource"), 10);
    var start = parseInt(player.getAttribute("data-start") || "0", 10);
    var played = 0;
    var lastTick = null;
    var sending = false;

    function tick() {
      var now = Date.now();
      if (lastTick !== null && !player.paused) {
        played += (now - lastTick) / 1000;
      }
      lastTick = player.paused ? null : now;
    }

    function report(completed) {
      tick();
      if (sending) {
        return;
      }
      var elapsed = Math.floor(played);
      played -= elapsed;
      sending = true;
      fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": token },
        body: JSON.stringify({
          resource_id: resource,
          position: Math.floor(player.currentTime || 0),
          elapsed: elapsed,
          duration: Math.floor(isFinite(player.duration) ? player.duration : 0),
          completed: !!completed
        })
      }).catch(function () {
        played += elapsed; /* try again with the next report */
      }).then(function () {
        sending = false;
      });
    }

    player.addEventListener("loadedmetadata", function () {
      if (start > 0 && start < (player.duration || Infinity) - 2) {
        player.currentTime = start;
      }
    }, { once: true });
    player.addEventListener("play", function () { lastTick = Date.now(); });
    player.addEventListener("pause", function () { report(false); });
    player.addEventListener("ended", function () { report(true); });
    window.setInterval(function () {
      if (!player.paused) {
        report(false);
      }
    }, INTERVAL);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden" && !player.paused) {
        report(false);
      }
    });
  }

  document.querySelectorAll("video[data-resource], audio[data-resource]").forEach(setUp);
})();
