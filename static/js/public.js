/*
 * Small enhancements of the public pages; every page works without them.
 *
 * - On a narrow screen the table of contents of a long text starts folded, so
 *   the text itself comes first; the reader opens it with one tap.
 */
(function () {
  "use strict";
  var narrow = window.matchMedia && window.matchMedia("(max-width: 59.99em)");
  if (narrow && narrow.matches) {
    var toc = document.querySelectorAll(".law-toc details[open]");
    for (var i = 0; i < toc.length; i++) {
      toc[i].removeAttribute("open");
    }
  }
})();
