"""GUI tests: a QApplication made the way the app makes it (scheme registered first)."""
from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def qapp():
    """Overrides pytest-qt's qapp: `edukit:` must be registered before the QApplication."""
    from edukit.gui.app import make_application

    app = make_application(["edukit-tests"])
    yield app


@pytest.fixture
def js(qtbot):
    """js(page, script): evaluate in the ApplicationWorld (content scripts stay off)."""
    from PySide6.QtWebEngineCore import QWebEngineScript

    def run(page, script: str, timeout: int = 5000):
        box = []
        page.runJavaScript(script, QWebEngineScript.ScriptWorldId.ApplicationWorld, box.append)
        qtbot.waitUntil(lambda: bool(box), timeout=timeout)
        return box[0]
    return run
