"""Presenting: the audience window on the projector and the presenter console on the laptop.

`present_from_window(window, from_current)` starts a show of the window's current module and,
when it ends, returns the lesson view to the slide the show reached.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence

from ...core.escape import js_string
from ...core.model import Slide

MARKUP = re.compile(r"[*_`]+")
# Heading texts from the top of the lesson down to the viewport's top (the first if none is),
# as JSON: PySide turns arrays from JavaScript into ''.
HEADINGS_SEEN = """JSON.stringify((() => {
  const hs = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')];
  const seen = hs.filter(h => h.getBoundingClientRect().top <= 120).map(h => h.textContent);
  return seen.length ? seen : hs.slice(0, 1).map(h => h.textContent);
})())"""
SCROLL_TO = """(() => {
  const want = %s, nth = %d;
  const hs = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]
    .filter(h => h.textContent.replace(/[*_`]+/g, '').replace(/\\s+/g, ' ').trim().toLowerCase() === want);
  if (hs[nth]) { hs[nth].scrollIntoView(); return true; }
  return false;
})()"""


def plain(title: str) -> str:
    return " ".join(MARKUP.sub("", title).split()).lower()


def slide_for_headings(headings: Sequence[str], slides: Sequence[Slide]) -> int:
    """The slide holding the last heading seen that starts a slide, or 0."""
    titles = [plain(s.title) for s in slides]
    seen = [plain(h) for h in headings]
    for n in range(len(seen) - 1, -1, -1):
        if seen[n] in titles:
            occurrence = seen[: n + 1].count(seen[n])
            matches = [i for i, t in enumerate(titles) if t == seen[n]]
            return matches[min(occurrence, len(matches)) - 1]
    return 0


def parse_list(value: object) -> list[str]:
    try:
        items = json.loads(value) if isinstance(value, str) else []
    except ValueError:
        return []
    return [str(x) for x in items] if isinstance(items, list) else []


def heading_for_slide(index: int, slides: Sequence[Slide]) -> tuple[str, int]:
    """(plain title, which occurrence of it) for the lesson heading that starts a slide."""
    want = plain(slides[index].title)
    return want, [plain(s.title) for s in slides[:index]].count(want)


def run_js(page, script: str, done: Callable[[object], None]) -> None:
    from PySide6.QtWebEngineCore import QWebEngineScript

    page.runJavaScript(script, QWebEngineScript.ScriptWorldId.ApplicationWorld, done)


def present_from_window(window, from_current: bool = False) -> None:
    """Start a show of the window's module (at the slide the viewer shows, if asked): at once
    for bundled lessons, and once the worker has rendered the slides for others (the window
    keeps responding meanwhile; a second F5 then does nothing)."""
    session, module = window.session, window.session.module
    if module is None or window.presentation is not None or window.show_pending:
        return
    window.show_pending = True

    def rendered(deck) -> None:
        window.show_pending = False
        if session.module is not module or not deck.slides:
            return  # the reader moved to another lesson meanwhile, or there is nothing to show
        if from_current:
            run_js(window.page, HEADINGS_SEEN,
                   lambda seen: launch(window, slide_for_headings(parse_list(seen), deck.slides),
                                       deck.slides))
        else:
            launch(window, 0, deck.slides)
    session.when_rendered(module, "slides", rendered)


def launch(window, start: int, slides=None):
    from .controller import Presentation

    show = Presentation(window.session, start, window.profile, slides)
    window.presentation = show

    def ended(index: int) -> None:
        window.presentation = None
        return_to_lesson(window, index, show.deck)
    show.ended.connect(ended)
    return show


def return_to_lesson(window, index: int, slides) -> None:
    """Bring the main window back with its lesson scrolled to the slide's section (of the
    slides shown: the lesson may have changed on disk meanwhile, and its new slides would
    have to be rendered first)."""
    window.activateWindow()
    window.raise_()
    window.view.setFocus()  # arrow keys scroll the lesson, as before the show
    want, nth = heading_for_slide(index, slides)
    run_js(window.page, SCROLL_TO % (js_string(want), nth), lambda _: None)
