"""PdfMaker: a print page loaded in the locked-down profile and printed twice (the first print
handed on to be shown), and the PDF finished inline, on the reader thread or from kept data."""
from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from ...core.model import Module
from ...core.options import PrintOptions
from ...core.printing import page_margins
from ..early import SPARE_URL, EarlyStart
from ..page_server import PageServer
from ..pdf_scripts import CODE_ELEMENTS, LINK_HEADINGS, document_headings, page_elements
from . import reader
from .reprint import KeptPrint, read_against

if TYPE_CHECKING:  # (concurrent.futures loads only if a thread or a future is used)
    from concurrent.futures import Future

    from ...core.pdf_prints import Prints

Shown = Callable[[bytes], None]


class PdfJob(NamedTuple):
    """One request to a maker; a later request (a newer serial) supersedes it."""

    serial: int
    module: Module
    options: PrintOptions
    done: Callable
    shown: Shown | None
    read_early: bool
    kept: KeptPrint  # what the render cache keeps for its print page, and keeps it there


TAG_POLL_MS = 10  # how often a window's maker looks whether the reader thread has tagged its PDF


def page_layout(options: PrintOptions):
    from PySide6.QtCore import QMarginsF
    from PySide6.QtGui import QPageLayout, QPageSize

    size = QPageSize(QPageSize.PageSizeId.Letter if options.paper == "letter" else QPageSize.PageSizeId.A4)
    orientation = QPageLayout.Orientation.Landscape if options.landscape else QPageLayout.Orientation.Portrait
    # Chromium takes the margins from here, not from CSS @page; the header and footer
    # (CSS margin boxes) are drawn inside them.
    return QPageLayout(size, orientation, QMarginsF(*page_margins(options)),
                       QPageLayout.Unit.Millimeter)


class PdfMaker:
    """Turns modules into PDF bytes with one hidden page. `request` calls back when done (the
    preview); `pdf_bytes` waits for it with a local event loop (the command line).

    A tagged PDF takes two prints of the page (core/pdf_tags/). While Chromium makes the
    second, a thread of this maker reads the first for tagging, and the caller may show the
    first (`shown`): its pages are the ones the finished PDF has. Two pages printing at once
    (each in its own renderer) were measured slower on 2 cores than one after the other:
    a second renderer process costs more than the second print.

    With `spare`, a page waits, its renderer process started, for the next request (the
    preview's next options): a fresh page otherwise starts its renderer when asked (~0.1-0.2 s
    of each PDF in the app).

    With `tags_aside` (a window's maker), `request` tags on the reader thread, not on the
    window's: tagging a staff guide takes ~0.5 s, which froze the print preview after its pages
    had shown. The window's thread looks for the result with a timer of this maker's (no
    callback runs on the reader thread: one holding a Qt object could let it go there, and a
    Qt object deleted off its thread crashed the app's event loop)."""

    def __init__(self, pages: PageServer, spare: bool = False, tags_aside: bool = False,
                 started: EarlyStart | None = None):
        from PySide6.QtWebEngineCore import QWebEnginePage

        from ..webview import locked_profile

        self.pages = pages
        self.page: QWebEnginePage | None = None
        self._retired: list[QWebEnginePage] = []
        self._job: PdfJob | None = None
        self._serial = 0
        self._reading: Future | None = None  # the first print being read (reader_thread)
        self._importing = False  # pikepdf's import has been asked of the reader thread
        self.keeps_spare = spare
        self._spare: QWebEnginePage | None = None
        self._url = None  # the QUrl of the print page being loaded
        self._asked_again = False  # it was asked for again (_loading)
        self.tags_aside = tags_aside
        self._tagging: reader.Tagging | None = None  # the PDF being tagged on the reader thread
        self._poll = None  # the QTimer that looks for it (made when first needed)
        self.closed = False
        if started is None:
            self.profile = locked_profile(pages.page, pages.folder, None)
        else:  # its profile serves `pages`; its spare page is this maker's first page
            started.server = pages
            self.profile, self._spare = started.adopt()
        pages.print_listeners.append(self._served)  # removed by close()

    def fresh_page(self):
        """A new page for each PDF. Chromium's renderer keeps every document a reused page has
        printed (about 65 MB for a teacher guide), so `export --all` or a preview whose options
        change a few times grew past a gigabyte. The old page is deleted one request later:
        this request may be running inside its printToPdf callback."""
        from PySide6.QtWebEngineCore import QWebEnginePage

        self.delete_retired()
        if self.page is not None:
            self.page.loadingChanged.disconnect(self._loading)
            self._retired.append(self.page)
        spare, self._spare = self._spare, None
        # A spare still loading SPARE_URL is sent to the print page all the same: its renderer
        # process is started or starting, and the print page's load replaces the stylesheet's
        # (waiting for that load to finish first cost a one-handout export ~0.04 s).
        self.page = spare if spare is not None else QWebEnginePage(self.profile)
        # A bound method, not a lambda holding the page: that would keep the page alive (a
        # cycle) after the profile, which crashes Chromium later.
        self.page.loadingChanged.connect(self._loading)
        return self.page

    def keep_spare(self) -> None:
        """A spare for the next request, if this maker keeps one and is still open. Made once
        the PDF is handed on, not before: it cost the PDF ~7 ms of this thread (with the
        tagging, ~7 ms more of the interpreter). A request made by `done` itself loses
        nothing: a spare made then would have started its renderer no sooner."""
        if self.keeps_spare and not self.closed:
            self.make_spare()

    def make_spare(self) -> None:
        """A page for the next request, its renderer process started now (SPARE_URL)."""
        from PySide6.QtCore import QUrl
        from PySide6.QtWebEngineCore import QWebEnginePage

        if self._spare is None:
            self._spare = QWebEnginePage(self.profile)
            self._spare.load(QUrl(SPARE_URL))

    def _loading(self, info) -> None:
        """The print page's load has ended: `_loaded`. The end of another load of this page
        (a spare's SPARE_URL, finished or cut short by the print page) is not the print
        page's; but a spare's load that finishes after the print page was asked for means
        Chromium let it finish and dropped the print page's (seen under load, ~1 in 40 spares
        taken while loading): the print page is asked for again, once."""
        from PySide6.QtWebEngineCore import QWebEngineLoadingInfo

        status = info.status()
        if status == QWebEngineLoadingInfo.LoadStatus.LoadStartedStatus or self._job is None:
            return
        if info.url() == self._url:
            self._loaded(status == QWebEngineLoadingInfo.LoadStatus.LoadSucceededStatus)
        elif status == QWebEngineLoadingInfo.LoadStatus.LoadSucceededStatus \
                and info.url().toString() == SPARE_URL and not self._asked_again:
            self._asked_again = True
            self.page.load(self._url)

    def delete_retired(self) -> None:
        import shiboken6

        while self._retired:
            shiboken6.delete(self._retired.pop())

    def request(self, module: Module, options: PrintOptions,
                done: Callable[[bytes, str], None], shown: Shown | None = None) -> None:
        """Start making a PDF; `done(pdf, error)` runs later on this thread. One at a time:
        callers wait for `done` before asking again (the preview queues changes). `shown`, if
        given, gets the first print (untagged, the same pages) as soon as Chromium has made
        it, before the second print and the tagging: the preview shows it meanwhile. With
        `tags_aside`, the tagging runs on the reader thread (`_tag_aside`)."""
        if self.tags_aside:
            self.request_prints(module, options, lambda prints, error: self._tag_aside(
                prints, error, done), shown, read_early=True)
        else:
            self.request_prints(module, options, lambda prints, error: done(
                *reader.finished(prints, error)), shown, read_early=True)

    def _tag_aside(self, prints: Prints | None, error: str,
                   done: Callable[[bytes, str], None]) -> None:
        """Tag the current request's prints on the reader thread (tag_aside: only plain data
        goes there and back); `_collect_tagging` hands the PDF to `done` on this thread. A PDF
        kept finished from an earlier print has nothing left to tag: it is handed on now (this
        runs from the event loop, after the pages were shown: `_finish_after_show`), not at
        the poll's next look (~10-20 ms later)."""
        self.drop_tagging()
        if prints is None or prints.finished:
            done(*reader.finished(prints, error))
            self.keep_spare()
            return
        future = reader.reader_thread().submit(reader.tag_aside, prints, error)
        self._tagging = reader.Tagging(self._serial, future, done)
        self.tagging_poll().start()

    def tagging_poll(self):
        """The timer that looks for the tagged PDF, on this thread. Its parent is the
        application, which outlives every maker and is not let go on another thread; close()
        stops it and has Qt delete it from the event loop (close() may be called from `done`,
        inside the timer's own timeout)."""
        from PySide6.QtCore import QCoreApplication, QTimer

        if self._poll is None:
            self._poll = QTimer(QCoreApplication.instance(), interval=TAG_POLL_MS)
            self._poll.timeout.connect(self._collect_tagging)  # held weakly by PySide
        return self._poll

    def _collect_tagging(self) -> None:
        """Hand a tagged PDF on, if it is ready and still the one asked for: not once a newer
        request was made or the maker closed (close() drops it)."""
        tagging = self._tagging
        if tagging is not None and not tagging.future.done():
            return
        self._poll.stop()
        self._tagging = None
        if tagging is None or tagging.serial != self._serial:
            return
        try:
            pdf, error = tagging.future.result()
        except Exception as exc:  # noqa: BLE001 - said as the preview says any failure
            pdf, error = b"", f"the PDF could not be finished ({exc or type(exc).__name__})"
        tagging.done(pdf, error)
        self.keep_spare()

    def drop_tagging(self) -> None:
        """Forget a PDF being tagged: it is not handed on (not tagged, if not begun)."""
        if self._tagging is not None:
            self._tagging.future.cancel()
            self._tagging = None

    def request_prints(self, module: Module, options: PrintOptions,
                       done: Callable[[Prints | None, str], None],
                       shown: Shown | None = None, read_early: bool = False) -> None:
        """As `request`, but `done(prints, error)` gets Chromium's two prints (None if there
        are none) for the caller to finish (core/pdf_meta.finished_pdf): `export --all` does
        that beside the printing while this maker goes on with the next module. With
        `read_early`, the first print is read on this maker's thread during the second print:
        worth it when nothing else runs Python meanwhile (one PDF); `export --all` renders the
        next page then, and a third thread taking turns at the interpreter slows both."""
        from ..webview import module_url

        self._serial += 1
        self._job = PdfJob(self._serial, module, options, done, shown, read_early,
                           KeptPrint.of(self.pages, module, options))
        self.pages.remember(module)
        self.fresh_page()
        self._url, self._asked_again = module_url(module.id, "print", options.query()), False
        self.page.load(self._url)

    def _served(self, module: Module, _options: PrintOptions, _page: bytes) -> None:
        """This maker's print page has been served: Chromium now lays it out in its renderer
        process, and the reader thread imports pikepdf and the tagging meanwhile (imported
        only once the page had loaded, a reprint's first print, ~0.05 s, was made before it
        was done, and its tagging waited for it)."""
        if self._job is not None and self._job.module.id == module.id:
            self.start_loading_tagging()

    def start_loading_tagging(self) -> None:
        """Not for a reprint that a kept finished PDF may well finish (`reprint`): it needs
        no pikepdf (if the print turns out to differ, pikepdf loads when it is first read)."""
        if self._job.read_early and self._job.kept.pdf is None \
                and "pikepdf" not in sys.modules and not self._importing:
            self._importing = True
            reader.reader_thread().submit(reader.load_tagging)

    def _loaded(self, ok: bool) -> None:
        if self._job is None:
            return
        serial, module, options = self._job.serial, self._job.module, self._job.options
        if ok:
            self.start_loading_tagging()  # if not begun when the page was served
        if not ok:
            self._finish(serial, b"", "it took too long to lay out; the file may be damaged"
                         if self.pages.overran(module) else "the page did not load")
            return
        self._script(serial, LINK_HEADINGS, lambda found: self._print(
            serial, options, lambda printed: self._print_coded(
                serial, options, printed, document_headings(found))))

    def _print_coded(self, serial: int, options: PrintOptions, printed: bytes,
                     headings: list) -> None:
        """The second print, each element's text in its own colour, to tag the first
        (core/pdf_tags/); meanwhile the first is read on the reader thread and shown. A
        reprint of a kept page whose first print is the one tagged before is tagged from what
        that second print told (kept_tags): there is no second print."""
        from PySide6.QtCore import QTimer

        if not printed or not self._asked(serial):
            self._finish(serial, b"", "")
            return
        if self._job.shown is not None:
            QTimer.singleShot(0, lambda: self._show(serial, printed))
        pdf = self._job.kept.reprint(printed, headings)
        if pdf is not None:
            self._finish_after_show(serial, printed, "", headings, finished=pdf)
            return
        reading = None
        kept = self._job.kept.kept_tags()
        if kept is not None:
            reading, plans = read_against(printed, kept, self._job.read_early)
            if plans is not None:
                self._finish_after_show(serial, printed, "", headings, b"", kept.elements,
                                        reading, plans)
                return
        if reading is None and self._job.read_early:
            reading = reader.reader_thread().submit(reader.read_first_print, printed, True)
        self._reading = reading
        self._script(serial, CODE_ELEMENTS, lambda found: self._print(
            serial, options, lambda coded: self._finish(
                serial, printed, "", headings, coded, page_elements(found), reading)))

    def _finish_after_show(self, serial: int, *prints, **more) -> None:
        """`_finish` from the event loop, after `_show` (asked for before it): finished at once
        from kept data, a request still shows its first print first (finished before, it was
        no longer the one asked for, and the preview never showed its pages), and `done` does
        not run inside Chromium's print callback."""
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, lambda: self._finish(serial, *prints, **more))

    def _show(self, serial: int, printed: bytes) -> None:
        """Hand the first print to `shown` from the event loop, not from inside Chromium's
        print callback (a dialog closed there would delete the page under it); not at all
        once the request is superseded or the maker closed."""
        if self._asked(serial):
            self._job.shown(printed)

    def _script(self, serial: int, script: str, then: Callable[[object], None]) -> None:
        """Run one of edukit's scripts in the ApplicationWorld (content scripts stay off)."""
        from PySide6.QtWebEngineCore import QWebEngineScript

        if self._asked(serial) and self.page is not None:
            self.page.runJavaScript(script, QWebEngineScript.ScriptWorldId.ApplicationWorld, then)

    def _print(self, serial: int, options: PrintOptions, then: Callable[[bytes], None]) -> None:
        if self._asked(serial) and self.page is not None:
            # (else superseded by a newer request, or the maker closed)
            self.page.printToPdf(lambda data: then(bytes(data)), page_layout(options))

    def _finish(self, serial: int, pdf: bytes, error: str, headings=(), coded=b"",
                elements=(), reading: Future | None = None, plans=None,
                finished: bytes = b"") -> None:
        """Hand the prints on (`finished`: the kept finished PDF, `reprint`, stands for them)."""
        from ...core.pdf_prints import Prints

        if not self._asked(serial):
            return  # superseded by a newer request
        job, self._job = self._job, None
        self._reading = None  # handed over with the prints: close() no longer cancels it
        prints = Prints(pdf, coded, list(elements), list(headings), job.module, self.pages.school,
                        job.options.kind, reading, plans,
                        None if plans is not None else job.kept.keeper(), finished,
                        None if finished else job.kept.finished_keeper(pdf, headings)
                        ) if pdf else None
        job.done(prints, error)
        if not self.tags_aside:  # (else once the PDF is tagged and handed on: _collect_tagging)
            self.keep_spare()

    def _asked(self, serial: int) -> bool:
        """Whether request `serial` is still the one asked for (not superseded or closed)."""
        return self._job is not None and self._job.serial == serial

    def pdf_bytes(self, module: Module, options: PrintOptions, timeout_ms: int = 30000) -> bytes:
        from PySide6.QtCore import QEventLoop, QTimer

        loop, result = QEventLoop(), {}

        def done(pdf: bytes, error: str) -> None:
            result.update(pdf=pdf, error=error)
            loop.quit()

        self.request(module, options, done)
        QTimer.singleShot(timeout_ms, loop.quit)
        if "pdf" not in result:
            loop.exec()
        if not result.get("pdf"):
            self._job = None
            raise OSError(f"{module.id}: could not make a PDF ({result.get('error') or 'timed out'})")
        return result["pdf"]

    def close(self) -> None:
        """Delete the page before its profile, as Qt WebEngine requires; the first print of a
        request not yet done is not read if its reading has not begun (one being read is read,
        then dropped). A done request's reading went with its prints: it is left to finish, and
        a PDF being tagged from them is dropped (finished on the reader thread, not handed on)."""
        import shiboken6

        self._job = None  # Chromium answers pending scripts and prints as the page goes
        self.closed = True
        self.drop_tagging()
        if self._poll is not None:
            poll, self._poll = self._poll, None
            poll.stop()
            poll.timeout.disconnect(self._collect_tagging)
            poll.deleteLater()
        if self._served in self.pages.print_listeners:
            self.pages.print_listeners.remove(self._served)
        if self._reading is not None:
            self._reading.cancel()
            self._reading = None
        self.delete_retired()
        if self._spare is not None:
            spare, self._spare = self._spare, None
            shiboken6.delete(spare)
        if self.page is not None:
            page, self.page = self.page, None
            shiboken6.delete(page)
        shiboken6.delete(self.profile)
