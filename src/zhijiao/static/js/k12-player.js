/* Resumable playback and learning time: starts a signed-in learner where they left off (on any device) and
   reports to /api/v1/k12/progress when playback starts, every 10 seconds while it plays, on pause, at the end and
   when the page is hidden: the position, and the seconds played since the page opened ("played", with a random
   "session" per player). The total only grows, so a lost report is made up by the next one and a repeated one
   counts once; the server credits time on its own clock. Without JavaScript the player still plays, and the
   "我已学完" button records completion. */
(function () {
  "use strict";

  var INTERVAL = 10000;

  function sessionId() {
    var bytes = new Uint8Array(12);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function setUp(player) {
    var url = player.getAttribute("data-progress-url");
    if (!url) {
      return;
    }
    var token = player.getAttribute("data-csrf");
    var resource = parseInt(player.getAttribute("data-resource"), 10);
    var start = parseInt(player.getAttribute("data-start") || "0", 10);
    var session = sessionId();
    var played = 0;
    var lastTick = null;
    var sending = false;
    var queued = null;

    /* Count the time since the last tick while playing; "pause" and "ended" arrive with paused already true,
       so the segment that just ended is counted by whether the clock was running, not by the player's state. */
    function tick() {
      var now = Date.now();
      if (lastTick !== null) {
        played += (now - lastTick) / 1000;
      }
      lastTick = player.paused || player.ended ? null : now;
    }

    function report(completed, leaving) {
      tick();
      if (sending && !leaving) {
        queued = (queued === true) || !!completed;
        return;
      }
      sending = true;
      fetch(url, {
        method: "POST",
        credentials: "same-origin",
        keepalive: !!leaving,
        headers: { "Content-Type": "application/json", "X-CSRFToken": token },
        body: JSON.stringify({
          resource_id: resource,
          position: Math.floor(player.currentTime || 0),
          duration: Math.floor(isFinite(player.duration) ? player.duration : 0),
          completed: !!completed,
          session: session,
          played: Math.floor(played)
        })
      }).catch(function () {
        /* nothing to undo: the next report carries the whole total */
      }).then(function () {
        sending = false;
        if (queued !== null) {
          var again = queued;
          queued = null;
          report(again, false);
        }
      });
    }

    player.addEventListener("loadedmetadata", function () {
      if (start > 0 && start < (player.duration || Infinity) - 2) {
        player.currentTime = start;
      }
    }, { once: true });
    player.addEventListener("play", function () { report(false, false); });
    player.addEventListener("pause", function () { report(false, false); });
    player.addEventListener("ended", function () { report(true, false); });
    window.setInterval(function () {
      if (!player.paused) {
        report(false, false);
      }
    }, INTERVAL);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden" && lastTick !== null) {
        report(false, true);
      }
    });
    window.addEventListener("pagehide", function () {
      if (lastTick !== null) {
        report(false, true);
      }
    });
  }

  document.querySelectorAll("video[data-resource], audio[data-resource]").forEach(setUp);
})();
