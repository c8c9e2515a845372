"""What teachers expect from PowerPoint and Google Slides: notes text size (+/-, remembered), a
slide overview to jump from (G), the mouse pointer shown or hidden (A), the first key after F5
obeyed, and F1 naming every show key the README lists in words."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtTest import QTest

from edukit.core.library import Library
from edukit.core.model import School
from edukit.core.settings import load_preferences
from edukit.gui.help_dialog import show_rows
from edukit.gui.presentation.controller import Presentation
from edukit.gui.session import Session

K = Qt.Key
README = Path(__file__).parents[2] / "README.md"


@pytest.fixture
def show(qapp, qtbot):
    shows = []

    def start(module_id: str = "who-can-i-tell", slide: int = 0) -> Presentation:
        session = Session(Library.default(), School())
        session.open(module_id)
        running = Presentation(session, slide)
        shows.append(running)
        qtbot.waitUntil(lambda: not running.waiting(), timeout=5000)  # on screen (its slide painted)
        return running
    yield start
    for running in shows:
        running.end()
        running.dispose()


def press(show: Presentation, key, _text: str = "") -> None:
    QTest.keyClick(show.audience if show.audience.isVisible() else show.console, key)


def test_plus_and_minus_change_the_notes_size_and_the_next_show_remembers_it(qtbot, show):
    first = show()
    start = first.console.notes.font().pointSize()
    press(first, K.Key_Plus, "+")
    press(first, K.Key_Plus, "+")
    assert first.console.notes.font().pointSize() == start + 4
    assert first.console.safeguarding.font().pointSize() > start  # the prompt grows with them
    assert load_preferences().presenter_notes_points == start + 4
    press(first, K.Key_Minus, "-")
    assert first.console.notes.font().pointSize() == start + 2
    first.end()
    for _ in range(40):
        press(first, K.Key_Minus, "-")  # keys after the end do nothing; bounds hold below
    assert show().console.notes.font().pointSize() == start + 2
    second = show()
    for _ in range(40):
        press(second, K.Key_Minus, "-")
    assert second.console.notes.font().pointSize() == 12  # still readable


def test_g_opens_the_overview_the_arrows_choose_and_enter_jumps_there(qtbot, show):
    running = show(slide=2)
    overview = running.console.overview
    press(running, K.Key_G, "g")
    assert overview.isVisible() and overview.currentRow() == 2
    assert running.console.isVisible()  # one screen: the console comes in front for it
    assert overview.geometry() == running.console.rect()
    assert overview.count() == len(running.deck) and "Our ground rules" in overview.item(1).text()
    press(running, K.Key_Right)
    press(running, K.Key_Right)
    assert overview.currentRow() == 4 and running.session.slide == 2  # choosing, not moving yet
    press(running, K.Key_Down)
    assert overview.currentRow() == min(4 + overview.columns(), len(running.deck) - 1)
    press(running, K.Key_Left)
    chosen = overview.currentRow()
    press(running, K.Key_Return)
    assert running.session.slide == chosen and not overview.isVisible()
    assert running.audience.isVisible() and not running.console.isVisible()  # back to the slides


def test_esc_or_g_closes_the_overview_without_moving_or_ending_the_show(qtbot, show):
    running = show(slide=1)
    press(running, K.Key_G, "g")
    press(running, K.Key_Right)
    press(running, K.Key_Escape)
    assert not running.console.overview.isVisible() and running.session.slide == 1
    assert not running.finished
    press(running, K.Key_G, "g")
    press(running, K.Key_G, "g")
    assert not running.console.overview.isVisible()
    press(running, K.Key_G, "g")
    QTest.keyClicks(running.console, "12")
    press(running, K.Key_Return)
    assert running.session.slide == 11 and not running.console.overview.isVisible()


def test_a_clicked_tile_jumps_to_its_slide(qtbot, show):
    running = show()
    press(running, K.Key_G, "g")
    overview = running.console.overview
    overview.itemClicked.emit(overview.item(5))
    assert running.session.slide == 5 and not overview.isVisible()


def test_a_shows_and_hides_the_mouse_pointer_on_the_slides(qtbot, show):
    running = show()
    assert running.audience.cursor().shape() == Qt.CursorShape.BlankCursor
    press(running, K.Key_A, "a")
    assert running.audience.cursor().shape() == Qt.CursorShape.ArrowCursor
    press(running, K.Key_A, "a")
    assert running.audience.cursor().shape() == Qt.CursorShape.BlankCursor


def test_the_first_key_after_f5_moves_the_show_even_before_the_slide_has_loaded(
        qtbot, fixture_content, lesson_window):
    session, window = lesson_window(fixture_content, "who-can-i-tell")
    window.actions["present.start"].trigger()
    qtbot.waitUntil(lambda: window.presentation is not None, timeout=20000)
    view = window.presentation.audience.view
    qtbot.waitUntil(lambda: view.focusProxy() is not None, timeout=20000)
    QTest.keyClick(view.focusProxy(), K.Key_Right)  # Chromium's widget, as a real keyboard types
    assert session.slide == 1
    QTest.keyClick(view.focusProxy(), K.Key_Escape)
    assert window.presentation is None


def readme_show_keys() -> list[str]:
    """The keys the README's Presenting section names, e.g. Right, PageDown, ".", Esc."""
    text = README.read_text(encoding="utf-8")
    sentence = text[text.index("Keys are PowerPoint's:"):text.index("to stop at that slide")]
    sentence = sentence.replace("a number then Enter to jump", "")
    keys = re.findall(r"\*\*(.+?)\*\*|\b(Right|Left|Space|PageDown|PageUp|N|P|Enter|Backspace|Home|End)\b",
                      sentence)
    return [a or b for a, b in keys]


def test_f1_names_every_show_key_the_readme_lists_in_words():
    listed = " ".join(keys for _, keys, _ in show_rows())
    names = {"PageDown": "Page Down", "PageUp": "Page Up", ".": "Full stop (.)", ",": "Comma (,)"}
    wanted = readme_show_keys()
    assert {"Enter", "PageDown", ".", ",", "Esc", "B"} <= set(wanted)
    for key in wanted:
        assert names.get(key, key) in listed, key
    rows = {what: keys for _, keys, what in show_rows()}
    assert "Enter" in rows["Next slide"].split(", ")
    assert rows["Black screen (again to return)"] == "B, Full stop (.)"
    assert all(keys.strip(" ,.") for keys in rows.values())  # no bare "." or ","


def move(widget, x: int, y: int, kind=None, buttons=Qt.MouseButton.NoButton) -> None:
    """A mouse event at (x, y) sent straight to the widget (offscreen has no real pointer)."""
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    kind = kind or QEvent.Type.MouseMove
    button = Qt.MouseButton.LeftButton if kind == QEvent.Type.MouseButtonPress else Qt.MouseButton.NoButton
    held = buttons | button
    QApplication.sendEvent(widget, QMouseEvent(kind, QPointF(x, y), QPointF(x, y), button, held,
                                               Qt.KeyboardModifier.NoModifier))


def test_l_and_d_point_and_draw_on_both_the_preview_and_the_projector_and_a_new_slide_clears(
        qtbot, show):
    from edukit.gui.presentation.audience import letterbox

    running = show()
    ink = running.ink
    preview = running.console.current_box.children_kept[-1]
    projected = running.audience.ink_overlay
    assert running.audience.shape is None  # a bundled lesson's slides fill the projector
    assert projected.geometry() == letterbox(running.audience.width(), running.audience.height(), None)
    assert projected.geometry() == running.audience.rect()
    assert preview.testAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)  # off: clicks pass
    press(running, K.Key_L)
    assert ink.mode == "laser" and not preview.testAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
    preview.resize(320, 180)
    move(preview, 160, 45)
    assert ink.laser is not None and (round(ink.laser.x(), 2), round(ink.laser.y(), 2)) == (0.5, 0.25)
    assert "Laser" in running.console.ink_state.text()
    press(running, K.Key_D)
    assert ink.mode == "pen" and ink.laser is None
    move(preview, 10, 10, QEvent.Type.MouseButtonPress)
    move(preview, 50, 50, QEvent.Type.MouseMove, Qt.MouseButton.LeftButton)
    assert len(ink.strokes) == 1 and len(ink.strokes[0]) == 2
    press(running, K.Key_Right)
    assert ink.strokes == [] and ink.laser is None  # cleared on slide change
    ink.point(preview.fraction(5, 5), True, True)
    press(running, K.Key_E)
    assert ink.strokes == []
    press(running, K.Key_D)
    assert ink.mode == "" and not running.console.ink_state.isVisible()
