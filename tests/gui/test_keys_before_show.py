"""Keys typed in the moment after F5, before the show exists (its slides still being fitted or
rendered), are the show's, as they are a moment later while its first slide paints: Esc calls
the show off (a teacher who pressed F5 by mistake), the slide keys move it once it starts, and
the lesson's other keys stay the lesson's. S and G typed while the first slide paints take
effect once the show is on screen. A lesson left, or the window closed, before the show exists
leaves no show behind and F5 working."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from edukit.gui.presentation import reveal
from edukit.gui.presentation.audience import AudienceWindow

K = Qt.Key


@pytest.fixture
def held_f5(qtbot, fixture_content, lesson_window, monkeypatch):
    """F5 in the lesson window with the slides' rendering held back (as for a long lesson the
    worker renders): the show does not exist until `release()`."""
    session, window = lesson_window(fixture_content, "who-can-i-tell")
    window.view.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=5000)
    held = []
    when_rendered = session.when_rendered

    def hold(module, view, done) -> None:
        held.append(lambda: when_rendered(module, view, done))
    monkeypatch.setattr(session, "when_rendered", hold)

    def release() -> None:
        monkeypatch.setattr(session, "when_rendered", when_rendered)
        while held:
            held.pop(0)()
    window.actions["present.start"].trigger()
    assert held and window.presentation is None and window.shows.asked is not None
    return session, window, release


def made_show(qtbot, window):
    qtbot.waitUntil(lambda: window.presentation is not None, timeout=20000)
    return window.presentation


def test_esc_before_the_show_exists_calls_it_off(qtbot, held_f5):
    session, window, release = held_f5
    keyboard = QApplication.focusWidget()
    QTest.keyClick(keyboard, K.Key_Escape)
    assert window.shows.asked is None
    release()
    qtbot.wait(300)
    assert window.presentation is None  # never made, never on screen
    QTest.keyClick(keyboard, K.Key_Right)  # the lesson's keys are the lesson's again
    assert session.slide == 0
    window.actions["present.start"].trigger()  # and F5 still works
    running = made_show(qtbot, window)
    assert running.session.slide == 0


def test_positive_control_without_the_catch_esc_is_lost_and_the_show_starts(
        qtbot, held_f5):
    _session, window, release = held_f5
    window.shows.asked.keys.stop()  # the keys typed before the show are not caught
    QTest.keyClick(QApplication.focusWidget(), K.Key_Escape)
    release()
    assert made_show(qtbot, window) is not None


def test_slide_keys_before_the_show_exists_move_it_once_it_starts(qtbot, held_f5):
    _session, window, release = held_f5
    keyboard = QApplication.focusWidget()
    QTest.keyClick(keyboard, K.Key_Right)
    QTest.keyClick(keyboard, K.Key_Space)
    QTest.keyClick(keyboard, K.Key_B)
    release()
    running = made_show(qtbot, window)
    assert running.session.slide == 2 and running.audience.blanked == "black"


def test_a_typed_number_before_the_show_exists_jumps_there(qtbot, held_f5):
    _session, window, release = held_f5
    QTest.keyClicks(QApplication.focusWidget(), "5")
    QTest.keyClick(QApplication.focusWidget(), K.Key_Return)
    release()
    assert made_show(qtbot, window).session.slide == 4


def test_keys_the_show_does_not_use_stay_the_windows(qtbot, held_f5):
    """Only the show's keys are taken: F6 still moves the keyboard on to the contents."""
    _session, window, release = held_f5
    assert window.view.isAncestorOf(QApplication.focusWidget())
    QTest.keyClick(QApplication.focusWidget(), K.Key_F6)
    qtbot.waitUntil(lambda: window.toc_pane.isAncestorOf(QApplication.focusWidget())
                    or window.toc_pane is QApplication.focusWidget(), timeout=5000)
    assert window.shows.asked is not None and not window.shows.asked.typed
    release()
    assert made_show(qtbot, window).session.slide == 0


def test_another_lesson_opened_before_the_show_exists_gets_no_show_and_f5_works(
        qtbot, held_f5):
    session, window, release = held_f5
    with qtbot.waitSignal(window.page.loadFinished, timeout=20000):
        session.open("sample-lesson")
    assert window.shows.asked is None  # the other lesson's show is forgotten
    release()
    qtbot.wait(300)
    assert window.presentation is None
    window.actions["present.start"].trigger()
    assert made_show(qtbot, window).module.id == "sample-lesson"


def test_closing_the_window_before_the_show_exists_leaves_no_show(qtbot, held_f5):
    _session, window, release = held_f5
    window.close()
    assert window.shows.asked is None
    release()
    qtbot.wait(300)
    assert window.presentation is None


@pytest.fixture
def off_screen_show(qtbot, fixture_content, lesson_window, monkeypatch):
    """F5, the show made, its first slide never painting (60 s bound): it waits off screen."""
    monkeypatch.setattr(AudienceWindow, "show_slide", lambda self, module_id, index: None)
    monkeypatch.setattr(reveal, "REVEAL_AT_MOST_MS", 60_000)
    _session, window = lesson_window(fixture_content, "who-can-i-tell")
    window.view.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=5000)
    window.actions["present.start"].trigger()
    running = made_show(qtbot, window)
    assert running.waiting() and running.single_screen
    return running


def test_g_typed_while_the_first_slide_paints_opens_the_overview_on_screen(
        qtbot, off_screen_show):
    running = off_screen_show
    QTest.keyClick(QApplication.focusWidget(), K.Key_G)
    assert not running.console.overview.isVisible()  # nothing on screen yet
    running.first_paint.finish()  # the slide has painted
    assert running.console.overview.isVisible() and running.console_shown


def test_s_typed_while_the_first_slide_paints_shows_the_console_on_screen(
        qtbot, off_screen_show):
    running = off_screen_show
    QTest.keyClick(QApplication.focusWidget(), K.Key_S)
    running.first_paint.finish()
    assert running.console_shown and running.console.isVisible()
    assert not running.audience.isVisible()


def test_s_typed_twice_while_the_first_slide_paints_leaves_the_slides_in_front(
        qtbot, off_screen_show):
    running = off_screen_show
    QTest.keyClick(QApplication.focusWidget(), K.Key_S)
    QTest.keyClick(QApplication.focusWidget(), K.Key_S)
    running.first_paint.finish()
    assert not running.console_shown and running.audience.isVisible()
