"""PDF through Chromium: load a print page in the locked-down profile, printToPdf, write atomically.

Used by the command line (`edukit export --format pdf` through edukit.gui.headless, no display
needed) and by the print preview. The page comes from the same scheme handler as the viewer, so it is as locked down.
"""
from __future__ import annotations

import os
import sys
from collections.abc import Callable

from ..core.model import Module
from ..core.options import PrintOptions
from ..core.pdf_meta import Prints, finished_pdf
from ..core.printing import page_margins
from .page_server import PageServer
from .pdf_scripts import CODE_ELEMENTS, LINK_HEADINGS, document_headings, page_elements


def page_layout(options: PrintOptions):
    from PySide6.QtCore import QMarginsF
    from PySide6.QtGui import QPageLayout, QPageSize

    size = QPageSize(QPageSize.PageSizeId.Letter if options.paper == "letter" else QPageSize.PageSizeId.A4)
    orientation = QPageLayout.Orientation.Landscape if options.landscape else QPageLayout.Orientation.Portrait
    # Chromium takes the margins from here, not from CSS @page; the header and footer
    # (CSS margin boxes) are drawn inside them.
    return QPageLayout(size, orientation, QMarginsF(*page_margins(options)),
                       QPageLayout.Unit.Millimeter)


def finished(prints: Prints | None, error: str) -> tuple[bytes, str]:
    """The finished PDF (core/pdf_meta.finished_pdf) and an error ("" if none)."""
    if prints is None:
        return b"", error or "Chromium made an empty PDF"
    pdf, why = finished_pdf(prints)
    untagged(prints.module.id, why)
    return pdf, error


def untagged(module_id: str, why: str) -> None:
    """Say why a PDF is untagged when asked to (EDUKIT_DEBUG): it is not an error."""
    if why and os.environ.get("EDUKIT_DEBUG"):
        print(f"{module_id}: the PDF is not tagged ({why})", file=sys.stderr)


class PdfMaker:
    """Turns modules into PDF bytes with one hidden page. `request` calls back when done (the
    preview); `pdf_bytes` waits for it with a local event loop (the command line)."""

    def __init__(self, pages: PageServer):
        from PySide6.QtWebEngineCore import QWebEnginePage

        from .webview import locked_profile

        self.pages = pages
        self.profile = locked_profile(pages.page, pages.folder, None)
        self.page: QWebEnginePage | None = None
        self._retired: list[QWebEnginePage] = []
        self._job: tuple[int, Module, PrintOptions, Callable[[bytes, str], None]] | None = None
        self._serial = 0

    def fresh_page(self):
        """A new page for each PDF. Chromium's renderer keeps every document a reused page has
        printed (about 65 MB for a teacher guide), so `export --all` or a preview whose options
        change a few times grew past a gigabyte. The old page is deleted one request later:
        this request may be running inside its printToPdf callback."""
        from PySide6.QtWebEngineCore import QWebEnginePage

        self.delete_retired()
        if self.page is not None:
            self.page.loadFinished.disconnect(self._loaded)
            self._retired.append(self.page)
        # A bound method, not a lambda holding the page: that would keep the page alive (a
        # cycle) after the profile, which crashes Chromium later.
        self.page = QWebEnginePage(self.profile)
        self.page.loadFinished.connect(self._loaded)
        return self.page

    def delete_retired(self) -> None:
        import shiboken6

        while self._retired:
            shiboken6.delete(self._retired.pop())

    def request(self, module: Module, options: PrintOptions,
                done: Callable[[bytes, str], None]) -> None:
        """Start making a PDF; `done(pdf, error)` runs later on this thread. One at a time:
        callers wait for `done` before asking again (the preview queues changes)."""
        self.request_prints(module, options, lambda prints, error: done(*finished(prints, error)))

    def request_prints(self, module: Module, options: PrintOptions,
                       done: Callable[[Prints | None, str], None]) -> None:
        """As `request`, but `done(prints, error)` gets Chromium's two prints (None if there
        are none) for the caller to finish (core/pdf_meta.finished_pdf): `export --all` does
        that beside the printing while this maker goes on with the next module."""
        from .webview import module_url

        self._serial += 1
        self._job = (self._serial, module, options, done)
        self.pages.remember(module)
        self.fresh_page().load(module_url(module.id, "print", options.query()))

    def _loaded(self, ok: bool) -> None:
        if self._job is None:
            return
        serial, module, options, _ = self._job
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
        (core/pdf_tags.py)."""
        if not printed:
            self._finish(serial, b"", "")
            return
        self._script(serial, CODE_ELEMENTS, lambda found: self._print(
            serial, options, lambda coded: self._finish(
                serial, printed, "", headings, coded, page_elements(found))))

    def _script(self, serial: int, script: str, then: Callable[[object], None]) -> None:
        """Run one of edukit's scripts in the ApplicationWorld (content scripts stay off)."""
        from PySide6.QtWebEngineCore import QWebEngineScript

        if self._job is not None and self._job[0] == serial:
            self.page.runJavaScript(script, QWebEngineScript.ScriptWorldId.ApplicationWorld, then)

    def _print(self, serial: int, options: PrintOptions, then: Callable[[bytes], None]) -> None:
        if self._job is not None and self._job[0] == serial:  # else superseded by a newer request
            self.page.printToPdf(lambda data: then(bytes(data)), page_layout(options))

    def _finish(self, serial: int, pdf: bytes, error: str, headings=(), coded=b"",
                elements=()) -> None:
        if self._job is None or self._job[0] != serial:
            return  # superseded by a newer request
        _, module, options, done = self._job
        self._job = None
        prints = Prints(pdf, coded, list(elements), list(headings), module, self.pages.school,
                        options.kind) if pdf else None
        done(prints, error)

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
        """Delete the page before its profile, as Qt WebEngine requires."""
        import shiboken6

        self.delete_retired()
        if self.page is not None:
            shiboken6.delete(self.page)
            self.page = None
        shiboken6.delete(self.profile)
