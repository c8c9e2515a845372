"""Presenting: the audience window on the projector and the presenter console on the laptop.

edukit.gui.presentation.launch.ShowStarter starts a show of the main window's current module
and, when it ends, returns the lesson view to the slide the show reached; the helpers here
find the slide for a heading and back.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence

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
