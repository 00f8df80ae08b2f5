/*
 * Follow an import batch's progress (staff/consultation/import_detail.html).
 *
 * Without this script the page refreshes itself every few seconds (a
 * <meta http-equiv="refresh"> inside <noscript>). With it, the page asks the
 * batch's JSON progress endpoint every two seconds, moves the <progress> bar,
 * and reloads once the batch is finished, to show the count or the errors.
 */
(function () {
  "use strict";

  var box = document.querySelector("[data-import-progress]");
  if (!box || box.dataset.finished === "1" || !window.fetch) {
    return;
  }
  var bar = box.querySelector("[data-import-bar]");
  var rows = box.querySelector("[data-import-rows]");
  var status = box.querySelector("[data-import-status] .badge");
  var template = rows ? rows.textContent : "";
  var failures = 0;

  function show(state) {
    bar.value = state.progress;
    bar.textContent = state.progress + "%";
    if (status) {
      status.textContent = state.status_label;
    }
    if (rows) {
      // Replace the two numbers in the translated sentence, in order.
      var numbers = [state.processed_rows, state.total_rows];
      rows.textContent = template.replace(/\d+/g, function () {
        return String(numbers.length ? numbers.shift() : "");
      });
    }
  }

  function poll() {
    fetch(box.dataset.importProgress, {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (state) {
        failures = 0;
        show(state);
        if (state.finished) {
          window.location.reload();
        } else {
          window.setTimeout(poll, 2000);
        }
      })
      .catch(function () {
        failures += 1;
        window.setTimeout(poll, Math.min(30000, 2000 * Math.pow(2, failures)));
      });
  }

  window.setTimeout(poll, 1000);
})();
