"""No black flash on the slide views: Chromium's widget paints black for a moment whenever it is
shown (the console's next-slide preview after the last slide, the console swapped in front on
one screen, the projector after a black screen): a view shown again keeps its last picture, one
shown for the first time shows the slides' background colour, until Chromium has painted.
Offscreen Chromium does not paint that black frame, so the tests put a black widget where Chromium's frame is (under the view's kept
picture) and grab the view's pixels as the teacher would see them, during and after the swap.
The positive control turns the kept picture off and sees the black."""
from __future__ import annotations

import pytest
import shiboken6
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QWidget

from edukit.core.library import Library
from edukit.core.model import School
from edukit.gui.presentation.audience import SlideView
from edukit.gui.presentation.controller import Presentation
from edukit.gui.session import Session


def black_share(widget: QWidget) -> float:
    """How much of the widget's picture (children included) is black, 0..1."""
    image = widget.grab().toImage()
    points = [(x, y) for x in range(0, image.width(), 8) for y in range(0, image.height(), 8)]
    dark = sum(image.pixelColor(x, y).lightness() < 16 for x, y in points)
    return dark / max(1, len(points))


def chromium_black_frame(view: SlideView) -> QWidget:
    """What Chromium shows first when its widget is shown again: black, under any kept picture."""
    frame = QWidget(view)
    frame.setAutoFillBackground(True)
    palette = frame.palette()
    palette.setColor(QPalette.ColorRole.Window, QColor("#000000"))
    frame.setPalette(palette)
    frame.setGeometry(view.rect())
    frame.show()
    if view.holding():
        frame.stackUnder(view.still)
    else:
        frame.raise_()
    return frame


@pytest.fixture
def show(qapp, qtbot):
    shows = []

    def start(console_shown: bool = True) -> Presentation:
        session = Session(Library.default(), School(name="Hill Primary"))
        session.open("who-can-i-tell")
        running = Presentation(session)
        qtbot.waitUntil(lambda: not running.waiting(), timeout=5000)  # on screen (its slide painted)
        if console_shown:
            running.console.showNormal()
            running.console.resize(1280, 800)
        shows.append(running)
        for view in (running.console.current, running.console.next, running.audience.view):
            qtbot.waitUntil(lambda v=view: v.focusProxy() is not None, timeout=20000)
        qtbot.wait(300)
        return running
    yield start
    for running in shows:
        running.end()
        running.dispose()


@pytest.fixture(params=["kept", "positive-control"])
def keeping(request, monkeypatch):
    """Each test runs as built, and with the kept picture turned off (then it must see black)."""
    if request.param == "positive-control":
        monkeypatch.setattr(SlideView, "cover_with", lambda self, picture: None)
    return request.param == "kept"


def assert_no_black_while_swapping(qtbot, view: SlideView, kept: bool) -> None:
    """Right after the view is shown again, with Chromium's black frame under the kept picture."""
    frame = chromium_black_frame(view)
    try:
        black = black_share(view)
        held = view.holding()
    finally:
        shiboken6.delete(frame)  # the view's own teardown does not expect a stranger inside it
    if kept:
        assert black < 0.5, f"the view went black on swapping ({black:.0%} black)"
        assert held
        qtbot.waitUntil(lambda: not view.holding(), timeout=5000)  # never kept for good
    else:
        assert black > 0.9, "the harness must see the black frame when nothing is kept"


def test_the_next_preview_keeps_its_picture_when_shown_again_after_the_last_slide(qtbot, show, keeping):
    running = show()
    last = len(running.deck) - 1
    running.session.set_slide(last - 1)
    qtbot.wait(300)
    running.session.set_slide(last)  # "End of the slides": the preview is hidden
    assert not running.console.next.isVisible()
    running.session.set_slide(last - 1)
    assert running.console.next.isVisible()
    assert_no_black_while_swapping(qtbot, running.console.next, keeping)


def test_the_console_keeps_its_previews_when_swapped_back_in_front_on_one_screen(qtbot, show, keeping):
    running = show()
    assert running.single_screen  # offscreen: one screen
    running.run("swap-view", 0)  # the console in front
    qtbot.waitUntil(running.console.isVisible)
    qtbot.wait(300)
    running.run("swap-view", 0)  # the slides in front: the console is hidden
    assert not running.console.isVisible()
    running.run("swap-view", 0)
    qtbot.waitUntil(running.console.isVisible)
    assert_no_black_while_swapping(qtbot, running.console.current, keeping)


def test_the_console_shown_for_the_first_time_shows_the_slides_colour_not_black(qtbot, show, keeping):
    running = show(console_shown=False)
    assert not running.console.isVisible()  # one screen: the slides are in front after F5
    running.run("swap-view", 0)
    qtbot.waitUntil(running.console.isVisible)
    assert_no_black_while_swapping(qtbot, running.console.current, keeping)


def test_the_projector_keeps_its_slide_when_a_black_screen_ends(qtbot, show, keeping):
    running = show()
    running.audience.showNormal()
    running.audience.resize(1024, 768)
    qtbot.waitUntil(running.audience.view.isVisible)
    qtbot.wait(300)
    running.run("white", 0)
    assert not running.audience.view.isVisible()
    running.run("white", 0)
    assert running.audience.view.isVisible()
    assert_no_black_while_swapping(qtbot, running.audience.view, keeping)


def test_a_view_that_has_not_painted_yet_shows_the_slides_background_not_black(qtbot, show):
    running = show()
    for view in (running.console.current, running.console.next, running.audience.view):
        assert view.page().backgroundColor() == QColor("#ffffff")  # light slides by default



def test_a_kept_picture_of_another_slide_is_never_shown(qtbot, show):
    """From the last slide back to the first: the next-slide preview was kept showing the last
    slide; what it shows until Chromium paints is the slides' colour, not that wrong slide."""
    running = show()
    last = len(running.deck) - 1
    running.session.set_slide(last - 1)
    qtbot.wait(300)
    running.session.set_slide(last)
    running.session.set_slide(0)  # the preview now wants slide 2, not the kept one
    view = running.console.next
    assert view.holding()
    still = view.still.pixmap().toImage()
    colours = {still.pixelColor(x, y).name() for x in range(0, still.width(), 7)
               for y in range(0, still.height(), 7)}
    assert colours == {"#ffffff"}


def test_going_back_from_the_last_slide_keeps_the_right_picture(qtbot, show):
    running = show()
    last = len(running.deck) - 1
    view = running.console.next
    running.session.set_slide(last - 1)
    qtbot.waitUntil(lambda: not view.holding(), timeout=5000)
    # Chromium has painted the last slide in the preview (a loaded machine may take a while)
    qtbot.waitUntil(lambda: len(colours_of(view.grab().toImage())) > 2, timeout=20000)
    running.session.set_slide(last)
    kept = view.still.pixmap().toImage()
    running.session.set_slide(last - 1)  # the preview shows the last slide again: kept as it was
    assert view.holding()
    assert view.still.pixmap().toImage() == kept
    assert len(colours_of(kept)) > 2  # a picture of the slide, not a plain colour


def colours_of(image) -> set[str]:
    return {image.pixelColor(x, y).name() for x in range(0, image.width(), 5)
            for y in range(0, image.height(), 5)}
