"""The show's keys work where a real keyboard sends them: to Chromium's widget inside the slide
view that has the focus (which keeps Esc and Backspace for itself unless the show sees them first)."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from edukit.core.library import Library
from edukit.core.model import School
from edukit.gui.presentation.controller import Presentation
from edukit.gui.session import Session

K = Qt.Key


@pytest.fixture
def show(qapp, qtbot):
    """A running show of who-can-i-tell at slide 3, its slide view loaded; disposed afterwards."""
    session = Session(Library.default(), School())
    session.open("who-can-i-tell")
    running = Presentation(session, 2)
    view = running.audience.view
    qtbot.waitUntil(lambda: view.focusProxy() is not None and view.url().fragment() == "slide-3",
                    timeout=20000)
    yield running
    running.end()
    running.dispose()


def keyboard_target(show: Presentation):
    """The widget a key typed at the projector's window is delivered to."""
    return show.audience.view.focusProxy()


@pytest.mark.parametrize("key, slide", [(K.Key_Right, 3), (K.Key_PageDown, 3), (K.Key_Space, 3),
                                        (K.Key_Left, 1), (K.Key_PageUp, 1), (K.Key_Backspace, 1),
                                        (K.Key_Home, 0), (K.Key_End, -1)])
def test_moving_keys_typed_on_the_slide_move_the_show(qtbot, show, key, slide):
    QTest.keyClick(keyboard_target(show), key)
    last = len(show.deck) - 1
    assert show.session.slide == (last if slide == -1 else slide)


def test_esc_typed_on_the_slide_ends_the_show_at_that_slide(qtbot, show):
    with qtbot.waitSignal(show.ended, timeout=5000) as ended:
        QTest.keyClick(keyboard_target(show), K.Key_Escape)
    assert ended.args == [2] and show.finished


def test_b_w_and_a_typed_number_work_on_the_slide(qtbot, show):
    target = keyboard_target(show)
    QTest.keyClick(target, K.Key_B)
    assert show.audience.blanked == "black"
    QTest.keyClick(target, K.Key_B)
    assert show.audience.blanked == ""
    QTest.keyClicks(target, "12")
    QTest.keyClick(target, K.Key_Return)
    assert show.session.slide == 11


def test_with_one_screen_the_console_button_says_it_shows_the_slides(qtbot, show):
    from PySide6.QtGui import QGuiApplication

    assert len(QGuiApplication.screens()) == 1
    assert show.console.swap.text() == "Show slides (S)"
