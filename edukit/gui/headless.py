"""Qt jobs with no window, for the command line: PDFs (`edukit export`) and the slide-fit check
(`edukit validate`). Each starts the Qt runtime offscreen and serves pages from a PageServer of
its own; the core never imports this module, the CLI hands these functions to it or calls them."""
from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from ..core.atomic import write_atomic
from ..core.export import ExportIncomplete, ExportOptions
from ..core.library import Library
from ..core.model import Module, Problem, School
from ..core.options import PrintOptions
from ..core.settings import load_preferences
from .measure import SlideMeasurer, module_overflows
from .page_server import PageServer
from .pdf import PdfMaker
from .runtime import headless_application

Progress = Callable[[int, int, str], None]
PDF_TIMEOUT_MS = 30000  # one module's PDF; Chromium is stuck if it takes longer


def export_pdfs(library: Library, school: School, modules: list[Module], options: ExportOptions,
                paths: list[Path], progress: Progress | None = None,
                at_once: int | None = None) -> list[Path]:
    """The CLI's PDF export: offscreen unless a platform was chosen, one file per module.
    Several modules are laid out at once on hidden pages, one per core (each page has its own
    Chromium renderer process), so `export --all` uses the whole machine. A module that fails
    is named in ExportIncomplete at the end; every other one is still written."""
    app = headless_application()
    pages = PageServer(library, school)
    prefs = load_preferences()  # PDFs look as the app prints them
    pages.reading_font, pages.line_spacing = prefs.reading_font, prefs.line_spacing
    if options.kind in SLIDE_KINDS:
        report_fits(pages, modules)
    makers = [PdfMaker(pages) for _ in range(at_once or parallel_pages(len(modules)))]
    try:
        batch = PdfBatch(makers, options.page, options.overwrite, progress)
        written, problems = batch.run(list(zip(modules, paths)))
    finally:
        for maker in makers:
            maker.close()
        app.processEvents()
    if problems:
        raise ExportIncomplete(written, problems)
    return written


def parallel_pages(count: int) -> int:
    """One page per core, at most one per module (and at most 4: each renderer takes memory)."""
    return max(1, min(count, os.cpu_count() or 1, 4))


class PdfBatch:
    """Keeps every maker busy: each takes the next module when its PDF is written. A module
    that fails or times out is a problem line and its maker goes on with the next; Ctrl+C
    starts no new module, lets those running finish, then raises KeyboardInterrupt."""

    def __init__(self, makers: list, options: PrintOptions, overwrite: bool,
                 progress: Progress | None, timeout_ms: int = PDF_TIMEOUT_MS):
        from PySide6.QtCore import QEventLoop

        self.makers, self.options, self.overwrite = makers, options, overwrite
        self.progress, self.timeout_ms = progress, timeout_ms
        self.loop = QEventLoop()
        self.todo: list[tuple[Module, Path]] = []
        self.running: dict[int, object] = {}  # job number -> its timeout timer
        self.written: list[tuple[int, Path]] = []
        self.problems: list[str] = []
        self.cancelled = False
        self.total = 0

    def run(self, jobs: list[tuple[Module, Path]]) -> tuple[list[Path], list[str]]:
        """Written paths (in the order asked) and one line per module that failed."""
        self.todo, self.total = list(enumerate(jobs)), len(jobs)
        with interrupt_sets(self.cancel):
            for maker in self.makers:
                self.start(maker)
            if self.running:
                self.loop.exec()
        if self.cancelled:
            raise KeyboardInterrupt
        return [path for _, path in sorted(self.written)], self.problems

    def cancel(self) -> None:
        self.cancelled = True
        if not self.running:
            self.loop.quit()

    def start(self, maker) -> None:
        from PySide6.QtCore import QTimer

        if self.cancelled or not self.todo:
            if not self.running:
                self.loop.quit()
            return
        number, (module, path) = self.todo.pop(0)
        timer = QTimer(singleShot=True, interval=self.timeout_ms)
        timer.timeout.connect(lambda: self.finish(maker, number, module, path, b"", "timed out"))
        self.running[number] = timer
        timer.start()
        maker.request(module, self.options,
                      lambda pdf, error: self.finish(maker, number, module, path, pdf, error))

    def finish(self, maker, number: int, module: Module, path: Path, pdf: bytes,
               error: str) -> None:
        timer = self.running.pop(number, None)
        if timer is None:
            return  # already timed out (the late PDF is dropped) or already finished
        timer.stop()
        try:
            if error or not pdf:
                raise OSError(f"{module.id}: could not make a PDF ({error or 'empty'})")
            write_atomic(path, pdf, overwrite=self.overwrite)
        except OSError as exc:
            self.problems.append(str(exc) if exc.strerror is None
                                 else f"cannot write {path}: {exc.strerror}")
        else:
            self.written.append((number, path))
            if self.progress:
                self.progress(len(self.written) + len(self.problems), self.total, module.id)
        self.start(maker)


@contextmanager
def interrupt_sets(cancel: Callable[[], None]):
    """While Qt's loop runs, Ctrl+C calls `cancel` (Python sees the signal only when Python
    code runs: a timer wakes it)."""
    from PySide6.QtCore import QTimer

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, lambda *_: cancel())
    wake = QTimer(interval=200)
    wake.timeout.connect(lambda: None)
    wake.start()
    try:
        yield
    finally:
        wake.stop()
        signal.signal(signal.SIGINT, previous)


SLIDE_KINDS = ("slides", "notes", "nup")


def report_fits(pages: PageServer, modules: list[Module]) -> None:
    """Fit every module's slides to the screen before printing them (the page server keeps each
    fit, so the PDF shows what the show shows) and say on stderr which slides changed."""
    from ..core.escape import terminal_text
    from .measure import fit_problems

    measurer = SlideMeasurer(pages)
    try:
        for module in modules:
            try:
                fit, base = measurer.fit(module)
            except OSError as exc:
                print(terminal_text(f"{module.path}: could not measure the slides ({exc})"),
                      file=sys.stderr)
                continue
            for problem in fit_problems(module, base, fit):
                print(terminal_text(str(problem)), file=sys.stderr)
    finally:
        measurer.close()


def overflow_problems(library: Library, school: School, modules: list[Module]) -> list[Problem]:
    """A warning for every slide whose content overflows a 1280x720 screen."""
    app = headless_application()
    measurer = SlideMeasurer(PageServer(library, school))
    problems: list[Problem] = []
    try:
        for module in modules:
            problems += module_overflows(measurer, module)
    finally:
        measurer.close()
        app.processEvents()
    return problems
