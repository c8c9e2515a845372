/* edukit site: the slides, with the app's keys. Right/Down/Space/PageDown/N next;
   Left/Up/PageUp/P/Backspace previous; Home/End; a number then Enter jumps; B or . black
   screen, W or , white screen (again to show the slide); F full screen. The slide shown is
   the one named in the address (#slide-N), as in the app. */
(function () {
  "use strict";
  var slides = Array.prototype.slice.call(document.querySelectorAll("section.slide"));
  var counter = document.getElementById("slide-counter");
  var blank = document.createElement("div");
  var typed = "";
  var current = 0;
  blank.className = "blank-screen";
  blank.hidden = true;
  document.body.appendChild(blank);

  var NEXT = ["ArrowRight", "ArrowDown", " ", "Spacebar", "PageDown", "n", "N"];
  var PREVIOUS = ["ArrowLeft", "ArrowUp", "PageUp", "p", "P", "Backspace"];
  var BLANK = { b: "black", B: "black", ".": "black", w: "white", W: "white", ",": "white" };

  function fromAddress() {
    var m = /^#slide-(\d+)$/.exec(window.location.hash);
    return m ? parseInt(m[1], 10) - 1 : 0;
  }

  function show(index) {
    if (!slides.length) { return; }
    current = Math.max(0, Math.min(index, slides.length - 1));
    slides.forEach(function (slide, n) { slide.classList.toggle("current", n === current); });
    var hash = "#slide-" + (current + 1);
    if (window.location.hash !== hash) { window.location.replace(hash); }
    document.body.setAttribute("data-slide", String(current + 1));
    if (counter) { counter.textContent = "Slide " + (current + 1) + " of " + slides.length; }
  }

  function setBlank(colour) {
    var again = !blank.hidden && blank.getAttribute("data-colour") === colour;
    blank.hidden = again;
    blank.setAttribute("data-colour", again ? "" : colour);
    document.body.setAttribute("data-blank", again ? "" : colour);
  }

  function toggleFullScreen() {
    if (document.fullscreenElement) {
      document.exitFullscreen();
    } else if (document.documentElement.requestFullscreen) {
      document.documentElement.requestFullscreen().catch(function () {});
    }
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) { return; }
    var key = event.key;
    if (/^[0-9]$/.test(key)) { typed = (typed + key).slice(-4); return; }
    var number = typed;
    typed = "";
    if (key === "Enter") {
      show(number ? parseInt(number, 10) - 1 : current + 1);
    } else if (NEXT.indexOf(key) >= 0) {
      show(current + 1);
    } else if (PREVIOUS.indexOf(key) >= 0) {
      show(current - 1);
    } else if (key === "Home") {
      show(0);
    } else if (key === "End") {
      show(slides.length - 1);
    } else if (BLANK[key]) {
      setBlank(BLANK[key]);
    } else if (key === "f" || key === "F") {
      toggleFullScreen();
    } else {
      return;
    }
    event.preventDefault();
  });
  document.querySelectorAll("[data-fullscreen]").forEach(function (button) {
    button.addEventListener("click", function () { button.blur(); toggleFullScreen(); });
  });
  window.addEventListener("hashchange", function () { show(fromAddress()); });
  show(fromAddress());
})();
