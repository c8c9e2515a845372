/* edukit site: the Print button on handout and notes pages (browser Print gives the same pages). */
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
})();
