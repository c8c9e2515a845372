"""Chromium started before `edukit export` reads the library (edukit.cli.cmd_export).

A print waits for Chromium's renderer process to start (~0.1 s on another core) before it can
lay its page out, and before that for the Python work of reading the library, the school and
the helplines and rendering the page (~0.05-0.1 s). Started first, the renderer starts while
that work runs: the application, the locked-down profile and a spare page loading a small
stylesheet of the print pages' site are made here, and the first PdfMaker adopts the profile
and the page (edukit.gui.pdf). The profile serves pages from the PageServer export_pdfs makes
later (`server`); until then it serves only edukit's own stylesheets and fonts.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

# Qt is imported when EarlyStart is made, not with this module: PySide6 asks of every module
# imported after it whether its source mentions PySide6, the slow way until runtime's quicker
# check is in place (~0.5 ms of CPU a module); this module and the runtime load before it.
from .runtime import headless_application, quicker_pyside_import_hook

if TYPE_CHECKING:
    from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineProfile

    from .page_server import PageServer
    from .webview import Later

# What a spare page loads to have its renderer process started: a small file of the same site
# as the print pages (edukit://app), so the print page's load stays in that process.
SPARE_URL = "edukit://app/resources/css/lesson.css"


class EarlyStart:
    """The application, a locked-down profile and a spare page, its renderer starting."""

    def __init__(self):
        import PySide6.QtCore  # noqa: F401  (first: then PySide's per-module check is quick)

        quicker_pyside_import_hook()
        from PySide6.QtCore import QUrl
        from PySide6.QtWebEngineCore import QWebEnginePage

        from .webview import locked_profile

        self.app = headless_application()
        self.server: PageServer | None = None  # set once the library is read (export_pdfs)
        self.profile = locked_profile(self.page, self.folder, None)
        self.spare: QWebEnginePage | None = QWebEnginePage(self.profile)
        self.spare.load(QUrl(SPARE_URL))

    def page(self, module_id: str, view: str, query: dict[str, str]) -> bytes | Later | None:
        return None if self.server is None else self.server.page(module_id, view, query)

    def folder(self, module_id: str) -> Path | None:
        return None if self.server is None else self.server.folder(module_id)

    def adopt(self) -> tuple[QWebEngineProfile, QWebEnginePage]:
        """The profile and the spare page for a PdfMaker, which owns and deletes them from now
        on (its first print page loads in the spare, whether its own load is done or not)."""
        spare, self.spare = self.spare, None
        return self.profile, spare

    def close(self) -> None:
        """Delete the spare page and the profile if no maker adopted them (the export stopped
        before printing: a usage error, no module found), page first as Qt WebEngine needs."""
        import shiboken6

        if self.spare is not None:
            spare, self.spare = self.spare, None
            shiboken6.delete(spare)
            shiboken6.delete(self.profile)
