/*
 * The receipt page's copy button: shown only where the browser can copy.
 * Without it, the code is on the page to copy by hand.
 */
(function () {
  "use strict";
  var button = document.querySelector("[data-copy]");
  if (!button || !navigator.clipboard) {
    return;
  }
  var source = document.querySelector(button.getAttribute("data-copy"));
  var done = document.querySelector("[data-copied]");
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(source.textContent.trim()).then(function () {
      if (done) {
        done.hidden = false;
      }
    });
  });
})();
