"""Presenting: the audience window on the projector, the presenter console on the laptop, every
key of the show, projector safety over every bundled slide, and slides that fit the screen."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from html import unescape

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from edukit.core.library import Library
from edukit.core.model import School
from edukit.gui.presentation.controller import Presentation
from edukit.gui.session import Session

TAG = re.compile(r"<[^>]+>")


@pytest.fixture
def present(qapp, qtbot):
    """present(module_id, start=0): a running show; ended and its windows deleted afterwards."""
    shows = []

    def start(module_id: str, start: int = 0, content=()) -> Presentation:
        session = Session(Library.default(extra=list(content)), School(name="Hill Primary"))
        session.open(module_id)
        show = Presentation(session, start)
        shows.append(show)
        wait_for_slide(qtbot, show, start)
        qtbot.waitUntil(lambda: not show.waiting(), timeout=5000)  # on screen (its slide painted)
        return show
    yield start
    for show in shows:
        show.end()
        show.dispose()


def target_id(show: Presentation, view=None) -> str:
    """The id of the slide the audience page shows (its :target), read in the ApplicationWorld."""
    from PySide6.QtWebEngineCore import QWebEngineScript

    box = []
    page = (view or show.audience.view).page()
    page.runJavaScript("(document.querySelector('.slide:target') || {id: ''}).id",
                       QWebEngineScript.ScriptWorldId.ApplicationWorld, box.append)
    QTest.qWait(0)
    while not box:
        QTest.qWait(2)
    return box[0]


def wait_for_slide(qtbot, show: Presentation, index: int, view=None) -> None:
    qtbot.waitUntil(lambda: target_id(show, view) == f"slide-{index + 1}", timeout=20000)


def press(qtbot, show: Presentation, key, text: str = "", widget=None) -> None:
    QTest.keyClick(widget or show.audience, key)
    qtbot.wait(1)


def page_text(js, show: Presentation) -> tuple[str, str]:
    page = show.audience.view.page()
    return js(page, "document.documentElement.outerHTML"), js(page, "document.body.innerText")


# -- screens -----------------------------------------------------------------------------------
SCREENS_SCRIPT = """
import json, sys
from edukit.gui.runtime import make_application
app = make_application([sys.argv[0]])
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from edukit.core.library import Library
from edukit.core.model import School
from edukit.gui.session import Session
from edukit.gui.presentation.controller import Presentation

session = Session(Library.default(), School())
session.open("who-can-i-tell")
show = Presentation(session)
while show.waiting():  # off screen until its first slide has painted
    QTest.qWait(20)
QTest.qWait(300)

def state():
    return {"audience": show.audience.screen().name(), "console": show.console.screen().name(),
            "audience_full": show.audience.isFullScreen(), "audience_shown": show.audience.isVisible(),
            "console_full": show.console.isFullScreen(), "console_shown": show.console.isVisible()}

out = {"start": state()}
show.console.swap.click()
QTest.qWait(200)
out["swapped"] = state()
QTest.keyClick(show.console if show.console.isVisible() else show.audience, Qt.Key.Key_S)
QTest.qWait(200)
out["after_s"] = state()
QTest.keyClick(show.console if show.console.isVisible() else show.audience, Qt.Key.Key_S)
QTest.qWait(200)
out["after_s_twice"] = state()
print("RESULT " + json.dumps(out))
show.end()
show.dispose()
QTest.qWait(100)
"""


def run_with_screens(tmp_path, screens: list[dict]) -> dict:
    config = tmp_path / "screens.json"
    config.write_text(json.dumps({"screens": screens}))
    script = tmp_path / "show.py"
    script.write_text(SCREENS_SCRIPT)
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}")
    done = subprocess.run([sys.executable, str(script)], env=env, capture_output=True, text=True, check=False,
                          timeout=120)
    line = next((x for x in done.stdout.splitlines() if x.startswith("RESULT ")), None)
    assert line, done.stdout + done.stderr
    return json.loads(line.removeprefix("RESULT "))


LAPTOP = {"name": "laptop", "x": 0, "y": 0, "width": 1366, "height": 768}
PROJECTOR = {"name": "projector", "x": 1366, "y": 0, "width": 1280, "height": 720}


def test_with_two_screens_the_slides_go_full_screen_on_the_projector_and_the_console_on_the_laptop(tmp_path):
    result = run_with_screens(tmp_path, [LAPTOP, PROJECTOR])
    start = result["start"]
    assert start["audience"] == "projector" and start["audience_full"] and start["audience_shown"]
    assert start["console"] == "laptop" and start["console_shown"]
    swapped = result["swapped"]  # the console's "Swap screens" button
    assert swapped["audience"] == "laptop" and swapped["console"] == "projector"
    assert swapped["audience_shown"] and swapped["console_shown"]
    assert result["after_s"]["audience_shown"] and result["after_s"]["console_shown"]  # S: one-screen key only


def test_with_one_screen_the_slides_are_full_screen_and_s_shows_the_console_and_back(tmp_path):
    result = run_with_screens(tmp_path, [dict(LAPTOP, name="only")])
    start = result["start"]
    assert start["audience"] == "only" and start["audience_full"] and start["audience_shown"]
    assert not start["console_shown"]
    # "Swap screens" with one screen swaps the views, and S swaps them back, and again.
    assert result["swapped"]["console_shown"] and not result["swapped"]["audience_shown"]
    assert result["after_s"]["audience_shown"] and not result["after_s"]["console_shown"]
    after = result["after_s_twice"]
    assert after["console_shown"] and after["console_full"] and not after["audience_shown"]


def test_choose_screens_picks_the_non_primary_screen_or_the_teachers_choice():
    from edukit.gui.presentation.screens import choose_screens

    assert choose_screens(["laptop"], "laptop") == ("laptop", "laptop")
    assert choose_screens(["laptop", "projector"], "laptop") == ("projector", "laptop")
    assert choose_screens(["projector", "laptop"], "laptop") == ("projector", "laptop")
    assert choose_screens(["laptop", "tv", "projector"], "laptop", "projector") == ("projector", "laptop")
    assert choose_screens(["laptop", "projector"], "laptop", "laptop") == ("laptop", "projector")


# -- keys --------------------------------------------------------------------------------------
NEXT_KEYS = [Qt.Key.Key_Right, Qt.Key.Key_Down, Qt.Key.Key_Space, Qt.Key.Key_PageDown, Qt.Key.Key_N,
             Qt.Key.Key_Return, Qt.Key.Key_Enter]
PREVIOUS_KEYS = [Qt.Key.Key_Left, Qt.Key.Key_Up, Qt.Key.Key_PageUp, Qt.Key.Key_P, Qt.Key.Key_Backspace]


@pytest.mark.parametrize("key", NEXT_KEYS, ids=lambda k: k.name)
def test_next_keys_advance_one_slide_on_the_projector(qtbot, present, key):
    show = present("who-can-i-tell", 3)
    press(qtbot, show, key)
    assert show.session.slide == 4
    wait_for_slide(qtbot, show, 4)
    wait_for_slide(qtbot, show, 4, show.console.current)
    wait_for_slide(qtbot, show, 5, show.console.next)


@pytest.mark.parametrize("key", PREVIOUS_KEYS, ids=lambda k: k.name)
def test_previous_keys_go_back_one_slide(qtbot, present, key):
    show = present("who-can-i-tell", 3)
    press(qtbot, show, key, widget=show.console)  # the console takes the same keys
    assert show.session.slide == 2
    wait_for_slide(qtbot, show, 2)


def test_home_end_and_the_ends_of_the_deck(qtbot, present):
    show = present("who-can-i-tell", 3)
    last = len(show.deck) - 1
    press(qtbot, show, Qt.Key.Key_End)
    wait_for_slide(qtbot, show, last)
    press(qtbot, show, Qt.Key.Key_Right)  # nothing after the last slide
    assert show.session.slide == last
    assert show.console.end_label.isVisibleTo(show.console)
    press(qtbot, show, Qt.Key.Key_Home)
    wait_for_slide(qtbot, show, 0)
    press(qtbot, show, Qt.Key.Key_Left)
    assert show.session.slide == 0


def test_a_number_then_enter_jumps_to_that_slide(qtbot, present):
    show = present("who-can-i-tell")
    QTest.keyClicks(show.audience, "12")
    assert show.session.slide == 0 and "12" in show.console.typed.text()
    press(qtbot, show, Qt.Key.Key_Return)
    assert show.session.slide == 11
    wait_for_slide(qtbot, show, 11)
    assert show.console.count.text() == f"Slide 12 of {len(show.deck)}"
    assert show.console.jump_list.currentRow() == 11
    QTest.keyClicks(show.audience, "99")
    press(qtbot, show, Qt.Key.Key_Enter)
    assert show.session.slide == len(show.deck) - 1  # past the end: the last slide


@pytest.mark.parametrize("keys,colour", [((Qt.Key.Key_B, Qt.Key.Key_Period), "black"),
                                         ((Qt.Key.Key_W, Qt.Key.Key_Comma), "white")])
def test_b_and_w_blank_the_projector_and_the_same_key_brings_the_slide_back(qtbot, present, keys, colour):
    show = present("who-can-i-tell", 2)
    show.audience.resize(640, 360)
    rgb = {"black": (0, 0, 0), "white": (255, 255, 255)}[colour]
    for key in keys:
        press(qtbot, show, key)
        assert show.audience.blanked == colour
        assert show.audience.stack.currentWidget() is show.audience.blank
        image = show.audience.grab().toImage()
        pixel = image.pixelColor(image.width() // 2, image.height() // 2)
        assert (pixel.red(), pixel.green(), pixel.blue()) == rgb
        assert colour in show.console.blank_state.text()
        press(qtbot, show, key)
        assert show.audience.blanked == ""
        assert show.audience.stack.currentWidget() is show.audience.view
    press(qtbot, show, keys[0])
    other = Qt.Key.Key_W if colour == "black" else Qt.Key.Key_B
    press(qtbot, show, other)  # black straight to white, and back
    assert show.audience.blanked == ("white" if colour == "black" else "black")


def test_esc_ends_the_show_and_the_lesson_returns_at_that_slide(qtbot, js, fixture_content, lesson_window):
    session, window = lesson_window(fixture_content, "who-can-i-tell")
    window.actions["present.start"].trigger()  # F5
    show = window.presentation
    wait_for_slide(qtbot, show, 0)
    for _ in range(9):
        press(qtbot, show, Qt.Key.Key_PageDown)  # what a presentation remote sends
    title = show.deck[9].title
    with qtbot.waitSignal(show.ended, timeout=5000) as ended:
        press(qtbot, show, Qt.Key.Key_Escape)
    assert ended.args == [9] and window.presentation is None and session.slide == 9
    qtbot.waitUntil(lambda: not shiboken6.isValid(show.audience), timeout=5000)  # windows deleted
    top = "[...document.querySelectorAll('h2')].find(h => h.getBoundingClientRect().top >= -2)?.textContent"
    qtbot.waitUntil(lambda: js(window.page, top) == title, timeout=5000)

    # Shift+F5 starts at the slide holding the section the lesson shows.
    window.actions["present.current"].trigger()
    qtbot.waitUntil(lambda: getattr(window, "presentation", None) is not None, timeout=5000)
    assert session.slide == 9
    wait_for_slide(qtbot, window.presentation, 9)
    window.presentation.end()


def test_shift_f5_at_the_top_of_the_lesson_starts_at_the_first_slide(qtbot, fixture_content, lesson_window):
    session, window = lesson_window(fixture_content, "who-can-i-tell")
    window.actions["present.current"].trigger()
    qtbot.waitUntil(lambda: getattr(window, "presentation", None) is not None, timeout=5000)
    assert session.slide == 0
    show = window.presentation
    with qtbot.waitSignal(show.ended, timeout=5000):
        show.console.end.click()  # the console's "End show" button ends it too


# -- the console -------------------------------------------------------------------------------
def test_console_shows_notes_with_safeguarding_pinned_above_and_the_slide_count(qtbot, present, fixture_content):
    show = present("sample-lesson", content=[fixture_content])
    console = show.console
    assert console.count.text() == "Slide 1 of 3"
    assert console.safeguarding.isVisibleTo(console) and "SAFEGUARDING-SECRET" in console.safeguarding.toPlainText()
    press(qtbot, show, Qt.Key.Key_S)  # one screen here: S puts the console in front
    qtbot.waitUntil(console.isVisible)
    assert console.safeguarding.geometry().bottom() < console.notes.geometry().top()  # pinned above
    assert console.safeguarding.x() == console.notes.x()
    assert console.notes.font().pointSize() >= 20  # large, readable type
    press(qtbot, show, Qt.Key.Key_Right)
    assert "NOTES-SECRET" in console.notes.toPlainText()
    assert not console.safeguarding.isVisibleTo(console)  # nothing to pin on this slide
    assert [console.jump_list.item(i).text() for i in range(3)] == [
        "1. Sample lesson", "2. Ground rules", "3. Who can I tell?"]
    console.jump_list.itemClicked.emit(console.jump_list.item(2))
    assert show.session.slide == 2
    wait_for_slide(qtbot, show, 2)


def test_timer_counts_against_the_duration_and_pauses_and_resets(qtbot, present):
    show = present("who-can-i-tell")
    console = show.console
    now = [1000.0]
    console.stopwatch.now = lambda: now[0]
    console.stopwatch.reset()
    now[0] += 125
    console.tick()
    # the slides' planned 52 minutes (the lesson's duration is a range, 45-55)
    assert console.elapsed.text().startswith("2:05 / 52:00")
    assert console.pace.text().startswith("Behind by")  # slide 1 is planned to take 1 minute
    console.pause.click()
    now[0] += 600
    console.tick()
    assert "2:05" in console.elapsed.text() and "paused" in console.elapsed.text()
    assert console.pause.text() == "Resume timer"
    console.reset.click()
    assert console.elapsed.text().startswith("0:00")
    console.pause.click()
    now[0] += 30
    console.tick()
    assert console.elapsed.text().startswith("0:30") and console.pace.text() == "On time"


def test_pacing_cue_follows_the_plan_from_the_notes():
    from edukit.core.model import Slide
    from edukit.gui.presentation.timing import clock, pace, plan

    slides = [Slide(0, "a", "", notes_html="<p><strong>Timing: 5 minutes.</strong></p>"),
              Slide(1, "b", ""), Slide(2, "c", "")]
    minutes = plan(slides, 25)
    assert minutes == [5.0, 10.0, 10.0]
    assert pace(3 * 60, minutes, 0).state == "on-time"
    assert pace(8 * 60, minutes, 0) == pace(8 * 60, minutes, 0)
    assert pace(8 * 60, minutes, 0).label == "Behind by 3 min"
    assert pace(1 * 60, minutes, 2).label == "Ahead by 14 min"
    assert pace(30 * 60, minutes, 2).label == "Over time by 5 min"
    assert pace(60, plan(slides[1:], None), 0).state == "none"
    assert clock(3725) == "1:02:05" and clock(65) == "1:05"


# -- projector safety --------------------------------------------------------------------------
def teacher_phrases(slide) -> list[str]:
    """Sentences of a slide's notes and safeguarding text, long enough to be unmistakable."""
    runs = (" ".join(unescape(run).split()) for run in TAG.split(slide.notes_html + slide.safeguarding_html))
    parts = [part for run in runs for part in re.split(r"(?<=[.!?:])\s+", run)]
    return [part for part in parts if len(part.split()) >= 6]


def leaks(html: str, text: str, slides, shared: str = "") -> list[str]:
    """Teacher-only sentences found in a page. Sentences the lesson also says to pupils (a key
    message repeated in the notes, say) are `shared`: found in the pupils' lesson view."""
    flat_html, flat_text = " ".join(unescape(html).split()), " ".join(text.split())
    return [p for s in slides for p in teacher_phrases(s)
            if (p in flat_html or p in flat_text) and p not in shared]


def pupil_text(session, module) -> str:
    """What the lesson view (render_lesson, teacher blocks left out) says, as plain text."""
    return " ".join(unescape(TAG.sub(" ", session.rendered(module, "lesson").html)).split())


def test_the_projector_never_shows_notes_or_safeguarding_on_any_bundled_slide(qtbot, js, present):
    library = Library.default()
    checked = 0
    for module in [m for m in library.modules if not m.meta.is_resource]:  # lessons: slides
        show = present(module.id)
        shared = pupil_text(show.session, module)
        assert sum(len(teacher_phrases(s)) for s in show.deck) > 0  # there is something to leak
        for index in range(len(show.deck)):
            show.session.set_slide(index)
            wait_for_slide(qtbot, show, index)
            html, text = page_text(js, show)
            assert show.deck[index].title.split()[0].strip("*_`") in text  # the right slide shows
            assert leaks(html, text, show.deck, shared) == [], (module.id, index)
            assert "notes" not in js(show.audience.view.page(),
                                     "[...document.querySelectorAll('.block')].map(b => b.className).join(' ')")
            checked += 1
        assert {u.split("#")[0] for u in loaded_urls(show)} == {f"edukit://app/module/{module.id}/slides.html"}
        show.end()
    assert checked > 150


def loaded_urls(show: Presentation) -> list[str]:
    served = show.profile.edukit_handler.served
    return [u for u in served if "/module/" in u and u.endswith(".html") or ".html#" in u]


def test_positive_control_the_leak_check_catches_a_note_on_the_page(qtbot, js, present, locked_page):
    """The same check, pointed at the teacher guide (which shows notes), must find them."""
    show = present("who-can-i-tell")
    page, _ = locked_page(show.session)
    from edukit.gui.webview import module_url

    with qtbot.waitSignal(page.loadFinished, timeout=20000):
        page.load(module_url("who-can-i-tell", "guide"))
    html, text = js(page, "document.documentElement.outerHTML"), js(page, "document.body.innerText")
    found = leaks(html, text, show.deck, pupil_text(show.session, show.module))
    assert len(found) > 10
    assert any("date and time of this lesson" in f for f in found)  # a safeguarding sentence


def test_blank_screens_and_the_console_never_put_notes_on_the_projector(qtbot, js, present, fixture_content):
    show = present("sample-lesson", content=[fixture_content])
    for key in (Qt.Key.Key_B, Qt.Key.Key_B, Qt.Key.Key_W, Qt.Key.Key_Right, Qt.Key.Key_W, Qt.Key.Key_S):
        press(qtbot, show, key)
        html, text = page_text(js, show)
        for secret in ("NOTES-SECRET", "SAFEGUARDING-SECRET", "HANDOUT-ONLY"):
            assert secret not in html and secret not in text


# -- fitting the screen ------------------------------------------------------------------------
@pytest.fixture
def measurer(qapp):
    from edukit.gui.measure import SlideMeasurer

    made = []

    def make(session, size=(1280, 720)):
        made.append(SlideMeasurer(session.pages, size))
        return made[-1]
    yield make
    for m in made:
        m.close()


@pytest.mark.parametrize("size", [(1280, 720), (1366, 768), (1920, 1080), (1024, 768)],
                         ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_bundled_slide_fits_the_screen_without_scrolling(qtbot, measurer, size):
    session = Session(Library.default(), School(name="St Bartholomew's Church of England Primary"))
    m = measurer(session, size)
    for module in [m for m in session.library.modules if not m.meta.is_resource]:
        fits = m.measure(module)
        assert len(fits) == len(session.rendered(module, "slides").slides)
        over = [(module.id, f.index + 1) for f in fits if f.overflows]
        assert over == []
        assert all(f.box_width == min(size[0], size[1] * 16 // 9) or
                   abs(f.box_width - size[0]) <= 1 for f in fits)


def test_an_overlong_slide_is_measured_as_overflowing(qtbot, measurer, tmp_path):
    lines = "\n".join(f"- Point number {n} about staying safe online" for n in range(40))
    (tmp_path / "long.md").write_text(f"---\ntitle: Long\n---\n# Long\n\n## Short\n\nHello.\n\n## Too long\n\n{lines}\n")
    session = Session(Library.default(extra=[tmp_path]), School())
    fits = measurer(session).measure(session.library.get("long"))
    assert [f.overflows for f in fits] == [False, False, True]


def test_validate_warns_with_file_and_line_when_a_slide_is_continued(tmp_path):
    lines = "\n".join(f"- Point number {n} about staying safe online" for n in range(40))
    path = tmp_path / "long.md"
    path.write_text(f"---\ntitle: Long\n---\n# Long\n\n## Short\n\nHello.\n\n## Too long\n\n{lines}\n")
    done = subprocess.run([sys.executable, "-m", "edukit", "validate", str(path)],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0
    warnings = [x for x in done.stdout.splitlines() if "does not fit" in x]
    assert len(warnings) == 1, warnings  # continued, so nothing is left that does not fit
    assert re.fullmatch(re.escape(f"{path}:10: warning: slide 3 'Too long' does not fit a 1280x720 "
                                  "screen: continued on ") + r"\d more slides", warnings[0])


def test_validate_finds_no_overflowing_slide_in_the_bundled_modules():
    done = subprocess.run([sys.executable, "-m", "edukit", "validate"], capture_output=True,
                          text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "does not fit" not in done.stdout
    assert "25 modules checked" in done.stderr  # 19 lessons and 6 resources


def test_ending_twice_is_harmless_and_windows_are_gone(qtbot, present):
    show = present("who-can-i-tell")
    show.end()
    show.end()
    show.dispose()
    assert not shiboken6.isValid(show.audience) and not shiboken6.isValid(show.console)


def test_the_consoles_type_follows_the_system_font(qtbot, present):
    # A teacher who set a larger desktop font gets larger console type: the console's sizes
    # were fixed in points (22 pt slide count, 11 pt buttons whatever the desktop's font).
    # Text grows in proportion, the large status type by the points added (so the status row
    # still fits a laptop screen).
    from PySide6.QtWidgets import QApplication, QLabel, QPushButton

    usual = QApplication.font()
    sizes = {}
    try:
        for points in (10, 20):
            font = QApplication.font()
            font.setPointSizeF(points)
            QApplication.setFont(font)
            show = present("who-can-i-tell")
            label = show.console.findChild(QLabel, "slide-count")
            label.ensurePolished()
            sizes[points] = label.font().pointSizeF()
            pause = show.console.findChild(QPushButton, "pause-timer")
            pause.ensurePolished()
            sizes[f"button {points}"] = pause.font().pointSizeF()
            sizes[f"width {points}"] = show.console.minimumSizeHint().width()
        # and when the desktop's font changes during the show
        font.setPointSizeF(15)
        QApplication.setFont(font)
        QApplication.processEvents()
        sizes[15] = label.font().pointSizeF()
    finally:
        QApplication.setFont(usual)
    assert sizes[10] == pytest.approx(22, abs=0.2) and sizes["button 10"] == pytest.approx(11)
    assert sizes[20] == pytest.approx(32, abs=0.2) and sizes["button 20"] == pytest.approx(22)
    assert sizes[15] == pytest.approx(27, abs=0.2)
    assert sizes["width 20"] <= 1280  # the console still fits a laptop screen


def test_a_continued_slide_shows_its_sections_notes_in_the_console_never_on_the_projector(
        qtbot, js):
    # In OpenDyslexic at the widest spacing "Who could help?" is continued on a second slide;
    # the console showed no notes there ("No notes for this slide") in the middle of the
    # activity. It shows the section's notes, marked as continued, and the projector none.
    from edukit.gui.measure import fit_now

    session = Session(Library.default(), School(name="Hill Primary"))
    session.set_reading_font("dyslexic")
    session.set_line_spacing("widest")
    session.open("who-can-i-tell")
    fit_now(session.pages, session.module)
    show = Presentation(session, 0)
    try:
        deck = show.deck
        index = next(n for n, s in enumerate(deck) if s.title == "Who could help? (continued)")
        first = next(s for s in deck if s.title == "Who could help?")
        show.session.set_slide(index)
        wait_for_slide(qtbot, show, index)
        notes = show.console.notes.toPlainText()
        assert "Continued" in notes and "Suggested answers" in notes
        assert "Suggested answers" in first.notes_html
        html, text = page_text(js, show)
        assert "Suggested answers" not in text and "Suggested answers" not in html
        assert leaks(html, text, deck, pupil_text(session, session.module)) == []
    finally:
        show.end()
        show.dispose()
