/*
 * The moderation queue by keyboard: j / k move between rows, x selects the
 * row, p publishes the selection, w withholds it (with the reason chosen; the
 * reason list gets the focus when none is). Keys typed into a field are left
 * alone. Without this script the checkboxes and buttons do the same.
 */
(function () {
  "use strict";
  var form = document.querySelector("[data-moderation]");
  if (!form) {
    return;
  }
  var rows = Array.prototype.slice.call(form.querySelectorAll("[data-row]"));
  var current = -1;

  function focusRow(index) {
    if (!rows.length) {
      return;
    }
    current = Math.max(0, Math.min(rows.length - 1, index));
    rows.forEach(function (row, i) {
      row.classList.toggle("is-current", i === current);
    });
    rows[current].focus();
  }

  function press(action) {
    var button = form.querySelector('button[value="' + action + '"]');
    if (button) {
      button.click();
    }
  }

  document.addEventListener("keydown", function (event) {
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" && event.target.type !== "checkbox") {
      return;
    }
    if (tag === "textarea" || tag === "select" || event.ctrlKey || event.metaKey || event.altKey) {
      return;
    }
    if (event.key === "j") {
      focusRow(current + 1);
    } else if (event.key === "k") {
      focusRow(current - 1);
    } else if (event.key === "x" && current >= 0) {
      var box = rows[current].querySelector('input[type="checkbox"]');
      box.checked = !box.checked;
    } else if (event.key === "p") {
      press("publish");
    } else if (event.key === "w") {
      var reason = form.querySelector("#withhold-reason");
      if (reason && !reason.value) {
        reason.focus();
      } else {
        press("withhold");
      }
    } else {
      return;
    }
    event.preventDefault();
  });
})();
