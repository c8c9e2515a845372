"""F5 in a dark classroom: the slides window comes on screen only once its first slide has
painted (the lesson window stays in front meanwhile), never as a blank white or black frame; a
page that never loads still comes on screen after a bounded wait; Esc, the slide keys and
closing the lesson window during the wait behave and leave no timer or filter behind."""
from __future__ import annotations

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from edukit.core.library import Library
from edukit.core.model import School
from edukit.gui.presentation import controller, reveal
from edukit.gui.presentation.audience import AudienceWindow
from edukit.gui.presentation.controller import Presentation
from edukit.gui.session import Session

K = Qt.Key


def on_screen(window: QWidget) -> bool:
    """Shown where the class can see it (not only laid out off screen)."""
    return window.isVisible() and not window.testAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)


def drawn_share(picture: QPixmap) -> float:
    """How much of a picture differs from its top-left colour, 0..1: a blank frame is ~0, a
    slide with its title and text is not."""
    image = picture.toImage()
    background = image.pixel(0, 0)
    points = [(x, y) for x in range(0, image.width(), 4) for y in range(0, image.height(), 4)]
    return sum(image.pixel(x, y) != background for x, y in points) / max(1, len(points))


@pytest.fixture
def first_frames(monkeypatch):
    """What each show window looks like at the moment it is put on screen (its kept picture
    or Chromium's frame, as the class would see it), in order."""
    seen: list[tuple[QWidget, float]] = []
    place = controller.place_full_screen

    def placed(window, screen) -> None:
        place(window, screen)
        seen.append((window, drawn_share(window.grab())))
    monkeypatch.setattr(controller, "place_full_screen", placed)
    return seen


@pytest.fixture
def shows(qapp, qtbot):
    made: list[Presentation] = []

    def start(theme: str = "light") -> Presentation:
        session = Session(Library.default(), School())
        session.open("who-can-i-tell")
        session.settings.update(theme=theme, slides_follow_theme=True)
        assert session.pages.page_theme("slides") == theme
        running = Presentation(session)
        made.append(running)
        return running
    yield start
    for running in made:
        running.end()
        running.dispose()
    qtbot.wait(1)


def never_loads(monkeypatch) -> None:
    """The audience page never arrives (a broken lesson, a stalled load)."""
    monkeypatch.setattr(AudienceWindow, "show_slide", lambda self, module_id, index: None)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_slides_window_comes_on_screen_only_with_its_first_slide_painted(
        qtbot, shows, first_frames, theme):
    running = shows(theme)
    assert running.audience.isVisible() and not on_screen(running.audience)  # laid out, unseen
    qtbot.waitUntil(lambda: on_screen(running.audience), timeout=20000)
    window, drawn = first_frames[0]
    assert window is running.audience
    assert drawn > 0.005, "the first frame on screen is blank"
    assert running.audience.isFullScreen() and not running.first_paint.active()


def test_positive_control_the_old_immediate_show_is_caught_blank(
        qtbot, shows, first_frames, monkeypatch):
    monkeypatch.setattr(Presentation, "place_offscreen", Presentation.place_windows)
    running = shows()
    assert on_screen(running.audience)
    window, drawn = first_frames[0]
    assert window is running.audience and drawn < 0.001  # the blank frame the class saw


def test_a_slide_that_never_loads_still_comes_on_screen_after_the_bound(
        qtbot, shows, monkeypatch):
    never_loads(monkeypatch)
    monkeypatch.setattr(reveal, "REVEAL_AT_MOST_MS", 300)
    running = shows()
    assert not on_screen(running.audience)
    qtbot.waitUntil(lambda: on_screen(running.audience), timeout=10000)
    assert running.audience.isFullScreen() and not running.first_paint.active()
    assert running.session.slide == 0  # the show runs: its keys still work
    QTest.keyClick(running.audience, K.Key_Right)
    assert running.session.slide == 1


def test_without_the_bound_a_slide_that_never_loads_stays_off_screen(qtbot, shows, monkeypatch):
    """Control for the test above: it is the bound that brings the window on screen."""
    never_loads(monkeypatch)
    monkeypatch.setattr(reveal, "REVEAL_AT_MOST_MS", 60_000)
    running = shows()
    qtbot.wait(1500)
    assert not on_screen(running.audience) and running.waiting()


@pytest.fixture
def waiting_show(qtbot, fixture_content, lesson_window, monkeypatch):
    """F5 in the lesson window, the slides page never arriving: the show stays off screen."""
    never_loads(monkeypatch)
    monkeypatch.setattr(reveal, "REVEAL_AT_MOST_MS", 60_000)
    session, window = lesson_window(fixture_content, "who-can-i-tell")
    window.view.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=5000)
    window.actions["present.start"].trigger()
    qtbot.waitUntil(lambda: window.presentation is not None, timeout=20000)
    running = window.presentation
    assert running.waiting()
    return session, window, running


def gone(running: Presentation) -> bool:
    return not shiboken6.isValid(running.audience) and not shiboken6.isValid(running.console)


def test_esc_while_the_first_slide_paints_ends_the_show_and_leaves_nothing_running(
        qtbot, waiting_show):
    session, window, running = waiting_show
    keyboard = QApplication.focusWidget()
    assert keyboard.window() is window  # the lesson window still has the keyboard
    QTest.keyClick(keyboard, K.Key_Right)  # the show's keys are the show's meanwhile
    assert session.slide == 1
    QTest.keyClick(keyboard, K.Key_Escape)
    assert window.presentation is None and not on_screen(running.audience)
    assert not running.first_paint.active() and running.keys_meanwhile.widget is None
    qtbot.waitUntil(lambda: gone(running), timeout=5000)  # windows deleted, no timer fires
    QTest.keyClick(keyboard, K.Key_Right)  # the lesson's keys are the lesson's again
    assert session.slide == 1


def test_closing_the_lesson_window_while_the_first_slide_paints_ends_the_show(
        qtbot, waiting_show):
    _session, window, running = waiting_show
    window.close()
    assert window.presentation is None and not running.first_paint.active()
    qtbot.waitUntil(lambda: gone(running), timeout=5000)
    qtbot.wait(50)
