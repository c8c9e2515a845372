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
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import shiboken6
from PySide6.QtCore import QObject, Signal

from ..core.atomic import write_atomic
from ..core.export import ExportIncomplete, ExportOptions
from ..core.library import Library
from ..core.model import Module, Problem, School
from ..core.options import PrintOptions
from ..core.render_cache import RenderCache
from ..core.settings import load_preferences
from .early import EarlyStart
from .page_server import PageServer
from .pdf import PdfMaker, finished
from .runtime import headless_application

if TYPE_CHECKING:  # pikepdf loads on a maker's reader thread while Chromium prints; the thread
    # pools (concurrent.futures) load only for several PDFs, not for one handout
    from concurrent.futures import Executor, Future

    from ..core.pdf_meta import Prints

Progress = Callable[[int, int, str], None]
PDF_TIMEOUT_MS = 30000  # one module's PDF; Chromium is stuck if it takes longer


def export_pdfs(library: Library, school: School, modules: list[Module], options: ExportOptions,
                paths: list[Path], progress: Progress | None = None,
                at_once: int | None = None, started: EarlyStart | None = None) -> list[Path]:
    """The CLI's PDF export: offscreen unless a platform was chosen, one file per module.
    Several modules are laid out at once on hidden pages, one per core (each page has its own
    Chromium renderer process), so `export --all` uses the whole machine. A module that fails
    is named in ExportIncomplete at the end; every other one is still written. `started`:
    Chromium started before the library was read (edukit.gui.early), for the first page."""
    app = started.app if started is not None else headless_application()
    # Print pages kept between runs (core/render_cache.py): a handout printed again from the
    # same lesson, school and helplines is laid out without rendering it again.
    pages = PageServer(library, school, kept=RenderCache.default())
    prefs = load_preferences()  # PDFs look as the app prints them
    pages.reading_font, pages.line_spacing = prefs.reading_font, prefs.line_spacing
    pages.print_listeners.append(TableCheck(prefs.reading_font, prefs.line_spacing))
    if options.kind in SLIDE_KINDS:
        report_fits(pages, modules)
    makers = [PdfMaker(pages, started=started if n == 0 else None)
              for n in range(at_once or parallel_pages(len(modules)))]
    # Several PDFs: each is tagged on a thread while its maker prints the next (tagging on
    # Qt's thread would hold up Chromium, which prints through it). One: nothing to overlap.
    finisher = finisher_thread() if len(modules) > 1 else None
    try:
        batch = PdfBatch(makers, options.page, options.overwrite, progress, finisher=finisher)
        written, problems = batch.run(list(zip(modules, paths)))
    finally:
        if finisher is not None:
            finisher.shutdown(wait=True, cancel_futures=True)
        for maker in makers:
            maker.close()
        if pages.worker is not None:  # a lesson from outside edukit was laid out in it
            pages.worker.stop()
        app.processEvents()
    if problems:
        raise ExportIncomplete(written, problems)
    return written


class TableCheck:
    """Says on stderr which tables of each page printed cannot print whole on its paper (a
    table too wide is printed, but not in silence), reading their sizes from the page itself
    (edukit.core.table_size): a page kept from an earlier run is checked without laying its
    tables out again with Python-Markdown. Each module's page is checked once."""

    def __init__(self, font: str, spacing: str):
        self.font, self.spacing = font, spacing
        self.checked: set[tuple[str, str]] = set()

    def __call__(self, module: Module, options: PrintOptions, page: bytes) -> None:
        from ..core.escape import terminal_text
        from ..core.table_check import page_table_problems

        if (module.id, options.query()) in self.checked:
            return
        self.checked.add((module.id, options.query()))
        problems = page_table_problems(module, page.decode("utf-8", "replace"), options,
                                       self.font, self.spacing)
        if problems is None:  # the page's tables and the lesson's do not pair: measure these
            from ..core.validate import table_width_problems

            problems = table_width_problems(module, options, self.font, self.spacing)
        for problem in problems:
            print(terminal_text(str(problem)), file=sys.stderr)


def end_process(code: int) -> NoReturn:
    """End a command that ran Qt, its work done and written: Qt WebEngine is shut down in
    order (the QApplication deleted: ~5 ms), then the process ends without Python's own
    teardown of every module it loaded (~0.1-0.25 s of a one-handout export's CPU)."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is not None:
        shiboken6.delete(app)
    reap_children()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(code)


def reap_children(limit_s: float = 0.5) -> None:
    """Wait (at most limit_s) for Chromium's renderer processes, told to end as Qt WebEngine
    shut down, to exit, and reap them: none is left behind, not even as a zombie."""
    import time

    if not hasattr(os, "WNOHANG"):
        return  # Windows: an ended child leaves no zombie, and there is no waitpid(-1)
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return  # no children left
        if pid == 0:
            time.sleep(0.002)  # one still exiting


def finish_and_write(prints: Prints, path: Path, overwrite: bool) -> None:
    """On the finisher thread: tag the PDF (gui/pdf.finished: pikepdf loads only when the first
    PDF is finished, and not at all for one kept finished) and write it (its fsyncs no longer
    hold up Qt's thread, which drives Chromium's printing of the next modules)."""
    pdf, _ = finished(prints, "")
    save(prints.module, path, pdf, "", overwrite)


def save(module: Module, path: Path, pdf: bytes, error: str, overwrite: bool) -> None:
    """Write one module's PDF; OSError names the module when there is no PDF to write."""
    if error or not pdf:
        raise OSError(f"{module.id}: could not make a PDF ({error or 'empty'})")
    write_atomic(path, pdf, overwrite=overwrite)


def finisher_thread() -> Executor:
    from concurrent.futures import ThreadPoolExecutor

    return ThreadPoolExecutor(1, "edukit-pdf")


def finisher_outcome(future: Future, module: Module) -> None:
    """The finisher's answer: None once written; OSError if it could not be written or made."""
    try:
        future.result()
    except OSError:
        raise
    except Exception as exc:  # noqa: BLE001 - one module's PDF, named as a problem
        raise OSError(f"{module.id}: could not make a PDF ({str(exc) or type(exc).__name__})"
                      ) from None


def parallel_pages(count: int) -> int:
    """One page per core, at most one per module (and at most 4: each renderer takes memory)."""
    return max(1, min(count, os.cpu_count() or 1, 4))


class Finished(QObject):
    """Tells Qt's thread that the finisher has finished a PDF: `done` is emitted on the
    finisher's thread and delivered (queued) on Qt's. Waking Qt's thread only then, not every
    few milliseconds to look, leaves the finisher the interpreter to itself while it tags."""

    done = Signal()


class PdfBatch:
    """Keeps every maker busy: each takes the next module when its PDF is written (or, with a
    `finisher`, as soon as its prints are made: the finisher tags them meanwhile). A module
    that fails or times out is a problem line and its maker goes on with the next; Ctrl+C
    starts no new module, lets those running finish, then raises KeyboardInterrupt."""

    def __init__(self, makers: list, options: PrintOptions, overwrite: bool,
                 progress: Progress | None, timeout_ms: int = PDF_TIMEOUT_MS,
                 finisher: Executor | None = None):
        from PySide6.QtCore import QEventLoop, Qt

        self.makers, self.options, self.overwrite = makers, options, overwrite
        self.progress, self.timeout_ms, self.finisher = progress, timeout_ms, finisher
        self.loop = QEventLoop()
        self.todo: list[tuple[Module, Path]] = []
        self.running: dict[int, object] = {}  # job number -> its timeout timer
        self.printing: set[int] = set()  # job numbers a maker is still printing
        # PDFs being finished by the finisher: (future, job number, module, path)
        self.finishing: list[tuple[Future, int, Module, Path]] = []
        self.finished = Finished()  # picks finished PDFs up on this thread
        self.finished.done.connect(self.collect, Qt.ConnectionType.QueuedConnection)
        self.waiting: list = []  # makers with nothing to do until the finisher catches up
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
        self.printing.add(number)
        timer.start()
        if self.finisher is None:
            maker.request(module, self.options,
                          lambda pdf, error: self.finish(maker, number, module, path, pdf, error))
        else:
            maker.request_prints(module, self.options, lambda prints, error: self.printed(
                maker, number, module, path, prints, error))

    def printed(self, maker, number: int, module: Module, path: Path, prints: Prints | None,
                error: str) -> None:
        """A maker's prints are made: the finisher tags them while the maker starts on the
        next module (or waits, if as many PDFs as there are makers are still to finish: the
        finisher is behind). The time limit is Chromium's: finishing always ends."""
        if number not in self.printing:
            return  # timed out
        if prints is None:
            self.finish(maker, number, module, path, b"", error or "Chromium made an empty PDF")
            return
        self.printing.discard(number)
        self.running[number].stop()
        future = self.finisher.submit(finish_and_write, prints, path, self.overwrite)
        self.finishing.append((future, number, module, path))
        future.add_done_callback(lambda _: self.finished.done.emit())
        self.waiting.append(maker)
        self.start_waiting()

    def start_waiting(self) -> None:
        while self.waiting and len(self.finishing) <= len(self.makers):
            self.start(self.waiting.pop(0))

    def collect(self) -> None:
        """Count the PDFs the finisher has finished and written (or failed to)."""
        done = [job for job in self.finishing if job[0].done()]
        for job in done:
            self.finishing.remove(job)
            future, number, module, path = job
            self.record(number, module, path, partial(finisher_outcome, future, module))
        if done:
            self.start_waiting()
            if not self.running and (self.cancelled or not self.todo):
                self.loop.quit()

    def finish(self, maker, number: int, module: Module, path: Path, pdf: bytes,
               error: str) -> None:
        """A maker is done with this module: write its PDF, start the maker on the next."""
        self.printing.discard(number)
        self.write(number, module, path, pdf, error)
        self.start(maker)

    def write(self, number: int, module: Module, path: Path, pdf: bytes, error: str) -> None:
        self.record(number, module, path, partial(save, module, path, pdf, error, self.overwrite))

    def record(self, number: int, module: Module, path: Path, saving: Callable[[], None]) -> None:
        """Save a module's PDF (`saving` raises OSError if it could not) and count it."""
        timer = self.running.pop(number, None)
        if timer is None:
            return  # already timed out (the late PDF is dropped) or already finished
        timer.stop()
        try:
            saving()
        except OSError as exc:
            self.problems.append(str(exc) if exc.strerror is None
                                 else f"cannot write {path}: {exc.strerror}")
        else:
            self.written.append((number, path))
            if self.progress:
                self.progress(len(self.written) + len(self.problems), self.total, module.id)


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
    from .measure import SlideMeasurer, fit_problems

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
    from .measure import SlideMeasurer, module_overflows

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
