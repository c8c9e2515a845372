"""The presenter console fits small laptop screens (1024x600, 1280x800) in every state: every
control and the whole safeguarding prompt lie inside the window, measured from the widgets'
geometry mapped to the window; a prompt too long for the column says that it continues."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QAbstractButton, QComboBox, QHBoxLayout, QLabel, QWidget

from edukit.core.library import Library
from edukit.core.model import School
from edukit.gui.presentation.console import ElidedLabel, PresenterConsole
from edukit.gui.presentation.controller import Presentation
from edukit.gui.session import Session

SIZES = [(1024, 600), (1280, 800)]
LONG_TITLE = "A very long lesson title about staying safe online " * 4
SAFEGUARDING = ("Tell your Designated Safeguarding Lead the date of this lesson beforehand. "
                "Some pupils may disclose; follow the school's procedure and do not promise secrecy.")
LESSON = f"""---
title: {LONG_TITLE.strip()}
audience: pupils
ages: "8-11"
duration: 20
---
# {LONG_TITLE.strip()}

::: safeguarding
{SAFEGUARDING}
:::

## A slide whose heading is long enough to need several lines on any projector at all, really

::: notes
{"Say this slowly and check every pupil has understood before you move on. " * 40}
:::

## The last slide

::: safeguarding
{"A very long safeguarding prompt that no console could show whole at once. " * 40}
:::
"""


def outside(window: QWidget, screen: tuple[int, int]) -> list[str]:
    """Every visible control of the window that lies (partly) outside the screen-sized window,
    or is squeezed narrower than its text: what a teacher would see cut off."""
    bounds = QRect(0, 0, *screen)
    found = [f"window needs {window.minimumSizeHint().toTuple()}"] \
        if window.minimumSizeHint().expandedTo(window.size()).toTuple() != screen else []
    for child in window.findChildren(QWidget):
        if not child.isVisibleTo(window) or child.window() is not window:
            continue
        rect = QRect(child.mapTo(window, child.rect().topLeft()), child.size())
        if not bounds.contains(rect):
            found.append(f"{child.objectName() or type(child).__name__} at {rect.getRect()}")
        elif isinstance(child, (QLabel, QAbstractButton)) and not isinstance(child, ElidedLabel) \
                and not getattr(child, "wordWrap", lambda: False)() \
                and child.width() < child.minimumSizeHint().width():
            found.append(f"{child.objectName()} squeezed: {child.width()} < {child.minimumSizeHint().width()}")
    return found


def safeguarding_is_whole(console: PresenterConsole) -> bool:
    """The prompt's text needs no more height than its box shows."""
    pane = console.safeguarding
    return pane.document().size().height() <= pane.viewport().height() + 1 \
        and pane.verticalScrollBar().maximum() == 0


@pytest.fixture
def show(qapp, qtbot, tmp_path):
    """show(module_id, content=()): a running show; ended and disposed afterwards."""
    shows = []

    def start(module_id: str, content=()) -> Presentation:
        session = Session(Library.default(extra=list(content)), School(name="Hill Primary"))
        session.open(module_id)
        running = Presentation(session)
        shows.append(running)
        qtbot.waitUntil(lambda: not running.waiting(), timeout=5000)  # on screen (its slide painted)
        return running
    yield start
    for running in shows:
        running.end()
        running.dispose()


def console_at(qtbot, running: Presentation, size: tuple[int, int]) -> PresenterConsole:
    console = running.console
    console.showNormal()
    console.resize(*size)
    qtbot.waitUntil(lambda: console.isVisible() and console.size().toTuple() == size, timeout=5000)
    qtbot.wait(20)
    return console


STATES = {
    "showing": lambda s: None,
    "black": lambda s: s.run("black", 0),
    "white": lambda s: s.run("white", 0),
    "paused": lambda s: s.console.pause.click(),
    "typing": lambda s: s.run("typing", 12),
}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("state", list(STATES))
def test_every_console_control_is_inside_the_window_in_every_state(qtbot, show, tmp_path, size, state):
    (tmp_path / "long.md").write_text(LESSON, encoding="utf-8")
    running = show("long", content=[tmp_path])
    STATES[state](running)
    console = console_at(qtbot, running, size)
    for slide in range(len(running.deck)):
        running.session.set_slide(slide)
        qtbot.wait(5)
        assert outside(console, size) == [], f"slide {slide + 1}"
    assert console.title.width() > 100 and console.title.text().endswith("…")  # cut short, shown
    if state in ("black", "white"):
        assert console.blank_state.isVisibleTo(console) and state in console.blank_state.text()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_safeguarding_prompt_shows_whole_in_large_type_above_shorter_notes(qtbot, show, tmp_path, size):
    (tmp_path / "long.md").write_text(LESSON, encoding="utf-8")
    running = show("long", content=[tmp_path])
    console = console_at(qtbot, running, size)
    running.session.set_slide(0)
    qtbot.wait(5)
    assert console.safeguarding.font().pointSize() >= 18
    assert safeguarding_is_whole(console)
    assert not console.panes.more.isVisibleTo(console)
    # the notes take the room the prompt leaves
    assert console.notes.geometry().top() > console.safeguarding.geometry().bottom()
    assert console.notes.geometry().bottom() == console.panes.height() - 1


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_a_prompt_too_long_for_the_column_says_it_continues(qtbot, show, tmp_path, size):
    (tmp_path / "long.md").write_text(LESSON, encoding="utf-8")
    running = show("long", content=[tmp_path])
    console = console_at(qtbot, running, size)
    running.session.set_slide(len(running.deck) - 1)
    qtbot.wait(5)
    assert not safeguarding_is_whole(console)
    more = console.panes.more
    assert more.isVisibleTo(console) and "continues" in more.text()
    assert outside(console, size) == []


def test_every_bundled_slide_keeps_the_console_inside_1024x600(qtbot, show):
    running = show("who-can-i-tell")
    running.run("black", 0)
    console = console_at(qtbot, running, (1024, 600))
    for slide in range(len(running.deck)):
        running.session.set_slide(slide)
        qtbot.wait(2)
        assert outside(console, (1024, 600)) == [], f"slide {slide + 1}"


def test_positive_control_the_measure_catches_a_bar_wider_than_the_window(qtbot):
    window = QWidget()
    qtbot.addWidget(window)
    bar = QHBoxLayout(window)
    bar.addWidget(QLabel("Audience sees a black screen (B to return) " * 6))
    bar.addWidget(QComboBox())
    window.show()
    window.resize(1024, 600)
    qtbot.wait(20)
    assert outside(window, (1024, 600))
