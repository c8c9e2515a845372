"""Slides are read from the back of a classroom: every line of text on every bundled slide is at
least 3% of the slide's height, the help box included, and it does not repeat the slide's title."""
from __future__ import annotations

import json

import pytest
from PySide6.QtWebEngineCore import QWebEngineScript

from edukit.core.library import Library
from edukit.core.model import School
from edukit.gui.measure import SlideMeasurer, wait_for
from edukit.gui.session import Session

# For each slide: [smallest text size in px, its text, the box's visible titles].
TEXT_SIZES = """JSON.stringify([...document.querySelectorAll('.slide')].map(s => {
  s.classList.add('current');
  let min = 1e9, text = '';
  const walker = document.createTreeWalker(s, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement;
    if (!node.nodeValue.trim() || !el.getClientRects().length) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < min) { min = size; text = node.nodeValue.trim(); }
  }
  const titles = [...s.querySelectorAll('.routes-title')].filter(t => t.getClientRects().length)
    .map(t => t.textContent);
  const height = s.clientHeight;
  s.classList.remove('current');
  return [min, text, titles, height];
}))"""


@pytest.fixture
def slide_sizes(qapp):
    """slide_sizes(session, module): TEXT_SIZES for the module's slides at 1280x720."""
    made: list[SlideMeasurer] = []

    def measure(session, module):
        if not made:
            made.append(SlideMeasurer(session.pages, (1280, 720)))
        m = made[0]
        m.measure(module)
        box: list = []
        assert wait_for(None, lambda: m.view.page().runJavaScript(
            TEXT_SIZES, QWebEngineScript.ScriptWorldId.ApplicationWorld, box.append),
            10000, done=lambda: bool(box))
        return json.loads(box[0])
    yield measure
    for m in made:
        m.close()


def test_every_bundled_slide_has_text_large_enough_for_the_back_of_the_room(qtbot, slide_sizes):
    session = Session(Library.default(), School(name="Hill Primary"))
    small = []
    for module in lessons(session):
        for n, (size, text, _, height) in enumerate(slide_sizes(session, module), 1):
            assert height == 720
            if size < 0.03 * height:
                small.append((module.id, n, round(size), text[:40]))
    assert small == []


def lessons(session) -> list:
    """The library's lessons (letters, forms and other resources are printed, not projected)."""
    return [m for m in session.library.modules if not m.meta.is_resource]


def test_the_help_box_on_a_slide_does_not_repeat_the_slides_heading(qtbot, slide_sizes):
    session = Session(Library.default(), School())
    repeated, boxes = [], 0
    for module in lessons(session):
        slides = session.rendered(module, "slides").slides
        for n, row in enumerate(slide_sizes(session, module)):
            if "routes-title" in slides[n].html:
                boxes += 1
                if row[2]:
                    repeated.append((module.id, slides[n].title, row[2]))
    assert boxes >= len(lessons(session)) and repeated == []


def test_positive_control_small_text_is_measured_as_small(qtbot, slide_sizes, tmp_path):
    (tmp_path / "tiny.md").write_text("---\ntitle: Tiny\n---\n# Tiny\n\n## Small print\n\n"
                                      "<small><small><small>Terms apply</small></small></small>\n")
    session = Session(Library.default(extra=[tmp_path]), School())
    rows = slide_sizes(session, session.library.get("tiny"))
    assert rows[1][0] < 0.03 * 720 and rows[1][1] == "Terms apply"


def test_six_short_points_keep_full_size_type_and_eight_get_smaller(qtbot, slide_sizes, tmp_path):
    """Type shrinks only when a slide is crowded: six one-line points (a key-words slide) keep
    the full size; eight get the smaller size so they still fit."""
    points = "\n".join(f"- Point {n}: a short line." for n in range(1, 9))
    (tmp_path / "points.md").write_text(
        "---\ntitle: Points\n---\n# Points\n\n## Six\n\n" + "\n".join(points.split("\n")[:6])
        + "\n\n## One\n\n- Point 1: a short line.\n\n## Eight\n\n" + points + "\n")
    session = Session(Library.default(extra=[tmp_path]), School())
    six, one, eight = (row[0] for row in slide_sizes(session, session.library.get("points"))[1:])
    assert six == one and eight < six


# For each slide: the chart's type in px as drawn (its font size times the drawing's scale)
# and the words of every box shown in full on the slide.
CHART_TEXT = """JSON.stringify([...document.querySelectorAll('.slide')].map(s => {
  s.classList.add('current');
  const box = s.getBoundingClientRect();
  const bands = [...s.querySelectorAll('svg.flowchart-band')]
      .filter(b => b.getClientRects().length);  // the drawing the reading font fits
  const sizes = bands.map(b => parseFloat(b.getAttribute('font-size')) *
      b.getBoundingClientRect().width / b.viewBox.baseVal.width);
  const shown = bands.flatMap(b => [...b.querySelectorAll('text')].filter(t => {
      const r = t.getBoundingClientRect(), w = b.getBoundingClientRect();
      return r.top >= w.top - 1 && r.bottom <= w.bottom + 1 && r.bottom <= box.bottom;
  }).map(t => t.textContent));
  s.classList.remove('current');
  return [Math.min(...sizes, 1e9), shown, box.height];
}))"""


@pytest.mark.parametrize("size", [(1280, 720), (1024, 600)])
@pytest.mark.parametrize("font", ["default", "dyslexic"])
def test_a_flowchart_is_drawn_on_its_slides_large_enough_to_read(qapp, size, font):
    # A DSL presents the image-incident flowchart at a staff training: its slides used to show
    # the title and introduction only. The chart is drawn over slides, a row of boxes never cut
    # in half, every box's words on a slide, its text at least 3% of the slide's height.
    from pathlib import Path

    from edukit.core.flowchart import load_graph, wrapped

    session = Session(Library.default(), School(name="Hill Primary"))
    session.pages.reading_font = font
    module = next(m for m in session.library.modules if m.id == "dsl-image-incident-flowchart")
    measurer = SlideMeasurer(session.pages, size)
    try:
        measurer.fit(module)
        measurer.measure(module)
        box: list = []
        assert wait_for(None, lambda: measurer.view.page().runJavaScript(
            CHART_TEXT, QWebEngineScript.ScriptWorldId.ApplicationWorld, box.append),
            10000, done=lambda: bool(box))
        rows = json.loads(box[0])
    finally:
        measurer.close()
    chart = [r for r in rows if r[1]]
    assert len(chart) >= 2  # more than one slide: the whole chart on one would be unreadable
    for smallest, _, height in chart:
        assert smallest >= 0.03 * height, (smallest, height)
    graph = load_graph(Path(module.folder) / "flowchart.yaml")
    fit = "roomy" if font == "dyslexic" else "standard"  # the drawing shown (fonts.css)
    boxes = [" ".join(wrapped(node, fit)) for node in graph.nodes.values()]  # a box: one <text>
    shown = [text for r in chart for text in r[1]]
    assert sorted(set(boxes)) == sorted(set(shown) - {"Yes", "No"})
    print({r[2]: round(r[0], 1) for r in chart})
