/* Pickers and live panels (registry.core.widgets). htmx fetches the answers as someone types;
   this script names the query, makes the answer a listbox that arrow keys, Enter, Escape and
   the mouse work, and hides what only people without JavaScript need. No framework. */
(function () {
  "use strict";
  if (window.htmx) {
    htmx.config.allowEval = false;  // no eval: our CSP forbids it, and nothing here needs it
  }

  function optionsOf(input) {
    var box = document.getElementById(input.getAttribute("aria-controls"));
    return box ? Array.prototype.slice.call(box.querySelectorAll("[role=option]")) : [];
  }

  function setActive(input, index) {
    var options = optionsOf(input);
    options.forEach(function (option, i) {
      option.classList.toggle("active", i === index);
      option.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    if (index >= 0 && options[index]) {
      input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({block: "nearest"});
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function close(input) {
    var box = document.getElementById(input.getAttribute("aria-controls"));
    if (box) box.innerHTML = "";
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function say(input, text) {
    var box = document.getElementById(input.getAttribute("aria-controls"));
    if (box) {
      var p = document.createElement("p");
      p.className = "picker-message";
      p.textContent = text;
      box.replaceChildren(p);
    }
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  // "add": tick the chosen writeup in the list above (adding its checkbox if not there yet).
  function add(input, option) {
    var list = document.getElementById(input.dataset.pickInto);
    var value = option.dataset.value;
    var box = Array.prototype.find.call(list.querySelectorAll("input[type=checkbox]"),
      function (checkbox) { return checkbox.value === value; });
    if (!box) {
      var item = document.createElement("li");
      var label = document.createElement("label");
      box = document.createElement("input");
      box.type = "checkbox";
      box.name = input.dataset.pickName;
      box.value = value;
      box.id = list.id + "_picked_" + value;
      label.htmlFor = box.id;
      var detail = option.dataset.detail;  // as the server labels it: "Title (Topic)"
      label.append(box, " " + option.dataset.label + (detail ? " (" + detail + ")" : ""));
      item.append(label);
      list.append(item);
      var empty = list.querySelector("[data-pick-empty]");
      if (empty) empty.remove();
    }
    box.checked = true;
    input.value = "";
    say(input, input.dataset.pickAdded.replace("%(label)s", option.dataset.label));
  }

  // "append": a comma-separated list; the part after the last comma is what is looked up.
  function lastPart(input) {
    return input.value.slice(input.value.lastIndexOf(",") + 1).trim();
  }

  function choose(input, option) {
    if (input.dataset.picker === "add") {
      add(input, option);
    } else if (input.dataset.picker === "append") {
      var before = input.value.slice(0, input.value.lastIndexOf(",") + 1);
      input.value = (before ? before.trim() + " " : "") + option.dataset.value + ", ";
      close(input);
    } else {
      input.value = option.dataset.value;
      close(input);
    }
    input.focus();
  }

  document.addEventListener("htmx:configRequest", function (event) {
    var elt = event.detail.elt;
    if (!elt.hasAttribute("data-pick-query")) return;
    event.detail.parameters.q = elt.dataset.picker === "append" ? lastPart(elt) : elt.value;
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var input = event.detail.requestConfig && event.detail.requestConfig.elt;
    if (!input || !input.hasAttribute("data-picker")) return;
    var options = optionsOf(input);
    options.forEach(function (option, i) { option.id = input.id + "-option-" + i; });
    input.setAttribute("aria-expanded", options.length ? "true" : "false");
    setActive(input, -1);
  });

  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (!input.hasAttribute || !input.hasAttribute("data-picker")) return;
    var options = optionsOf(input);
    var current = options.findIndex(function (o) { return o.classList.contains("active"); });
    if (event.key === "ArrowDown" && options.length) {
      setActive(input, (current + 1) % options.length);
      event.preventDefault();
    } else if (event.key === "ArrowUp" && options.length) {
      setActive(input, current <= 0 ? options.length - 1 : current - 1);
      event.preventDefault();
    } else if (event.key === "Enter" && current >= 0) {
      choose(input, options[current]);
      event.preventDefault();
    } else if (event.key === "Enter" && input.dataset.picker === "add") {
      event.preventDefault();  // a search box: Enter is not "save the whole form"
    } else if (event.key === "Escape" && input.getAttribute("aria-expanded") === "true") {
      close(input);
      event.preventDefault();
    }
  });

  // mousedown, not click: it comes before the input's blur.
  document.addEventListener("mousedown", function (event) {
    var option = event.target.closest && event.target.closest("[role=option]");
    var box = option && option.closest(".picker-options");
    var input = box && document.querySelector("[aria-controls='" + box.id + "']");
    if (input) {
      event.preventDefault();
      choose(input, option);
    }
  });

  // Leaving the field (Tab) closes its suggestions; a click on one is a mousedown, which
  // keeps the focus, so it is chosen first.
  document.addEventListener("focusout", function (event) {
    var input = event.target;
    if (input.hasAttribute && input.hasAttribute("data-picker") &&
        input.getAttribute("aria-expanded") === "true") {
      close(input);
    }
  });

  // A filter above a long list of checkboxes: hides those whose label does not contain it.
  document.addEventListener("input", function (event) {
    var filter = event.target;
    if (!filter.dataset || !filter.dataset.filterFor) return;
    var wanted = filter.value.trim().toLowerCase();
    var list = document.getElementById(filter.dataset.filterFor);
    list.querySelectorAll("li").forEach(function (item) {
      item.hidden = wanted !== "" && item.textContent.toLowerCase().indexOf(wanted) < 0;
    });
    list.querySelectorAll("fieldset").forEach(function (group) {
      group.hidden = !group.querySelector("li:not([hidden])");
    });
  });

  function enhance() {
    // Removed, not hidden: a hidden submit button would still be what Enter presses.
    document.querySelectorAll("[data-no-js]").forEach(function (el) { el.remove(); });
    document.querySelectorAll(".checklist-filter").forEach(function (el) { el.hidden = false; });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", enhance);
  } else {
    enhance();
  }
})();
