/* edukit site: filter the library by audience, age and topic, and search the index built when
   the site was published (assets/site/search-index.js). Results are written as text only. */
(function () {
  "use strict";
  var lessons = (window.EDUKIT_INDEX || { lessons: [] }).lessons;
  var form = document.getElementById("filters");
  var list = document.getElementById("lessons");
  var count = document.getElementById("result-count");
  if (!form || !list) { return; }
  var cards = Array.prototype.slice.call(list.querySelectorAll(".lesson-card"));
  var byId = {};
  lessons.forEach(function (lesson) {
    lesson.heading = (lesson.title + " " + lesson.summary + " " + lesson.topics.join(" ")).toLowerCase();
    lesson.words = lesson.text.toLowerCase();
    byId[lesson.id] = lesson;
  });

  function queryWords() {
    return form.q.value.toLowerCase().split(/\s+/).filter(function (w) { return w; });
  }

  function score(lesson, words) {
    var total = 0;
    for (var i = 0; i < words.length; i++) {
      var inTitle = lesson.title.toLowerCase().indexOf(words[i]) >= 0 ? 4 : 0;
      var inHeading = lesson.heading.indexOf(words[i]) >= 0 ? 2 : 0;
      var inText = lesson.words.indexOf(words[i]) >= 0 ? 1 : 0;
      if (!(inTitle || inHeading || inText)) { return 0; }
      total += inTitle + inHeading + inText;
    }
    return total;
  }

  function snippet(lesson, word) {
    var at = lesson.words.indexOf(word);
    if (at < 0) { return ""; }
    var start = Math.max(0, at - 60);
    var end = Math.min(lesson.text.length, at + word.length + 90);
    return (start ? "…" : "") + lesson.text.slice(start, end).trim() + (end < lesson.text.length ? "…" : "");
  }

  function update() {
    var words = queryWords();
    var audience = form.audience.value, ages = form.ages.value, topic = form.topic.value;
    var shown = [];
    cards.forEach(function (card, order) {
      var lesson = byId[card.getAttribute("data-id")];
      var points = words.length ? score(lesson, words) : 1;
      var ok = lesson && points > 0 && (!audience || lesson.audience === audience) &&
        (!ages || lesson.ages === ages) && (!topic || lesson.topics.indexOf(topic) >= 0);
      card.hidden = !ok;
      card.querySelector(".match").textContent = ok && words.length ? snippet(lesson, words[0]) : "";
      if (ok) { shown.push({ card: card, points: points, order: order }); }
    });
    shown.sort(function (a, b) { return b.points - a.points || a.order - b.order; });
    var order = shown.map(function (item) { return item.card; })
      .concat(cards.filter(function (card) { return card.hidden; }));
    // Move cards only when the order changes: a move under the pointer would eat a click.
    if (order.some(function (card, n) { return list.children[n] !== card; })) {
      order.forEach(function (card) { list.appendChild(card); });
    }
    count.textContent = shown.length === 1 ? "1 lesson" : shown.length + " lessons";
  }

  form.addEventListener("input", update);
  form.addEventListener("change", update);
  form.addEventListener("submit", function (event) { event.preventDefault(); update(); });
  update();
})();
