"""Start the app: Chromium flags, the `edukit:` scheme, the QApplication, the main window."""
from __future__ import annotations

import os
import sys
import warnings
from pathlib import Path

from ..core.escape import terminal_text

CHROMIUM_FLAGS = ("--disable-background-networking --disable-component-update --no-pings "
                  "--disable-sync --disable-domain-reliability --disable-breakpad --log-level=3")


def prepare_environment() -> None:
    """Settings Chromium reads at start-up; they must be set before Qt WebEngine loads."""
    flags = os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
    if os.environ.get("QT_QPA_PLATFORM", "").startswith("offscreen"):
        flags += " --disable-gpu"  # no GPU without a display: skip probing for one
    os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = f"{flags} {CHROMIUM_FLAGS}".strip()
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")  # Chromium refuses root otherwise
    if sandbox_disabled(flags):
        # Without the sandbox the zygotes only pre-fork renderers: two idle processes (~70 MB RSS)
        # for nothing. Pages still render in their own renderer process.
        os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] += " --no-zygote"


def sandbox_disabled(flags: str) -> bool:
    return os.environ.get("QTWEBENGINE_DISABLE_SANDBOX") == "1" or "--no-sandbox" in flags.split()


def make_application(argv: list[str] | None = None):
    """The QApplication, with `edukit:` registered first (Qt requires that order)."""
    prepare_environment()
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from .webview import register_scheme

    register_scheme()
    app = QApplication.instance()
    if app is None:
        QApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
        app = QApplication(argv or [sys.argv[0]])
        app.setApplicationName("edukit")
        app.setOrganizationName("edukit")
    return app


def quiet_qt_messages() -> None:
    """Headless commands print only their own output; EDUKIT_DEBUG=1 shows Qt's messages."""
    if os.environ.get("EDUKIT_DEBUG"):
        return
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    def handler(kind, context, message) -> None:
        if kind in (QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg):
            print(terminal_text(message), file=sys.stderr)
    qInstallMessageHandler(handler)


def run_app(content: list[Path], module: str | None = None, present: bool = False) -> int:
    from ..core.library import Library

    library = Library.default(extra=content)
    if module is not None:
        try:
            library.resolve(module)  # a wrong id is one plain line, before any window opens
        except LookupError as exc:
            print(terminal_text(f"edukit: {exc}"), file=sys.stderr)
            return 2
    app = make_application()
    try:
        window = open_window(library, module)  # as the user left it, or at `module`
    except LookupError as exc:
        print(terminal_text(f"edukit: {exc}"), file=sys.stderr)
        return 2
    if window.session.module is not None and present:
        window.present()  # `edukit present`: straight into the show; Esc returns to the lesson
    return app.exec()


def open_window(library, module: str | None = None):
    """The main window as the user left it. A saved settings or state file that could not be
    read (set aside, defaults used) is told in the window after the first paint, and on
    stderr; LookupError when `module` names no module."""
    from ..core.model import EdukitWarning
    from .startup_notice import show_after_first_paint
    from .window_state import open_viewer

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", EdukitWarning)
        window = open_viewer(library, module)
    notes = []
    for found in caught:
        if issubclass(found.category, EdukitWarning):
            notes.append(str(found.message))
            print(terminal_text(f"edukit: warning: {found.message}"), file=sys.stderr)
        else:
            warnings.showwarning(found.message, found.category, found.filename, found.lineno)
    show_after_first_paint(window, notes)
    return window
