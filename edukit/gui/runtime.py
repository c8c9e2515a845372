"""The Qt runtime: Chromium's flags and environment, the QApplication with `edukit:` registered
first. Shared by the app, the headless commands (PDF export, slide checks) and the tests."""
from __future__ import annotations

import os
import sys
from pathlib import Path

from ..core.escape import terminal_text
from .garbage import collect_on_ui_thread
from .motion import CHROMIUM_FLAG as CHROMIUM_REDUCED_MOTION
from .motion import reduced_motion_wanted, still_widgets

CHROMIUM_FLAGS = ("--disable-background-networking --disable-component-update --no-pings "
                  "--disable-sync --disable-domain-reliability --disable-breakpad --log-level=3")
# V8 sizes a renderer's first heap for script-heavy web pages, and its collector (which also
# frees the DOM of documents a page has left: Blink's objects live on a heap V8 collects with its
# own) runs when that heap fills, or ~30 s after a page leaves a document if the renderer is idle.
# edukit's pages run no content script, so each module switch left its old lesson (~1.6 MB) in the
# renderer until ~250 MB had piled up. A small first heap had V8 collect sooner, but its heap
# still grew between collections: the renderer's own memory went from 63 to 83 MB over 50
# switches and stayed there (V8's JavaScript heap itself stayed under 8 MB: the rest, which went
# with more frequent collections, was old lessons' DOM). V8's "optimize for size" grows its heap
# more slowly, so old lessons are collected every few switches: 23-34 MB over the same 50
# switches, flat, for no more CPU in the renderer per switch or per print (benchmarks/memory.py;
# tests/gui/test_renderer_garbage.py). Either flag alone leaves the pile-up. V8 still grows the
# heap for a large document as it needs. Chromium takes one --js-flags: Qt reads the quotes.
V8_FLAGS = '--js-flags="--initial-heap-size=8 --optimize-for-size"'


def prepare_environment(small_heap: bool = True) -> None:
    """Settings Chromium reads at start-up; they must be set before Qt WebEngine loads. Without
    small_heap (a command that prints and exits: nothing piles up), V8 keeps its usual first
    heap: a small one costs a long document's print a few collections (~0.25 s of CPU for a
    teacher guide's two prints, measured in 5 pairs)."""
    flags = os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
    if os.environ.get("QT_QPA_PLATFORM", "").startswith("offscreen"):
        flags += " --disable-gpu"  # no GPU without a display: skip probing for one
    os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = f"{flags} {CHROMIUM_FLAGS}".strip()
    if small_heap and "--js-flags" not in flags:  # V8 takes one --js-flags: one from outside wins
        os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] += f" {V8_FLAGS}"
    if reduced_motion_wanted() and CHROMIUM_REDUCED_MOTION not in flags:
        os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] += f" {CHROMIUM_REDUCED_MOTION}"
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")  # Chromium refuses root otherwise
    if sandbox_disabled(flags):
        # Without the sandbox the zygotes only pre-fork renderers: two idle processes (~70 MB RSS)
        # for nothing. Pages still render in their own renderer process.
        os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] += " --no-zygote"


def quicker_pyside_import_hook() -> None:
    """PySide6 asks of every module imported after it whether its source mentions "PySide6" (for
    its opt-in `from __feature__ import ...` switches), through inspect.getsource, which walks all
    of sys.modules for each module: ~0.1 s of CPU over the ~100 modules the window imports. The
    same question is answered here from the module's file. Left as it is if PySide has no such
    check (another version)."""
    feature = sys.modules.get("PySide6.support.feature")
    if feature is not None and callable(getattr(feature, "_mod_uses_pyside", None)):
        feature._mod_uses_pyside = mentions_pyside


def mentions_pyside(module) -> bool:
    """Whether a module's Python source contains "PySide6" (False if it has none: a built-in or
    compiled module), as PySide's own check answers it."""
    spec = getattr(module, "__spec__", None)
    origin = getattr(spec, "origin", None)
    if not isinstance(origin, str) or not origin.endswith(".py"):
        return False
    try:
        return b"PySide6" in Path(origin).read_bytes()
    except OSError:
        return False


def sandbox_disabled(flags: str) -> bool:
    return os.environ.get("QTWEBENGINE_DISABLE_SANDBOX") == "1" or "--no-sandbox" in flags.split()


def make_application(argv: list[str] | None = None, small_heap: bool = True):
    """The QApplication, with `edukit:` registered first (Qt requires that order)."""
    prepare_environment(small_heap)
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    quicker_pyside_import_hook()

    from .webview import register_scheme

    register_scheme()
    app = QApplication.instance()
    if app is None:
        QApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
        app = QApplication(argv or [sys.argv[0]])
        app.setApplicationName("edukit")
        app.setOrganizationName("edukit")
        if reduced_motion_wanted():
            still_widgets(app)
        collect_on_ui_thread(app)
    return app


def headless_application():
    """The QApplication for a command with no window: offscreen unless a platform was chosen,
    and quiet (only the command's own output)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    quiet_qt_messages()
    return make_application(small_heap=False)


def quiet_qt_messages() -> None:
    """Headless commands print only their own output; EDUKIT_DEBUG=1 shows Qt's messages."""
    if os.environ.get("EDUKIT_DEBUG"):
        return
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    def handler(kind, context, message) -> None:
        if kind in (QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg):
            print(terminal_text(message), file=sys.stderr)
    qInstallMessageHandler(handler)
