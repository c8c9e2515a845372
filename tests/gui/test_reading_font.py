"""Settings > Reading font changes the font the lesson is drawn in, from edukit's own file."""
from __future__ import annotations

import json

BODY_FONT = "getComputedStyle(document.body).fontFamily"
# Faces the page has loaded: a web font is fetched only when text is drawn in it.
LOADED = "[...document.fonts].some(f => f.family.includes('{}') && f.status === 'loaded')"
LOADED_ATKINSON = LOADED.format("Atkinson Hyperlegible")
LOADED_DYSLEXIC = LOADED.format("OpenDyslexic")


def choose(qtbot, window, action_id: str) -> None:
    with qtbot.waitSignal(window.page.loadFinished, timeout=20000):
        window.actions[action_id].trigger()


def test_the_reading_font_setting_changes_the_lesson_and_slides_fonts(
        qtbot, js, fixture_content, lesson_window, user_dirs):
    session, window = lesson_window(fixture_content, "who-can-i-tell")
    # Control: the usual font, and Atkinson Hyperlegible never loaded for a lesson.
    assert js(window.page, BODY_FONT).startswith('"Segoe UI"')
    assert js(window.page, LOADED_ATKINSON) is False
    choose(qtbot, window, "settings.font_legible")
    assert js(window.page, BODY_FONT).startswith('"Atkinson Hyperlegible"')
    qtbot.waitUntil(lambda: js(window.page, LOADED_ATKINSON) is True, timeout=10000)
    saved = json.loads((user_dirs["config"] / "preferences.json").read_text(encoding="utf-8"))
    assert saved["reading_font"] == "legible"
    choose(qtbot, window, "settings.font_dyslexic")
    assert js(window.page, BODY_FONT).startswith("OpenDyslexic")
    qtbot.waitUntil(lambda: js(window.page, LOADED_DYSLEXIC) is True, timeout=10000)
    choose(qtbot, window, "settings.font_system")
    assert js(window.page, BODY_FONT).startswith("system-ui")
    # Slides are in the legible face by default, and follow a chosen font.
    with qtbot.waitSignal(window.page.loadFinished, timeout=20000):
        session.set_view("slides")
    assert js(window.page, BODY_FONT).startswith("system-ui")
    choose(qtbot, window, "settings.font_default")
    assert js(window.page, BODY_FONT).startswith('"Atkinson Hyperlegible"')
    qtbot.waitUntil(lambda: js(window.page, LOADED_ATKINSON) is True, timeout=10000)


def test_a_new_reading_font_measures_the_slides_again(qapp, fixture_content):
    # A slide cut to fit in one face may overflow in a wider one (OpenDyslexic): the fits and
    # the "already measured" marks go with the old font.
    from edukit.core.library import Library
    from edukit.core.model import School
    from edukit.core.slide_fit import SlideFit
    from edukit.gui.session import Session

    session = Session(Library.default(extra=[fixture_content]), School())
    key = (fixture_content / "who-can-i-tell.md", 0)
    session.pages.measured.add(key)
    session.pages.fits[key] = SlideFit()
    session.set_reading_font("default")  # control: the same font keeps them
    assert key in session.pages.measured and key in session.pages.fits
    session.set_reading_font("dyslexic")
    assert session.pages.measured == set() and session.pages.fits == {}
