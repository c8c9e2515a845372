"""A 5,000-character unbroken line wraps inside the lesson; a long code line does not (at a
normal reading width; zoomed in it wraps too, tests/gui/test_zoom_reflow.py)."""
from __future__ import annotations

WIDE = ("[...document.querySelectorAll('main.page > *')].filter("
        "e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1).length")


def test_an_unbroken_line_wraps_but_a_code_block_keeps_its_line(qtbot, js, tmp_path, lesson_window):
    word = "x" * 5000
    (tmp_path / "long-line.md").write_text(
        f"---\ntitle: Long line\n---\n# Long line\n\n{word}\n\n```\n{'y' * 400}\n```\n")
    _, window = lesson_window(tmp_path, "long-line")
    window.resize(1280, 800)  # a reading pane of normal width: zoomed in, code wraps too
    page = window.page
    qtbot.waitUntil(lambda: js(page, "window.innerWidth") == window.view.width())
    assert js(page, "document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    assert js(page, WIDE) == 0  # nothing in the lesson runs off the right edge
    assert js(page, "document.querySelector('main.page p').offsetHeight") > 200  # it wrapped
    pre = "document.querySelector('pre')"
    assert js(page, f"{pre}.scrollWidth > {pre}.clientWidth")  # the code line scrolls instead
