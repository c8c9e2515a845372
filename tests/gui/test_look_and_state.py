"""Look and state: the lesson page's own scrollbars take the dark themes, slides stay light on the
projector unless the teacher asks, and a theme chosen is saved at once, not only on quit."""
from __future__ import annotations

from edukit.core.settings import load_preferences


def test_a_theme_chosen_is_saved_at_once(qtbot, fixture_content, lesson_window):
    _, window = lesson_window(fixture_content, "who-can-i-tell")
    assert load_preferences().theme == "light"
    window.actions["view.theme_dark"].trigger()
    assert load_preferences().theme == "dark"  # without quitting
    window.actions["view.theme_contrast"].trigger()
    assert load_preferences().theme == "contrast"


def test_slides_stay_light_in_a_dark_reading_theme_unless_the_teacher_asks(
        qtbot, fixture_content, lesson_window):
    session, window = lesson_window(fixture_content, "who-can-i-tell")
    window.actions["view.theme_dark"].trigger()
    slides = session.rendered(session.module, "slides")
    lesson = session.rendered(session.module, "lesson")
    assert b"theme-dark.css" in session.pages.page_bytes(lesson)
    assert b"theme-dark.css" not in session.pages.page_bytes(slides)
    window.actions["present.slides_theme"].trigger()
    assert b"theme-dark.css" in session.pages.page_bytes(slides)
    assert load_preferences().slides_follow_theme is True


def test_the_lesson_pages_scrollbars_follow_the_dark_and_high_contrast_themes(
        qtbot, js, fixture_content, lesson_window):
    _, window = lesson_window(fixture_content, "who-can-i-tell")
    scheme = "getComputedStyle(document.documentElement).colorScheme"
    assert js(window.page, scheme) in ("normal", "")
    for action in ("view.theme_dark", "view.theme_contrast"):
        with qtbot.waitSignal(window.page.loadFinished, timeout=20000):
            window.actions[action].trigger()
        assert js(window.page, scheme) == "dark", action
