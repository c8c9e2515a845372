"""GUI tests: a QApplication made the way the app makes it (scheme registered first)."""
from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def qapp():
    """Overrides pytest-qt's qapp: `edukit:` must be registered before the QApplication."""
    from edukit.gui.runtime import make_application

    app = make_application(["edukit-tests"])
    yield app
    from PySide6.QtCore import QCoreApplication, QEvent

    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture
def locked_page(qapp):
    """locked_page(session): a LessonPage on a locked profile; page and profile are deleted
    in that order afterwards (Qt WebEngine crashes at exit otherwise)."""
    import shiboken6

    from edukit.gui.webview import LessonPage, locked_profile

    made = []

    def make(session):
        profile = locked_profile(session.pages.page, session.pages.folder, None)
        page = LessonPage(profile)
        made.append((page, profile))
        return page, profile
    yield make
    for page, profile in made:
        shiboken6.delete(page)
        shiboken6.delete(profile)


@pytest.fixture
def js(qtbot):
    """js(page, script): evaluate in the ApplicationWorld (content scripts stay off)."""
    from PySide6.QtWebEngineCore import QWebEngineScript

    def run(page, script: str, timeout: int = 5000):
        # back as soon as the answer is delivered (waitUntil looked for it every 10 ms)
        with qtbot.waitCallback(timeout=timeout, raising=True) as answered:
            page.runJavaScript(script, QWebEngineScript.ScriptWorldId.ApplicationWorld, answered)
        return answered.args[0]
    return run


@pytest.fixture
def lesson_window(qtbot):
    """lesson_window(root, module_id, school): a shown main window over the bundled lessons
    plus `root`, with the module's page loaded and the start-up done (Chromium's widget has
    the window's mouse filter: after the first paint); returns (session, window)."""
    from edukit.core.library import Library
    from edukit.core.model import School
    from edukit.gui.main_window import MainWindow
    from edukit.gui.session import Session

    def make(root, module_id: str, school: School | None = None):
        session = Session(Library.default(extra=[root]), school or School())
        window = MainWindow(session)
        qtbot.addWidget(window)
        window.show()
        with qtbot.waitSignal(window.page.loadFinished, timeout=20000):
            session.open(module_id)
        qtbot.waitUntil(lambda: window.filtered_proxy is not None, timeout=20000)
        return session, window
    return make


@pytest.fixture
def print_previews(qtbot):
    """Opens print previews of a session's module, shown with their pages laid out, and
    releases each one (its PDF page and profile) after the test."""
    from edukit.gui.print_preview import PrintPreview

    made = []

    def make(session, module_id: str, options=None, wait_ms: int = 60000):
        dialog = PrintPreview(session.pages, session.open(module_id), options)
        made.append(dialog)
        qtbot.addWidget(dialog)
        with qtbot.waitSignal(dialog.pagesShown, timeout=wait_ms):
            dialog.show()
        return dialog
    yield make
    for dialog in made:
        dialog.release()


@pytest.fixture
def window_on_file(qtbot):
    """Opens a main window on a single Markdown file given by path (`edukit open PATH`), shown
    and started; returns (session, window)."""
    from edukit.core.library import Library
    from edukit.core.model import School
    from edukit.gui.main_window import MainWindow
    from edukit.gui.session import Session

    def open_file(path):
        session = Session(Library.default(), School())
        window = MainWindow(session)
        qtbot.addWidget(window)
        window.show()
        with qtbot.waitSignal(window.page.loadFinished, timeout=20000):
            session.open(str(path))
        qtbot.waitUntil(lambda: window.started, timeout=10000)
        return session, window
    return open_file
