/* edukit site: the reader's own font and line spacing (the "Text" choices in the bar), kept in
   this browser. Pages start in the font and spacing the site was published with; a choice here
   swaps the body's font-* and spacing-* classes (resources/css/fonts.css), as Settings does in
   the app. Not on the slides page: the site cannot fit slides to the screen as the app does,
   so they stay in the face and spacing they fit in as written (core/typography.py). */
(function () {
  "use strict";
  var CHOICES = {
    font: [["default", "Usual"], ["legible", "Legible"], ["dyslexic", "Dyslexia-friendly"],
           ["system", "System's own"]],
    spacing: [["normal", "Usual"], ["wide", "Wide"], ["widest", "Widest"],
              ["wcag", "WCAG text spacing"]]
  };
  var LABELS = { font: "Font", spacing: "Line spacing" };

  function stored(kind) {
    try { return window.localStorage.getItem("edukit-" + kind); } catch (e) { return null; }
  }
  function store(kind, value) {
    try { window.localStorage.setItem("edukit-" + kind, value); } catch (e) { /* private */ }
  }
  function current(kind) {
    var prefix = kind + "-", found = null;
    document.body.classList.forEach(function (c) {
      if (c.indexOf(prefix) === 0) { found = c.slice(prefix.length); }
    });
    return found;
  }
  function known(kind, value) {
    return CHOICES[kind].some(function (choice) { return choice[0] === value; });
  }
  function apply(kind, value) {
    if (!known(kind, value)) { return; }
    var old = current(kind);
    if (old) { document.body.classList.remove(kind + "-" + old); }
    document.body.classList.add(kind + "-" + value);
  }
  function control(kind) {
    var label = document.createElement("label"), select = document.createElement("select");
    label.className = "site-type";
    label.appendChild(document.createTextNode(LABELS[kind] + " "));
    select.setAttribute("data-type-control", kind);
    CHOICES[kind].forEach(function (choice) {
      var option = document.createElement("option");
      option.value = choice[0];
      option.textContent = choice[1];
      select.appendChild(option);
    });
    select.value = current(kind);
    select.addEventListener("change", function () {
      apply(kind, select.value);
      store(kind, select.value);
    });
    label.appendChild(select);
    return label;
  }

  Object.keys(CHOICES).forEach(function (kind) { apply(kind, stored(kind)); });
  var bar = document.querySelector(".site-bar");
  if (bar) {
    Object.keys(CHOICES).forEach(function (kind) { bar.appendChild(control(kind)); });
  }
})();
