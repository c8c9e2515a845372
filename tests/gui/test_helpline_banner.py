"""The app's problems banner says when a lesson's helplines cannot be trusted: a number the
route directory does not list, a help box turned off, a route file edukit did not ship."""
from __future__ import annotations

from edukit.core.paths import content_dir

FAKE = "0800 000 0000"


def write_lesson(root, name: str, body: str, front: str = "") -> None:
    (root / f"{name}.md").write_text(f"---\ntitle: {name.title()}\n{front}---\n# {name.title()}"
                                     f"\n\n{body}\n", encoding="utf-8")


def test_a_number_not_in_the_directory_reaches_the_banner(qtbot, tmp_path, lesson_window):
    write_lesson(tmp_path, "fake", f"Worried? Phone {FAKE} any time.")
    _, window = lesson_window(tmp_path, "fake")
    qtbot.waitUntil(window.banner.isVisible, timeout=10000)  # checked off the UI thread
    assert f"phone number {FAKE} is not in the route directory (uk.yaml)" in window.banner.text()


def test_a_lesson_turning_off_the_help_box_says_so_in_the_banner(qtbot, tmp_path, lesson_window):
    write_lesson(tmp_path, "nobox", "Nothing to see.", front="handout_routes: false\n")
    _, window = lesson_window(tmp_path, "nobox")
    qtbot.waitUntil(window.banner.isVisible, timeout=10000)
    assert "turns off the help box on its handout" in window.banner.text()


def test_a_route_file_from_a_content_folder_is_named_in_the_banner(qtbot, tmp_path, lesson_window):
    (tmp_path / "routes").mkdir()
    uk = (content_dir() / "routes" / "uk.yaml").read_text(encoding="utf-8")
    (tmp_path / "routes" / "uk.yaml").write_text(uk.replace('"0800 1111"', f'"{FAKE}"'),
                                                 encoding="utf-8")
    write_lesson(tmp_path, "plain", "Talk to a trusted adult.")
    _, window = lesson_window(tmp_path, "plain")
    qtbot.waitUntil(window.banner.isVisible, timeout=10000)
    text = window.banner.text()
    assert str(tmp_path / "routes" / "uk.yaml") in text
    assert f"changes Childline phone from 0800 1111 to {FAKE}" in text


def test_a_clean_lesson_has_no_banner(qtbot, tmp_path, lesson_window):
    write_lesson(tmp_path, "clean", "Call Childline on 0800 1111, or 999 in an emergency.")
    session, window = lesson_window(tmp_path, "clean")
    assert session.problems(session.module) == []
    assert not window.banner.isVisible()
