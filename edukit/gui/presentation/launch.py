"""F5 and Shift+F5 from the main window: a show of its current module, at once for bundled
lessons and once the worker has rendered the slides for others (the window keeps responding
meanwhile; a second F5 then does nothing). From F5 until the show exists (the slides are
fitted or rendered) the keys the show uses are the show's, as they are a moment later while
its first slide paints: Esc calls the show off, the others are handed to it. When the show ends
the lesson is scrolled to the slide it reached. The window hands in its session, view and
profile; nothing here reaches into the window."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWebEngineWidgets import QWebEngineView

from ...core.escape import js_string
from ...core.model import Module, Slide
from ..session import Session
from . import HEADINGS_SEEN, SCROLL_TO, heading_for_slide, parse_list, run_js, slide_for_headings
from .controller import Presentation
from .keys import is_show_key
from .reveal import KeysMeanwhile


@dataclass
class Asked:
    """F5 pressed, the show not made yet: its lesson and the show's keys typed meanwhile."""

    module: Module
    keys: KeysMeanwhile
    typed: list[tuple[int, str]] = field(default_factory=list)


def at_once(then: Callable[[], None]) -> None:
    then()


class ShowStarter(QObject):
    """Starts shows from one lesson view; `presentation` is the running one, if any."""

    def __init__(self, session: Session, view: QWebEngineView, profile,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.session, self.view, self.profile = session, view, profile
        self.presentation: Presentation | None = None
        self.asked: Asked | None = None  # F5 pressed; the slides are still fitted or rendered
        session.moduleChanged.connect(self.forget_asked)

    def start(self, from_current: bool = False,
              prepare: Callable[[Callable[[], None]], None] = at_once) -> None:
        """A show of the session's module, from the slide the view shows if asked, once
        `prepare` (the window's fitting of the slides) calls on."""
        module = self.session.module
        if module is None or self.presentation is not None or self.asked is not None:
            return
        asked = self.asked = Asked(module, KeysMeanwhile(self.typed_before_show, self))

        def rendered(deck) -> None:
            if self.asked is not asked or self.session.module is not module or not deck.slides:
                if self.asked is asked:  # (not called off, nor another lesson's F5 since)
                    self.forget_asked()
                return  # called off, another lesson meanwhile, or nothing to show
            if from_current:
                run_js(self.view.page(), HEADINGS_SEEN, lambda seen: self.launch(
                    slide_for_headings(parse_list(seen), deck.slides), deck.slides, asked))
            else:
                self.launch(0, deck.slides, asked)
        prepare(lambda: self.session.when_rendered(module, "slides", rendered))

    def typed_before_show(self, event: QKeyEvent) -> bool:
        """A key typed between F5 and the show: Esc calls the show off; the show's other keys
        are kept for it; the rest are the window's."""
        if self.asked is None or not is_show_key(event.key(), event.text()):
            return False
        if event.key() == Qt.Key.Key_Escape:
            self.forget_asked()
        else:
            self.asked.typed.append((event.key(), event.text()))
        return True

    def forget_asked(self, *_args) -> None:
        """No show is waiting to be made any more (Esc, another lesson, the window closing)."""
        if self.asked is not None:
            self.asked.keys.stop()
            self.asked = None

    def launch(self, start: int, slides: tuple[Slide, ...] | None = None,
               asked: Asked | None = None) -> Presentation | None:
        """The show, given the keys typed since F5; none if it was called off meanwhile."""
        if asked is not None:
            if self.asked is not asked:
                return None
            self.forget_asked()
        show = Presentation(self.session, start, self.profile, slides)
        self.presentation = show
        show.ended.connect(lambda index: self.ended(index, show.deck))
        for key, text in asked.typed if asked is not None else ():
            show.typed(key, text)
        return show

    def end_show(self) -> None:
        """The lesson's window closes: a show of it ends too, even one still waiting to come
        on screen (its windows would outlive the profile their pages use), or to be made."""
        self.forget_asked()
        if self.presentation is not None:
            self.presentation.end()

    def ended(self, index: int, slides) -> None:
        self.presentation = None
        self.return_to_lesson(index, slides)

    def return_to_lesson(self, index: int, slides) -> None:
        """Bring the lesson's window back scrolled to the slide's section (of the slides
        shown: the lesson may have changed on disk meanwhile, and its new slides would have
        to be rendered first)."""
        window = self.view.window()
        window.activateWindow()
        window.raise_()
        self.view.setFocus()  # arrow keys scroll the lesson, as before the show
        want, nth = heading_for_slide(index, slides)
        run_js(self.view.page(), SCROLL_TO % (js_string(want), nth), lambda _: None)
