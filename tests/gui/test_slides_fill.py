"""4:3 and 16:10 projectors are filled without letterboxing: on audience windows of 1024x768,
1280x800 and 1920x1080 every slide covers the whole window (no bars) and no slide's content is
cut. Measured in the audience page itself; the positive controls show the measure sees bars (a
lesson that fixes its size) and cut content (a slide with far too much on it)."""
from __future__ import annotations

import json

import pytest
from PySide6.QtWebEngineCore import QWebEngineScript

from edukit.core.library import Library
from edukit.core.model import School
from edukit.gui.presentation.controller import Presentation
from edukit.gui.session import Session

SCREENS = [(1024, 768), (1280, 800), (1920, 1080)]
SLIDE_BOX = """JSON.stringify((() => {
  const s = document.querySelector('.slide:target');
  if (!s || document.readyState !== 'complete') return null;
  const r = s.getBoundingClientRect();
  return {id: s.id, x: r.left, y: r.top, w: r.width, h: r.height,
          vw: innerWidth, vh: innerHeight,
          cls: document.body.className, cut: s.scrollHeight > s.clientHeight + 1 || s.scrollWidth > s.clientWidth + 1};
})())"""
TOO_MUCH = "\n".join(f"- point number {n} on a slide that holds far too much" for n in range(60))


def lesson(front: str = "") -> str:
    return f"""---
title: Shapes
{front}---
# Shapes

## A slide

- one
- two

## Too much

{TOO_MUCH}
"""


@pytest.fixture
def projector(qapp, qtbot):
    """projector(module_id, size, content=()): a show whose audience window has that size."""
    shows = []

    def start(module_id: str, size: tuple[int, int], content=()) -> Presentation:
        session = Session(Library.default(extra=list(content)), School(name="Hill Primary"))
        session.open(module_id)
        running = Presentation(session)
        shows.append(running)
        qtbot.waitUntil(lambda: not running.waiting(), timeout=5000)  # on screen (its slide painted)
        audience = running.audience
        audience.showNormal()
        audience.resize(*size)
        qtbot.waitUntil(lambda: audience.size().toTuple() == size, timeout=5000)
        return running
    yield start
    for running in shows:
        running.end()
        running.dispose()


def slide_box(qtbot, running: Presentation, index: int, size: tuple[int, int],
              move: bool = True) -> dict:
    """The audience page's slide `index` as measured there (moving the show to it first)."""
    if move:
        running.session.set_slide(index)
    page, box = running.audience.view.page(), []

    def measured() -> bool:
        box.clear()
        page.runJavaScript(SLIDE_BOX, QWebEngineScript.ScriptWorldId.ApplicationWorld, box.append)
        qtbot.waitUntil(lambda: bool(box), timeout=5000)
        found = json.loads(box[0]) if box[0] else None
        return bool(found) and found["id"] == f"slide-{index + 1}" \
            and (found["vw"], found["vh"]) == size
    qtbot.waitUntil(measured, timeout=20000)
    return json.loads(box[0])


def bars(box: dict) -> list[str]:
    """The black bars around the slide: where it does not reach the window's edges."""
    found = []
    if box["x"] > 0.5 or box["x"] + box["w"] < box["vw"] - 0.5:
        found.append(f"side bars: slide {box['w']:.0f} wide in {box['vw']}")
    if box["y"] > 0.5 or box["y"] + box["h"] < box["vh"] - 0.5:
        found.append(f"top/bottom bars: slide {box['h']:.0f} high in {box['vh']}")
    return found


@pytest.mark.parametrize("size", SCREENS, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("module_id", ["who-can-i-tell", "sextortion"])
def test_bundled_slides_fill_the_projector_with_nothing_cut(qtbot, projector, module_id, size):
    running = projector(module_id, size)
    assert running.audience.shape is None
    for index in range(len(running.deck)):
        box = slide_box(qtbot, running, index, size)
        assert bars(box) == [], f"slide {index + 1}: {box}"
        assert not box["cut"], f"slide {index + 1} is cut at {size}"
    # the ink is drawn over the whole slide, as the class sees it
    assert running.audience.ink_overlay.geometry() == running.audience.rect()


@pytest.mark.parametrize("size", SCREENS[:2], ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_console_previews_take_the_projectors_shape(qtbot, projector, size):
    running = projector("who-can-i-tell", size)
    running.fit_slides_to(*size)
    preview = running.console.current.geometry()
    assert abs(preview.width() / preview.height() - size[0] / size[1]) < 0.02


def test_positive_control_a_lesson_that_fixes_its_size_is_letterboxed(qtbot, projector, tmp_path):
    (tmp_path / "shapes.md").write_text(lesson("size: 16:9\n"), encoding="utf-8")
    running = projector("shapes", (1024, 768), content=[tmp_path])
    assert running.audience.shape == (16, 9)
    box = slide_box(qtbot, running, 1, (1024, 768))
    assert bars(box) == ["top/bottom bars: slide 576 high in 768"]
    assert running.audience.ink_overlay.geometry().height() == 576


def test_positive_control_the_measure_sees_a_cut_slide(qtbot, projector, tmp_path):
    (tmp_path / "shapes.md").write_text(lesson(), encoding="utf-8")
    running = projector("shapes", (1280, 800), content=[tmp_path])
    assert not slide_box(qtbot, running, 1, (1280, 800))["cut"]
    assert slide_box(qtbot, running, 2, (1280, 800))["cut"]


def test_a_slide_asked_for_while_the_first_page_loads_is_the_one_shown(qtbot, projector, tmp_path):
    """A lesson from a folder is rendered in the worker: its first load takes a while, and a
    key pressed meanwhile must not leave the projector on the first slide."""
    (tmp_path / "shapes.md").write_text(lesson(), encoding="utf-8")
    running = projector("shapes", (1280, 800), content=[tmp_path])
    running.session.set_slide(2)  # at once, before the page has loaded
    assert slide_box(qtbot, running, 2, (1280, 800), move=False)["id"] == "slide-3"
