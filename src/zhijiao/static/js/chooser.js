// Choosers (core/choosers.py): the keyboard and the choosing for the ARIA combobox whose options htmx fetches.
// Without this script the same form still works: the server resolves what was typed.
(function () {
  "use strict";

  function parts(element) {
    var root = element.closest("[data-chooser]");
    if (!root) return null;
    return {
      root: root,
      input: root.querySelector("[data-chooser-input]"),
      list: root.querySelector("[data-chooser-options]"),
      value: root.querySelector("[data-chooser-value]"),
      chosen: root.querySelector("[data-chooser-chosen]"),
    };
  }

  function options(c) {
    return Array.prototype.slice.call(c.list.querySelectorAll("[role=option]"));
  }

  function close(c) {
    c.list.hidden = true;
    c.input.setAttribute("aria-expanded", "false");
    c.input.removeAttribute("aria-activedescendant");
  }

  function open(c) {
    var any = c.list.children.length > 0;
    c.list.hidden = !any;
    c.input.setAttribute("aria-expanded", any && options(c).length ? "true" : "false");
  }

  function activate(c, index) {
    var all = options(c);
    all.forEach(function (option, i) {
      option.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    if (index >= 0 && all[index]) {
      c.input.setAttribute("aria-activedescendant", all[index].id);
      all[index].scrollIntoView({ block: "nearest" });
    } else {
      c.input.removeAttribute("aria-activedescendant");
    }
  }

  function choose(c, option) {
    var value = option.getAttribute("data-value");
    var label = option.getAttribute("data-label");
    var candidates = c.root.querySelector("[data-chooser-candidates]");
    if (candidates) candidates.remove();
    if (c.chosen) {
      var name = c.root.getAttribute("data-name");
      var present = Array.prototype.some.call(c.chosen.querySelectorAll("input"), function (box) {
        return box.value === value;
      });
      if (!present) {
        var item = document.createElement("li");
        var chip = document.createElement("label");
        chip.className = "chooser-chip";
        var box = document.createElement("input");
        box.type = "checkbox";
        box.name = name;
        box.value = value;
        box.checked = true;
        chip.appendChild(box);
        chip.appendChild(document.createTextNode(" " + label));
        item.appendChild(chip);
        c.chosen.appendChild(item);
      }
      c.input.value = "";
    } else {
      c.value.value = value;
      c.input.value = label;
      changed(c.value);
    }
    close(c);
  }

  // A chooser narrowed by this one (the knowledge points of the book chosen above, hx-include) forgets the options
  // it listed for the previous choice; what it offers next comes from the new one.
  function changed(hidden) {
    var name = hidden.getAttribute("name");
    document.querySelectorAll("[data-chooser-input][hx-include]").forEach(function (input) {
      if (input.getAttribute("hx-include").indexOf("[name='" + name + "']") === -1) return;
      var other = parts(input);
      other.list.innerHTML = "";
      close(other);
    });
  }

  // A grouped source (books) comes as a plain <select> for pages without JavaScript: swap in the searchable box,
  // which takes over the select's id so that its label still names it.
  function enhance() {
    document.querySelectorAll("[data-chooser-fallback]").forEach(function (select) {
      var c = parts(select);
      var id = select.id;
      select.remove();
      c.input.id = id;
      c.input.hidden = false;
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhance);
  } else {
    enhance();
  }

  document.addEventListener("htmx:afterSwap", function (event) {
    var c = parts(event.detail.target);
    if (!c || event.detail.target !== c.list) return;
    options(c).forEach(function (option, i) {
      option.id = c.list.id + "-" + i;
    });
    open(c);
  });

  document.addEventListener("input", function (event) {
    if (!event.target.matches || !event.target.matches("[data-chooser-input]")) return;
    var c = parts(event.target);
    if (c.value && c.value.value) {
      c.value.value = ""; // typing again undoes the choice until a new one is made
      changed(c.value);
    }
    if (!event.target.value.trim()) {
      c.list.innerHTML = "";
      close(c);
    }
  });

  document.addEventListener("keydown", function (event) {
    if (!event.target.matches || !event.target.matches("[data-chooser-input]")) return;
    var c = parts(event.target);
    var all = options(c);
    var current = all.findIndex(function (option) {
      return option.getAttribute("aria-selected") === "true";
    });
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!all.length) return;
      event.preventDefault();
      open(c);
      var step = event.key === "ArrowDown" ? 1 : -1;
      activate(c, (current + step + all.length) % all.length);
    } else if (event.key === "Enter") {
      if (!c.list.hidden && current >= 0) {
        event.preventDefault(); // choose, do not submit the form yet
        choose(c, all[current]);
      }
    } else if (event.key === "Escape") {
      if (!c.list.hidden) {
        event.preventDefault();
        close(c);
      }
    }
  });

  document.addEventListener("mousedown", function (event) {
    var option = event.target.closest && event.target.closest("[data-chooser-options] [role=option]");
    if (!option) return;
    event.preventDefault(); // keep the focus in the text box
    choose(parts(option), option);
  });

  document.addEventListener("focusout", function (event) {
    if (!event.target.matches || !event.target.matches("[data-chooser-input]")) return;
    close(parts(event.target));
  });
})();
