// Live length counters for the fields form_field.html gives a limit ("Up to N characters"):
// as the person types, the note says how many of the N are used. Only an enhancement: without
// JavaScript the limit is still stated, and the server names an over-long field.
(function () {
  "use strict";
  function noteFor(field) {
    return field.id ? document.getElementById(field.id + "_limit") : null;
  }
  function update(field, note) {
    var limit = Number(note.getAttribute("data-limit"));
    var used = field.value.length;
    // The sentences come translated from the page (form_field.html's data attributes).
    var sentence = note.getAttribute(used > limit ? "data-over" : "data-counting");
    note.textContent = sentence.replace("{used}", used).replace("{limit}", limit)
      .replace("{over}", used - limit);
    note.classList.toggle("over", used > limit);
  }
  document.addEventListener("input", function (event) {
    var note = noteFor(event.target);
    if (note) update(event.target, note);
  });
  function fill(root) {
    root.querySelectorAll(".limit[data-limit]").forEach(function (note) {
      var field = document.getElementById(note.id.replace(/_limit$/, ""));
      if (field && field.value) update(field, note);
    });
  }
  document.addEventListener("DOMContentLoaded", function () { fill(document); });
  document.addEventListener("htmx:load", function (event) { fill(event.target); });
})();
