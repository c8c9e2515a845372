"""PDF through Chromium: load a print page in the locked-down profile, printToPdf, write atomically.

Used by the command line (`edukit export --format pdf`, no display needed) and by the print
preview. The page comes from the same scheme handler as the viewer, so it is as locked down.
"""
from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from ..core.atomic import write_atomic
from ..core.library import Library
from ..core.model import Module
from ..core.printing import PrintOptions


def page_layout(options: PrintOptions):
    from PySide6.QtCore import QMarginsF
    from PySide6.QtGui import QPageLayout, QPageSize

    size = QPageSize(QPageSize.PageSizeId.Letter if options.paper == "letter" else QPageSize.PageSizeId.A4)
    orientation = QPageLayout.Orientation.Landscape if options.landscape else QPageLayout.Orientation.Portrait
    # Chromium takes the margins from here, not from CSS @page; the header and footer
    # (CSS margin boxes) are drawn inside them.
    return QPageLayout(size, orientation, QMarginsF(14, 16, 14, 18), QPageLayout.Unit.Millimeter)


def print_query(options: PrintOptions) -> str:
    return (f"kind={options.kind}&paper={options.paper}&per_page={options.per_page}"
            f"&large={int(options.large_print)}")


def options_from_query(query: dict[str, str]) -> PrintOptions:
    per_page = int(query.get("per_page", "3")) if query.get("per_page", "3").isdigit() else 3
    return PrintOptions(kind=query.get("kind", "handout"), paper=query.get("paper", "a4"),
                        per_page=per_page, large_print=query.get("large") == "1")


class PdfMaker:
    """Turns modules into PDF bytes with one hidden page; waits with a local event loop."""

    def __init__(self, session):
        from PySide6.QtWebEngineCore import QWebEnginePage

        from .webview import locked_profile

        self.session = session
        self.profile = locked_profile(session.page, session.folder, None)
        self.page = QWebEnginePage(self.profile)

    def pdf_bytes(self, module: Module, options: PrintOptions, timeout_ms: int = 30000) -> bytes:
        from PySide6.QtCore import QEventLoop, QTimer

        from .webview import module_url

        loop, result = QEventLoop(), {}
        self.session.remember(module)

        def loaded(ok: bool) -> None:
            if not ok:
                result["error"] = "the page did not load"
                loop.quit()
                return
            self.page.printToPdf(printed, page_layout(options))

        def printed(data) -> None:
            result["pdf"] = bytes(data)
            loop.quit()

        self.page.loadFinished.connect(loaded)
        QTimer.singleShot(timeout_ms, loop.quit)
        self.page.load(module_url(module.id, "print", print_query(options)))
        loop.exec()
        self.page.loadFinished.disconnect(loaded)
        if not result.get("pdf"):
            raise OSError(f"{module.id}: could not make a PDF ({result.get('error', 'timed out')})")
        return result["pdf"]

    def close(self) -> None:
        """Delete the page before its profile, as Qt WebEngine requires."""
        import shiboken6

        shiboken6.delete(self.page)
        shiboken6.delete(self.profile)


def export_pdfs(library: Library, modules: list[Module], options, paths: list[Path],
                progress: Callable[[int, int, str], None] | None = None) -> list[Path]:
    """The CLI's PDF export: offscreen unless a platform was chosen, one file per module."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from ..core.settings import load_school
    from .app import make_application, quiet_qt_messages
    from .session import Session

    quiet_qt_messages()
    app = make_application()
    session = Session(library, load_school())
    maker = PdfMaker(session)
    print_options = PrintOptions(kind=options.kind, paper=options.paper,
                                 per_page=options.per_page, large_print=options.large_print)
    try:
        for n, (module, path) in enumerate(zip(modules, paths), 1):
            write_atomic(path, maker.pdf_bytes(module, print_options))
            if progress:
                progress(n, len(modules), module.id)
    finally:
        maker.close()
        app.processEvents()
    return paths
