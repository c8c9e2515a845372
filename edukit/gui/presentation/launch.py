"""F5 and Shift+F5 from the main window: a show of its current module, at once for bundled
lessons and once the worker has rendered the slides for others (the window keeps responding
meanwhile; a second F5 then does nothing). When the show ends the lesson is scrolled to the
slide it reached. The window hands in its session, view and profile; nothing here reaches
into the window."""
from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWebEngineWidgets import QWebEngineView

from ...core.escape import js_string
from ...core.model import Slide
from ..session import Session
from . import HEADINGS_SEEN, SCROLL_TO, heading_for_slide, parse_list, run_js, slide_for_headings
from .controller import Presentation


class ShowStarter(QObject):
    """Starts shows from one lesson view; `presentation` is the running one, if any."""

    def __init__(self, session: Session, view: QWebEngineView, profile,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.session, self.view, self.profile = session, view, profile
        self.presentation: Presentation | None = None
        self.pending = False  # F5 pressed; the slides are still rendering

    def start(self, from_current: bool = False) -> None:
        """A show of the session's module, from the slide the view shows if asked."""
        module = self.session.module
        if module is None or self.presentation is not None or self.pending:
            return
        self.pending = True

        def rendered(deck) -> None:
            self.pending = False
            if self.session.module is not module or not deck.slides:
                return  # the reader moved to another lesson meanwhile, or there is nothing to show
            if from_current:
                run_js(self.view.page(), HEADINGS_SEEN, lambda seen: self.launch(
                    slide_for_headings(parse_list(seen), deck.slides), deck.slides))
            else:
                self.launch(0, deck.slides)
        self.session.when_rendered(module, "slides", rendered)

    def launch(self, start: int, slides: tuple[Slide, ...] | None = None) -> Presentation:
        show = Presentation(self.session, start, self.profile, slides)
        self.presentation = show
        show.ended.connect(lambda index: self.ended(index, show.deck))
        return show

    def end_show(self) -> None:
        """The lesson's window closes: a show of it ends too, even one still waiting to come
        on screen (its windows would outlive the profile their pages use)."""
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
