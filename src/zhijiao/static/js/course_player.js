/* The learning page reports progress per block to /api/v1/courses/runs/<run>/progress:
   - a video: its position (so it resumes there on any device) and the share watched, when playback starts, every
     10 seconds while it plays, on pause, at the end and when the page is hidden. The share is what was saved before
     plus what this page played (the browser's "played" ranges, so rewinding counts once), never more than 1;
     the server keeps the largest share it was told and counts the video done at 90 %.
   - a document: opened once half of it is on screen, or its download link is used;
   - rich text: read once its end has scrolled into view;
   - any other block: opened once it is on screen.
   The player starts at the saved position (data-position; the source's #t= fragment does the same without
   JavaScript). */
(function () {
  "use strict";

  var INTERVAL = 10000;
  var page = document.querySelector(".learn-unit[data-progress-url]");
  if (!page) {
    return;
  }
  var url = page.getAttribute("data-progress-url");
  var token = page.getAttribute("data-csrf");

  function send(body, leaving) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      keepalive: !!leaving,
      headers: { "Content-Type": "application/json", "X-CSRFToken": token },
      body: JSON.stringify(body)
    }).catch(function () { /* the next report carries the whole state */ });
  }

  function whenSeen(element, threshold, callback) {
    if (!("IntersectionObserver" in window)) {
      callback();
      return;
    }
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) {
          observer.disconnect();
          callback();
        }
      });
    }, { threshold: threshold });
    observer.observe(element);
  }

  function setUpVideo(block, contentId, video) {
    var start = parseInt(video.getAttribute("data-position") || "0", 10);
    var saved = parseFloat(block.getAttribute("data-watched") || "0");
    var sending = false;
    var again = false;

    function playedSeconds() {
      var total = 0;
      for (var i = 0; i < video.played.length; i += 1) {
        total += video.played.end(i) - video.played.start(i);
      }
      return total;
    }

    function report(leaving) {
      var duration = isFinite(video.duration) && video.duration > 0 ? video.duration : 0;
      var body = { content_id: contentId, position: Math.floor(video.currentTime || 0) };
      if (duration) {
        body.watched = Math.min(1, saved + playedSeconds() / duration);
        if (video.ended) {
          body.watched = Math.max(body.watched, Math.min(1, saved + (duration - start) / duration));
        }
      }
      if (sending && !leaving) {
        again = true;
        return;
      }
      sending = true;
      send(body, leaving).then(function () {
        sending = false;
        if (again) {
          again = false;
          report(false);
        }
      });
    }

    video.addEventListener("loadedmetadata", function () {
      if (start > 0 && start < (video.duration || Infinity) - 1 && Math.abs(video.currentTime - start) > 1) {
        video.currentTime = start;
      }
    }, { once: true });
    video.addEventListener("play", function () { report(false); });
    video.addEventListener("pause", function () { report(false); });
    video.addEventListener("ended", function () { report(false); });
    window.setInterval(function () {
      if (!video.paused) {
        report(false);
      }
    }, INTERVAL);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden" && !video.paused) {
        report(true);
      }
    });
  }

  function opened(contentId) {
    send({ content_id: contentId, opened: true }, false);
  }

  document.querySelectorAll(".learn-block[data-content-id]").forEach(function (block) {
    var contentId = block.getAttribute("data-content-id");
    var type = block.getAttribute("data-type");
    var video = block.querySelector("video");
    if (type === "video" && video) {
      setUpVideo(block, contentId, video);
      return;
    }
    if (block.hasAttribute("data-complete")) {
      return;
    }
    var once = false;
    function mark() {
      if (!once) {
        once = true;
        opened(contentId);
      }
    }
    if (type === "richtext") {
      whenSeen(block.querySelector(".learn-end") || block, 0, mark);
    } else if (type === "document") {
      var download = block.querySelector("a[download]");
      if (download) {
        download.addEventListener("click", mark);
      }
      whenSeen(block, 0.5, mark);
    } else if (type === "link") {
      var link = block.querySelector("a");
      if (link) {
        link.addEventListener("click", mark);
      }
      whenSeen(block, 0.5, mark);
    } else {
      whenSeen(block, 0.5, mark);
    }
  });
})();
