"""Does every slide fit the screen? Loads a module's slides page offscreen at a projector size and
compares each slide's content with its box, via runJavaScript in the ApplicationWorld (content
JavaScript stays off). Used by `edukit validate` (through edukit.gui.headless) and the presentation tests."""
from __future__ import annotations

import json
from dataclasses import dataclass

from ..core.model import ContentError, Module, Problem
from .page_server import PageServer

CHECK_SIZE = (1280, 720)
# (A JSON string: PySide turns nested arrays from JavaScript into ''.)
# Shows each slide in turn (the .current class does what :target does) and measures it.
MEASURE_SLIDES = """JSON.stringify([...document.querySelectorAll('.slide')].map(s => {
  s.classList.add('current');
  const m = [s.scrollHeight, s.clientHeight, s.scrollWidth, s.clientWidth];
  s.classList.remove('current');
  return m;
}))"""


@dataclass(frozen=True)
class Fit:
    """One slide measured: its content's size against its box's, in CSS pixels."""

    index: int
    content_height: int
    box_height: int
    content_width: int
    box_width: int

    @property
    def overflows(self) -> bool:
        return self.content_height > self.box_height + 1 or self.content_width > self.box_width + 1


class SlideMeasurer:
    """One hidden web view at a fixed size, reused for every module measured."""

    def __init__(self, pages: PageServer, size: tuple[int, int] = CHECK_SIZE):
        from PySide6.QtCore import Qt
        from PySide6.QtWebEngineWidgets import QWebEngineView

        from .webview import LessonPage, locked_profile

        self.pages = pages
        self.view = QWebEngineView()
        self.profile = locked_profile(pages.page, pages.folder, None)
        self.view.setPage(LessonPage(self.profile, self.view))
        self.view.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
        self.view.resize(*size)
        self.view.show()

    def resize(self, width: int, height: int) -> None:
        self.view.resize(width, height)

    def measure(self, module: Module, timeout_ms: int = 20000) -> list[Fit]:
        """Every slide of the module at the view's size; raises OSError if it will not load."""
        from .webview import module_url

        self.pages.remember(module)
        if not wait_for(self.view.loadFinished, lambda: self.view.load(module_url(module.id, "slides")),
                        timeout_ms):
            raise OSError(f"{module.id}: the slides did not load")
        return self.measure_loaded(timeout_ms)

    def measure_loaded(self, timeout_ms: int = 20000) -> list[Fit]:
        """Measure the page already loaded (after a resize, say)."""
        from PySide6.QtWebEngineCore import QWebEngineScript

        box: list = []

        def start() -> None:
            self.view.page().runJavaScript(MEASURE_SLIDES,
                                           QWebEngineScript.ScriptWorldId.ApplicationWorld, box.append)
        if not wait_for(None, start, timeout_ms, done=lambda: bool(box)) or not isinstance(box[0], str):
            raise OSError("could not measure the slides")
        return [Fit(n, *(int(v) for v in row)) for n, row in enumerate(json.loads(box[0]))]

    def close(self) -> None:
        """Delete the page before its profile, as Qt WebEngine requires."""
        import shiboken6

        shiboken6.delete(self.view)
        shiboken6.delete(self.profile)


def wait_for(signal, start, timeout_ms: int, done=None) -> bool:
    """Run start() and wait (in a local event loop) for the signal, or for done() to be true."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop, fired = QEventLoop(), []

    def finish(*args) -> None:
        fired.append(args)
        loop.quit()
    if signal is not None:
        signal.connect(finish)
    poll = QTimer()
    if done is not None:
        poll.timeout.connect(lambda: done() and finish())
        poll.start(5)
    QTimer.singleShot(timeout_ms, loop.quit)
    start()
    if not (done and done()):
        loop.exec()
    poll.stop()
    if signal is not None:
        signal.disconnect(finish)
    return bool(fired) or bool(done and done())


def slide_line(module: Module, index: int) -> int:
    """The file line where slide `index` starts (the title slide starts at the body)."""
    from ..core.markdown.slides import split_slides
    from ..core.render import body_lines

    lines = body_lines(module)
    added = len(lines) - len(module.body.split("\n"))  # a "# Title" put in front, if any
    sources = split_slides("\n".join(lines))
    return module.body_line + max(0, sources[index].line - added) if index < len(sources) else module.body_line


def module_overflows(measurer: SlideMeasurer, module: Module) -> list[Problem]:
    try:
        fits = measurer.measure(module)
        slides = measurer.pages.rendered(module, "slides").slides
    except (OSError, ValueError, ContentError) as exc:  # reported by the other checks too
        return [Problem(str(module.path), module.body_line, "warning",
                        f"could not measure the slides ({exc})")]
    width, height = CHECK_SIZE
    return [Problem(str(module.path), slide_line(module, f.index), "warning",
                    f"slide {f.index + 1} '{slides[f.index].title}' does not fit a {width}x{height} "
                    f"screen (its content is {100 * f.content_height // max(1, f.box_height)}% of the "
                    f"slide's height); shorten it or split it with a '##' heading")
            for f in fits if f.overflows]
