"""Does every slide fit the screen? Loads a module's slides page offscreen at a projector size and
compares each slide's content with its box, via runJavaScript in the ApplicationWorld (content
JavaScript stays off). Used by `edukit validate` (through edukit.gui.headless) and the presentation tests."""
from __future__ import annotations

import json
from dataclasses import dataclass

from ..core.model import ContentError, Module, Problem
from ..core.slide_fit import MIN_TYPE_SCALE, Measured, SlideFit, fit_slides, refine
from .page_server import PageServer, fit_key

CHECK_SIZE = (1280, 720)
# (A JSON string: PySide turns nested arrays from JavaScript into ''.)
# Shows each slide in turn (the .current class does what :target does) and measures it.
MEASURE_SLIDES = """JSON.stringify([...document.querySelectorAll('.slide')].map(s => {
  s.classList.add('current');
  const m = [s.scrollHeight, s.clientHeight, s.scrollWidth, s.clientWidth];
  s.classList.remove('current');
  return m;
}))"""


# Each slide shown in turn, its content set from the top (a vertically centred slide that
# overflows would hide its top), and the bottom of each unit measured from the top of the
# slide's content box: [box height, too wide (0/1), type / normal type, bottom, ...]. A list counts as its
# items and a box (not the help box) as its parts, at any depth, as
# edukit.core.slide_fit.slide_units counts; a unit last in its box ends where the box ends.
MEASURE_BLOCKS = """JSON.stringify([...document.querySelectorAll('.slide')].map(s => {
  s.classList.add('current');
  const align = s.style.justifyContent;
  s.style.justifyContent = 'flex-start';
  const cs = getComputedStyle(s);
  const padTop = parseFloat(cs.paddingTop) + parseFloat(cs.borderTopWidth);
  const top = s.getBoundingClientRect().top + padTop;
  const height = s.clientHeight - parseFloat(cs.paddingTop) - parseFloat(cs.paddingBottom);
  const only = c => [...c.childNodes].every(n => n.nodeType !== 3 || !n.textContent.trim());
  const list = c => (c.tagName === 'UL' || c.tagName === 'OL') && c.children.length &&
      [...c.children].every(i => i.tagName === 'LI');
  const box = c => c.tagName === 'DIV' && c.classList.contains('block') &&
      !c.classList.contains('routes') && c.children.length && only(c);
  const open = c => list(c) ? [...c.children] :
      box(c) ? [...c.children].flatMap(open) : [c];
  const units = [...s.children].flatMap(open);
  const below = c => c.getBoundingClientRect().bottom + parseFloat(getComputedStyle(c).marginBottom);
  const bottom = c => {
    let b = below(c);
    for (let e = c; e.parentElement !== s && e === e.parentElement.lastElementChild;
         e = e.parentElement) b = Math.max(b, below(e.parentElement));
    return b - top;
  };
  const bottoms = units.map(bottom);
  const wide = s.scrollWidth > s.clientWidth + 1 ? 1 : 0;
  const scale = parseFloat(cs.fontSize) / parseFloat(getComputedStyle(document.documentElement).fontSize);
  s.style.justifyContent = align;
  s.classList.remove('current');
  return [height, wide, scale, ...bottoms];
}))"""
FONTS_LOADED = "document.fonts.status === 'loaded'"
MAX_FIT_ROUNDS = 48  # each round plans one more part of every slide still wrong: a list of ten
# questions in a wide font may need a slide for each, and a part set larger may need a second cut


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
        self.load_slides(module, timeout_ms)
        return self.measure_loaded(timeout_ms)

    def load_slides(self, module: Module, timeout_ms: int) -> None:
        from .webview import module_url

        self.pages.remember(module)
        if not wait_for(self.view.loadFinished, lambda: self.view.load(module_url(module.id, "slides")),
                        timeout_ms):
            raise OSError(f"{module.id}: the slides did not load")
        self.wait_for_fonts(timeout_ms)

    def wait_for_fonts(self, timeout_ms: int) -> None:
        """Wait until the page's fonts have loaded: a slide measured in the fallback face while
        OpenDyslexic is still loading is cut in the wrong places (seen on a loaded machine)."""
        for _ in range(max(1, timeout_ms // 50)):
            if self.fonts_loaded():
                return
            wait_for(None, lambda: None, 50)

    def fonts_loaded(self) -> bool:
        from PySide6.QtWebEngineCore import QWebEngineScript

        answer: list = []
        self.view.page().runJavaScript(FONTS_LOADED, QWebEngineScript.ScriptWorldId.ApplicationWorld,
                                       answer.append)
        wait_for(None, lambda: None, 2000, done=lambda: bool(answer))
        return bool(answer) and answer[0] is True

    def measure_loaded(self, timeout_ms: int = 20000) -> list[Fit]:
        """Measure the page already loaded (after a resize, say)."""
        rows = self.run_measure(MEASURE_SLIDES, timeout_ms)
        return [Fit(n, *(int(v) for v in row)) for n, row in enumerate(rows)]

    def measure_blocks(self, module: Module, timeout_ms: int = 20000) -> list[Measured]:
        """Every slide's top-level blocks as laid out at the view's size."""
        self.load_slides(module, timeout_ms)
        return [Measured(tuple(float(b) for b in row[3:]), float(row[0]), bool(row[1]), float(row[2]))
                for row in self.run_measure(MEASURE_BLOCKS, timeout_ms)]

    def run_measure(self, script: str, timeout_ms: int) -> list:
        """Run one of the measuring scripts in the ApplicationWorld (the page's own scripts
        cannot answer for it) and read back the rows it reports as JSON."""
        from PySide6.QtWebEngineCore import QWebEngineScript

        box: list = []

        def start() -> None:
            self.view.page().runJavaScript(script, QWebEngineScript.ScriptWorldId.ApplicationWorld,
                                           box.append)
        if not wait_for(None, start, timeout_ms, done=lambda: bool(box)) or not isinstance(box[0], str):
            raise OSError("could not measure the slides")
        return json.loads(box[0])

    def fit(self, module: Module) -> tuple[SlideFit, tuple]:
        """Cut and shrink the module's slides until each fits (or no more can be done); the
        session keeps the result, so the app, the show and every PDF use it."""
        pages = self.pages
        pages.set_fit(module, None)
        base = pages.rendered(module, "slides").slides
        fit = SlideFit()
        for _ in range(MAX_FIT_ROUNDS):
            measured = self.measure_blocks(module)
            shown, parts = fit_slides(base, fit)
            if len(measured) != len(shown):
                break
            better = refine(fit, shown, parts, measured)
            if better == fit:
                break
            fit = better
            pages.set_fit(module, fit)
        pages.set_fit(module, fit or None)
        pages.measured.add(fit_key(module))
        return fit, base

    def close(self) -> None:
        """Delete the page before its profile, as Qt WebEngine requires."""
        import shiboken6

        shiboken6.delete(self.view)
        shiboken6.delete(self.profile)


def fit_now(pages: PageServer, module: Module) -> None:
    """Fit a lesson's slides to the screen before they are shown or printed (once per text of
    the lesson); a lesson that cannot be measured is shown as written."""
    if fit_key(module) in pages.measured:
        return
    measurer = SlideMeasurer(pages)
    try:
        measurer.fit(module)
    except (OSError, ValueError, ContentError):
        pages.measured.add(fit_key(module))
    finally:
        measurer.close()


def fit_slides_then(session, then) -> None:
    """Fit the current lesson's slides once they are rendered, then call then() (at once for a
    lesson already measured or rendered; later, from the event loop, for one the worker renders).
    A second call while one waits does nothing."""
    module, pages = session.module, session.pages
    if module is None or fit_key(module) in pages.measured:
        then()
        return
    if pages.fitting == fit_key(module):
        return
    pages.fitting = fit_key(module)

    def rendered(_slides) -> None:
        pages.fitting = None
        if session.module is module:
            fit_now(pages, module)
            then()
    pages.when_rendered(module, "slides", rendered)


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
    from ..core.render import body_lines, slide_sources

    lines = body_lines(module)
    added = len(lines) - len(module.body.split("\n"))  # a "# Title" put in front, if any
    sources = slide_sources(module)
    return module.body_line + max(0, sources[index].line - added) if index < len(sources) else module.body_line


def module_overflows(measurer: SlideMeasurer, module: Module) -> list[Problem]:
    """One warning for each slide that had to be continued or set smaller, and for each that
    still does not fit after that."""
    try:
        fit, base = measurer.fit(module)
        fits = measurer.measure(module)
        slides = measurer.pages.rendered(module, "slides").slides
    except (OSError, ValueError, ContentError) as exc:  # reported by the other checks too
        return [Problem(str(module.path), module.body_line, "warning",
                        f"could not measure the slides ({exc})")]
    return fit_problems(module, base, fit) + [
        Problem(str(module.path), slide_line(module, f.index), "warning",
                f"slide {f.index + 1} '{slides[f.index].title}' still does not fit a "
                f"{CHECK_SIZE[0]}x{CHECK_SIZE[1]} screen (its content is "
                f"{100 * f.content_height // max(1, f.box_height)}% of the slide's height); "
                "shorten it or split it with a '##' heading")
        for f in fits if f.overflows]


def fit_problems(module: Module, base, fit: SlideFit) -> list[Problem]:
    """`path:line: warning: slide N 'Title' ...` for each slide fitting changed."""
    width, height = CHECK_SIZE
    problems = []
    for s in base:
        extra = len(fit.breaks_of(s.index))
        what = []
        if extra:
            what.append(f"continued on {extra} more slide{'s' if extra > 1 else ''}")
        if fit.is_shrunk(s.index):
            what.append(f"set in smaller type (down to {round(MIN_TYPE_SCALE * 100)}%)")
        if what:
            problems.append(Problem(str(module.path), slide_line(module, s.index), "warning",
                                    f"slide {s.index + 1} '{s.title}' does not fit a "
                                    f"{width}x{height} screen: {' and '.join(what)}"))
    return problems
