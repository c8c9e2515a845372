"""The lesson pane: a problem banner, the locked-down web view and the find bar.

It loads pages for the session, jumps to sections, reports which section is being read (measured
with runJavaScript in the ApplicationWorld: content scripts stay off), highlights search words and
keeps the zoom.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, QUrl, Signal
from PySide6.QtWebEngineCore import QWebEngineScript
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QVBoxLayout, QWidget

from ..core.escape import js_string
from ..core.model import Module, Problem
from .background import Job
from .palette import page_background
from .plain_text import plain_label
from .session import Session
from .webview import LessonPage, locked_profile, module_url

if TYPE_CHECKING:
    from .find_bar import FindBar

ZOOM_STEPS = (0.5, 0.67, 0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0)
# The id of the last heading whose top is in the upper quarter of the window (or above it).
CURRENT_SECTION = """(() => {
  const limit = window.innerHeight / 4;
  let current = '';
  for (const h of document.querySelectorAll('main h1[id], main h2[id], main h3[id]')) {
    if (h.getBoundingClientRect().top > limit) break;
    current = h.id;
  }
  return current + ' ' + Math.round(window.scrollY);  // a string: PySide turns JS arrays into ''
})()"""
SCROLL_TO_ID = """(() => {
  const target = document.getElementById(%s);
  if (target) target.scrollIntoView(); else window.scrollTo(0, 0);
  return Math.round(window.scrollY);
})()"""
# Wrap every word that starts with one of the search terms in <mark class="search-hit">.
HIGHLIGHT = """(() => {
  const pattern = new RegExp(%s, 'giu');
  const walker = document.createTreeWalker(document.querySelector('main') || document.body,
                                           NodeFilter.SHOW_TEXT);
  const nodes = [];
  while (walker.nextNode()) nodes.push(walker.currentNode);
  let count = 0;
  for (const node of nodes) {
    const text = node.nodeValue;
    pattern.lastIndex = 0;
    if (!pattern.test(text)) continue;
    const frag = document.createDocumentFragment();
    let last = 0;
    text.replace(pattern, (match, offset) => {
      frag.append(text.slice(last, offset));
      const mark = document.createElement('mark');
      mark.className = 'search-hit';
      mark.textContent = match;
      frag.append(mark);
      last = offset + match.length;
      count++;
    });
    frag.append(text.slice(last));
    node.replaceWith(frag);
  }
  return count;
})()"""


# How the app knows the page is on screen (the benchmarks' floor asks the same way): a frame
# callback that queues another runs after the first frame is drawn; the app's world reads the
# flag it sets (content scripts stay off). A hidden or stalled view never draws: after
# PAINT_POLLS checks the page counts as painted anyway, so the work waiting on it still runs.
MARK_PAINT = ("requestAnimationFrame(() => requestAnimationFrame(() => "
              "{ window.__edukitPainted = true; })); 0")
IS_PAINTED = "window.__edukitPainted === true"
PAINT_POLL_MS, PAINT_POLLS = 10, 150


def ignore(_: object) -> None:
    pass


def highlight_pattern(words: list[str]) -> str:
    """A JavaScript regex source matching words that start with any of these (stems)."""
    stems = sorted({w.lower() for w in words if len(w) > 1}, key=len, reverse=True)
    return r"(?<![\p{L}\p{N}])(?:" + "|".join(re.escape(w) for w in stems) + r")[\p{L}\p{N}]*"


class ProblemCheck(QObject):
    """Validates a module on a pool thread (a Job: edukit.gui.background). What needs the
    Library is read first, on the UI thread (Session.problem_check), so a library refresh
    there cannot race the check."""

    done = Signal(str, list)  # module id, its errors

    def start(self, session: Session, module: Module) -> Job:
        check = session.problem_check(module)
        return Job(lambda: (module.id, check()), succeeded=self.checked).start()

    def checked(self, result: tuple[str, list]) -> None:
        try:
            self.done.emit(*result)
        except RuntimeError:  # the view (and this check) closed while the check ran: no one asks
            pass


class LessonView(QWidget):
    """Shows one page of a module; emits sectionSeen as the reader scrolls."""

    sectionSeen = Signal(str)
    highlighted = Signal(int)  # how many words were marked after a search
    zoomChanged = Signal(float)

    def __init__(self, session: Session, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self.view = QWebEngineView(self)  # created before the profile, so deleted before it
        self.view.setObjectName("lesson-view")
        self.view.setAccessibleName("Lesson")
        self.view.setAccessibleDescription("The lesson text. Tab moves through its links.")
        self.profile = locked_profile(session.pages.page, session.pages.folder, self)
        self.page = LessonPage(self.profile, self.view)
        self.view.setPage(self.page)
        self.banner = plain_label(parent=self)
        self.banner.setObjectName("problem-banner")
        self.banner.setWordWrap(True)
        self.banner.setAccessibleName("Problems in this lesson")
        self.banner.setStyleSheet("background:#fff4ce; color:#3b2f00; padding:6px 10px;")
        self.banner.hide()
        self._find_bar: FindBar | None = None  # made on first use (find_bar)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.banner)
        layout.addWidget(self.view, 1)
        self.zoom = 1.0
        self.loads = 0
        self.loading = False  # a page is on its way: the reading position is not measured
        self.pending_words: list[str] = []
        self.preloaded: tuple[str, str, str] | None = None  # a page asked for ahead (preload)
        # Where the last jump left the page: a section near the end cannot reach the top, so
        # until the reader scrolls on, the jump's target stays the current section.
        self.jump_scroll: int | None = None
        self.follow_timer = QTimer(self, singleShot=True, interval=120)
        self.follow_timer.timeout.connect(self.measure_section)
        self.page.scrollPositionChanged.connect(lambda _: self.follow_timer.start())
        self.page.loadFinished.connect(self.loaded)

    @property
    def find_bar(self) -> FindBar:
        """The find bar under the page, made on first use (Ctrl+F): hidden until then, it is
        not built while the first lesson waits to be drawn (issue 17)."""
        if self._find_bar is None:
            from .accessible import name_helper_widgets
            from .find_bar import FindBar

            self._find_bar = FindBar(self.page, self)
            self.layout().addWidget(self._find_bar)
            name_helper_widgets(self._find_bar)  # its clear button, as the window's others
        return self._find_bar

    def run_js(self, script: str, done=None) -> None:
        self.page.runJavaScript(script, QWebEngineScript.ScriptWorldId.ApplicationWorld,
                                done or ignore)

    def preload(self, module_id: str, view: str, section: str = "") -> None:
        """Start loading the page the window is about to show, before the rest of the window is
        built: Chromium starts its renderer meanwhile (launch, issue 17). The show_page that
        follows for this very page takes over the load in flight instead of starting another."""
        self.show_page(module_id, view, section)
        self.preloaded = (module_id, view, section)

    def show_page(self, module_id: str, view: str, section: str = "",
                  words: list[str] | None = None) -> None:
        preloaded, self.preloaded = self.preloaded, None
        if preloaded == (module_id, view, section) and not words:
            return  # already on its way (preload)
        # A fresh query each time: the same URL with only a new #fragment would merely scroll,
        # and a theme change or an edit on disk must redraw the page.
        self.loads += 1
        url = module_url(module_id, view, f"n={self.loads}")
        if section:
            url.setFragment(section)
        self.pending_words = list(words or [])
        self.jump_scroll = None
        self.loading = True
        self.follow_timer.stop()
        self.page.setBackgroundColor(page_background(self.session.theme))  # no white flash
        self.view.load(url)

    def when_painted(self, done: Callable[[], None]) -> None:
        """done() once the loaded page has drawn its first frame (or after PAINT_POLLS checks)."""
        polls = [0]

        def check(painted: object = None) -> None:
            if painted is True or polls[0] >= PAINT_POLLS:
                done()
                return
            polls[0] += 1
            QTimer.singleShot(PAINT_POLL_MS, self, lambda: self.run_js(IS_PAINTED, check))
        self.run_js(MARK_PAINT, lambda _: check())

    def jump(self, section: str) -> None:
        self.run_js(SCROLL_TO_ID % js_string(section), self.jumped)

    def jumped(self, scroll_y) -> None:
        self.jump_scroll = int(scroll_y) if isinstance(scroll_y, (int, float)) else None

    def loaded(self, ok: bool) -> None:
        self.loading = False
        self.view.setZoomFactor(self.zoom)
        if ok and self.page.url().fragment():
            self.run_js("Math.round(window.scrollY)", self.jumped)
        if ok and self.pending_words:
            self.run_js(HIGHLIGHT % js_string(highlight_pattern(self.pending_words)),
                        self.report_highlights)
        self.pending_words = []

    def measure_section(self) -> None:
        """Which section is being read. Not while a page loads, and an answer about a page
        since replaced is dropped: the new page's top is not where the reader scrolled to."""
        if self.loading:
            return
        loads = self.loads
        self.run_js(CURRENT_SECTION,
                    lambda found: self.report_section(found) if loads == self.loads else None)

    # Callbacks return None: a Python bool handed back to PySide from a slot can crash it.
    def report_section(self, found) -> None:
        section, _, scroll_y = str(found).rpartition(" ")
        if not scroll_y.isdigit() or int(scroll_y) == self.jump_scroll:
            return
        self.jump_scroll = None
        self.sectionSeen.emit(section)

    def report_highlights(self, count) -> None:
        self.highlighted.emit(int(count or 0))

    def set_zoom(self, factor: float) -> None:
        self.zoom = min(max(factor, ZOOM_STEPS[0]), ZOOM_STEPS[-1])
        self.view.setZoomFactor(self.zoom)
        self.zoomChanged.emit(self.zoom)

    def step_zoom(self, direction: int) -> None:
        steps = [z for z in ZOOM_STEPS
                 if (z > self.zoom + 0.01 if direction > 0 else z < self.zoom - 0.01)]
        if steps:
            self.set_zoom(steps[0] if direction > 0 else steps[-1])

    def show_problems(self, errors: list[Problem]) -> None:
        self.banner.setVisible(bool(errors))
        if errors:
            lines = [f"{p.line}: {p.message}" for p in errors[:5]]
            more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
            self.banner.setText(f"This lesson has problems{more}:\n" + "\n".join(lines))

    def url(self) -> QUrl:
        return self.page.url()
