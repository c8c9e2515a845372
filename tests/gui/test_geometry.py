"""Windows fit the screen they open on, buttons included (school laptops are often 1366x768)."""
from __future__ import annotations

from PySide6.QtGui import QGuiApplication

from edukit.core.library import Library
from edukit.core.model import School
from edukit.core.printing import PrintOptions
from edukit.gui.main_window import MainWindow
from edukit.gui.print_preview import PrintPreview
from edukit.gui.session import Session


def fits(widget) -> bool:
    room = QGuiApplication.primaryScreen().availableGeometry()
    return widget.width() <= room.width() and widget.height() <= room.height()


def test_main_window_and_print_preview_fit_a_small_screen(qtbot, fixture_content):
    room = QGuiApplication.primaryScreen().availableGeometry()
    assert room.width() < 1100  # the test screen is smaller than the windows' preferred sizes
    session = Session(Library.default(extra=[fixture_content]), School())
    window = MainWindow(session)
    qtbot.addWidget(window)
    assert fits(window)
    preview = PrintPreview(session.pages, session.open("sample-lesson"), PrintOptions())
    qtbot.addWidget(preview)
    assert fits(preview)
    preview.close()  # never shown: its hidden page must still go before its profile
    assert preview.maker is None
