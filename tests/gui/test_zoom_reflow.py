"""Lesson text reflows from 50% to 300% zoom: in the reading pane of a 1280-wide window no
bundled lesson, nor one with a wide table, code, a picture, a long address and maths, needs
sideways scrolling (WCAG 1.4.10). Measured in the real web view, in the ApplicationWorld, so
nothing in a lesson can change the measurement."""
from __future__ import annotations

import json

import pytest
from pictures import png

from edukit.core.paths import content_dir

ZOOMS = (0.5, 1.0, 2.0, 3.0)
# Page width against the viewport, and the first few elements that stick out on the right.
MEASURE = """JSON.stringify({
  scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth,
  wide: [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
    .slice(0, 4).map(e => e.tagName + '.' + e.className)})"""
WIDE_LESSON = """---
title: Wide things
---
# Wide things

| Way of choosing a password | How easy it is to guess for a stranger | Year introduced | Who recommends it | Notes for the teacher |
|---|---|---|---|---|
| Pet's name | Extremely guessable | Unknown | Nobody | Ask the class why this is a poor idea |
| Three random words | Unguessable | 2015 | NCSC | Long and easy to remember |

```
password_checker = "https://example.org/a/very/long/path/that/goes/on/and/on/and/on/for/ever"
```

See https://www.example.org/a/very/long/address/without/any/spaces/in/it/at/all/whatsoever

![A wide picture of a classroom](wide.png)

$$\\sum_{n=1}^{100} n = 5050$$

::: {.routes for=staff}
:::
"""


def bundled_lessons() -> list[str]:
    return sorted(p.name for p in (content_dir() / "modules").iterdir()
                  if (p / "module.md").is_file())


@pytest.fixture
def wide_root(tmp_path):
    folder = tmp_path / "modules" / "wide-things"  # pictures show only from a lesson's folder
    folder.mkdir(parents=True)
    (folder / "module.md").write_text(WIDE_LESSON, encoding="utf-8")
    (folder / "wide.png").write_bytes(png(width=2400, height=200))
    return tmp_path


def at_zoom(qtbot, js, window, factor: float) -> dict:
    """Zoom the lesson, wait until the page has laid out at the new width, measure."""
    window.lesson.set_zoom(factor)
    width = window.view.width() / factor
    qtbot.waitUntil(lambda: abs(js(window.page, "window.innerWidth") - width) <= 1, timeout=5000)
    return json.loads(js(window.page, MEASURE))


def open_lesson(qtbot, session, window, module_id: str) -> None:
    with qtbot.waitSignal(window.page.loadFinished, timeout=20000):
        session.open(module_id)


def sideways(found: dict) -> int:
    return found["scroll"] - found["client"]


def test_every_lesson_reflows_from_50_to_300_percent_without_sideways_scrolling(
        qtbot, js, wide_root, lesson_window):
    session, window = lesson_window(wide_root, "wide-things")
    window.resize(1280, 800)
    qtbot.waitUntil(lambda: window.width() == 1280)
    failures, measured = [], 0
    for module_id in ["wide-things", *bundled_lessons()]:
        open_lesson(qtbot, session, window, module_id)
        for factor in ZOOMS:
            found = at_zoom(qtbot, js, window, factor)
            measured += 1
            if sideways(found) > 0:
                failures.append((module_id, factor, found))
    window.lesson.set_zoom(1.0)
    assert measured == 4 * (1 + len(bundled_lessons())) and len(bundled_lessons()) >= 20
    assert failures == []
    print(f"reading pane {window.view.width()} px wide in a {window.width()} px window: "
          f"{measured} lesson/zoom pairs, none scrolls sideways")


def test_zoomed_in_code_wraps_and_the_wide_table_fits(qtbot, js, wide_root, lesson_window):
    _, window = lesson_window(wide_root, "wide-things")
    window.resize(1280, 800)
    pre = "document.querySelector('pre')"
    box_scrolls = f"{pre}.scrollWidth > {pre}.clientWidth"
    at_zoom(qtbot, js, window, 1.0)
    assert js(window.page, box_scrolls)  # control: at 100% a code line keeps its line
    at_zoom(qtbot, js, window, 2.0)
    assert not js(window.page, box_scrolls)
    assert js(window.page, f"getComputedStyle({pre}).whiteSpace") == "pre-wrap"
    assert js(window.page, "document.querySelector('main img').naturalWidth") == 2400
    table = "document.querySelector('table').getBoundingClientRect().right"
    assert js(window.page, table) <= js(window.page, "document.documentElement.clientWidth")
    window.lesson.set_zoom(1.0)


def test_an_element_too_wide_for_the_page_is_caught(qtbot, js, wide_root, lesson_window):
    # Positive control: the measurement sees a page that does scroll sideways at 200%.
    _, window = lesson_window(wide_root, "wide-things")
    window.resize(1280, 800)
    assert sideways(at_zoom(qtbot, js, window, 2.0)) <= 0
    js(window.page, "const d = document.createElement('div'); d.className = 'too-wide';"
                    "d.style.width = '50rem'; d.textContent = 'x';"
                    "document.querySelector('main').append(d); 1")
    found = at_zoom(qtbot, js, window, 2.0)
    assert sideways(found) > 0 and "DIV.too-wide" in found["wide"]
    window.lesson.set_zoom(1.0)
