// Drag and drop in the outline editor and a unit's blocks (courses/authoring/outline.html, unit.html): an item dropped on a sibling takes its
// place; the new order is sent with the order the page showed ("seen"), so a list another teacher changed in the
// meantime is refused (409 "stale") and nothing moves. Without this script the ↑ ↓ buttons do the same.
(function () {
  "use strict";

  var root = document.querySelector("[data-outline]");
  if (!root) return;
  var status = document.querySelector("[data-reorder-status]");
  var token = root.querySelector("input[name=csrfmiddlewaretoken]");
  var dragged = null;

  function say(message) {
    status.textContent = message;
    status.hidden = false;
  }

  function items(list) {
    return Array.prototype.filter.call(list.children, function (child) {
      return child.matches("li[data-id]");
    });
  }

  function send(list) {
    var parent = list.getAttribute("data-parent-id");
    var seen = list.getAttribute("data-seen").split(",").filter(Boolean).map(Number);
    var order = items(list).map(function (item) { return Number(item.getAttribute("data-id")); });
    // The blocks' endpoint takes no parent: the unit is in its address.
    fetch(root.getAttribute("data-order-url"), {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": token ? token.value : "" },
      body: JSON.stringify(
        parent === null ? { seen: seen, order: order } : { parent_id: parent ? Number(parent) : null, seen: seen, order: order }
      ),
    }).then(function (response) {
      if (response.ok) {
        window.location.reload();
      } else if (response.status === 409) {
        say(root.getAttribute("data-stale-message"));
      } else {
        say(root.getAttribute("data-error-message"));
      }
    }, function () {
      say(root.getAttribute("data-error-message"));
    });
  }

  root.addEventListener("dragstart", function (event) {
    var item = event.target.closest && event.target.closest("li[data-id]");
    if (!item) return;
    dragged = item;
    item.classList.add("is-dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", item.getAttribute("data-id"));
    event.stopPropagation();
  });

  root.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("is-dragging");
    Array.prototype.forEach.call(root.querySelectorAll(".is-drop-target"), function (el) {
      el.classList.remove("is-drop-target");
    });
    dragged = null;
  });

  function target(event) {
    var item = event.target.closest && event.target.closest("li[data-id]");
    // Only among siblings: an item moves within its own list.
    while (item && dragged && item.parentNode !== dragged.parentNode) {
      item = item.parentNode.closest("li[data-id]");
    }
    return item && item !== dragged ? item : null;
  }

  root.addEventListener("dragover", function (event) {
    var item = target(event);
    if (!item) return;
    event.preventDefault();
    item.classList.add("is-drop-target");
  });

  root.addEventListener("dragleave", function (event) {
    var item = target(event);
    if (item) item.classList.remove("is-drop-target");
  });

  root.addEventListener("drop", function (event) {
    var item = target(event);
    if (!item || !dragged) return;
    event.preventDefault();
    var list = item.parentNode;
    var all = items(list);
    var before = all.indexOf(dragged) > all.indexOf(item) ? item : item.nextSibling;
    list.insertBefore(dragged, before);
    send(list);
  });
})();
