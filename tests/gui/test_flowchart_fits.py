"""The DSL's flowchart is set in the reader's font (tests/test_flowchart_font.py) and its text
stays inside its boxes in every reading font and line spacing, on its slides and on paper:
OpenDyslexic's letters are about 1.5 times as wide as DejaVu Sans's, and WCAG's text spacing
widens every letter and word again, so a box's lines are broken for the font shown
(edukit.core.flowchart FITS; fonts.css shows the drawing that fits). Measured in Chromium: each
box's <text> against its <rect>, in SVG units. The positive control shows the usual drawing in
OpenDyslexic (the lines broken for DejaVu Sans): its text runs out of its boxes, and the check
says so."""
from __future__ import annotations

import json

import pytest
from PySide6.QtWebEngineCore import QWebEngineScript

from edukit.core.library import Library
from edukit.core.model import School
from edukit.core.options import PrintOptions
from edukit.gui.measure import SlideMeasurer, wait_for
from edukit.gui.page_server import PageServer
from edukit.gui.webview import module_url

MODULE = "dsl-image-incident-flowchart"
# For the page (each slide shown in turn on a slides page): the drawings shown, the boxes
# checked, and every box whose text is not in the page's font or not inside the box.
CHART_FIT = """JSON.stringify((() => {
  const body = getComputedStyle(document.body).fontFamily;
  const slides = [...document.querySelectorAll('.slide')];
  let drawings = 0, boxes = 0;
  const problems = [];
  const check = () => {
    const shown = [...document.querySelectorAll('svg.flowchart, svg.flowchart-band')]
      .filter(svg => svg.getClientRects().length);
    drawings += shown.length;
    for (const svg of shown) for (const text of svg.querySelectorAll('text')) {
      const rect = text.previousElementSibling;
      if (!rect || rect.tagName !== 'rect') continue;  // an answer beside its arrow
      boxes++;
      const t = text.getBBox(), r = rect.getBBox(), words = text.textContent.slice(0, 40);
      const face = getComputedStyle(text).fontFamily;
      if (face !== body) problems.push(['font', words, face]);
      if (t.x < r.x - 0.5 || t.x + t.width > r.x + r.width + 0.5 || t.y < r.y - 0.5
          || t.y + t.height > r.y + r.height + 0.5)
        problems.push(['outside', words, Math.round(t.width), Math.round(r.width)]);
    }
  };
  if (!slides.length) check();
  for (const s of slides) { s.classList.add('current'); check(); s.classList.remove('current'); }
  const drawn = document.querySelectorAll('svg.flowchart, svg.flowchart-band').length;
  return [drawings, drawn, boxes, problems];
})())"""
# The control: the drawing for the usual faces shown whatever the font.
USUAL_DRAWING = """(() => { const style = document.createElement('style');
  style.textContent = 'html body svg.fits-standard.fits-standard { display: block !important; } '
    + 'html body svg.fits-roomy.fits-roomy { display: none !important; }';
  document.head.appendChild(style); })()"""


@pytest.fixture
def chart_page(qapp):
    """chart_page(font, spacing, page, before=""): CHART_FIT on the flowchart's slides or
    printed page in that reading font and spacing, after the script `before`."""
    made: list[SlideMeasurer] = []
    library = Library.default()
    module = library.get(MODULE)

    def measure(font: str, spacing: str, page: str, before: str = "") -> list:
        pages = PageServer(library, School(name="Hill Primary"))
        pages.reading_font, pages.line_spacing = font, spacing
        measurer = SlideMeasurer(pages)
        made.append(measurer)
        if page == "slides":
            measurer.load_slides(module, 20000)
        else:
            pages.remember(module)
            url = module_url(module.id, "print", PrintOptions(kind="handout").query())
            assert wait_for(measurer.view.loadFinished, lambda: measurer.view.load(url), 20000)
            measurer.wait_for_fonts(20000)
        if before:
            answer(measurer, before)
        return json.loads(answer(measurer, CHART_FIT))
    yield measure
    for measurer in made:
        measurer.close()


def answer(measurer: SlideMeasurer, script: str):
    box: list = []
    assert wait_for(None, lambda: measurer.view.page().runJavaScript(
        script, QWebEngineScript.ScriptWorldId.ApplicationWorld, box.append),
        10000, done=lambda: bool(box))
    return box[0]


@pytest.mark.parametrize("page", ["slides", "print"])
@pytest.mark.parametrize("font, spacing", [
    ("default", "normal"), ("legible", "normal"), ("system", "normal"), ("dyslexic", "normal"),
    ("default", "widest"), ("dyslexic", "widest"), ("legible", "wcag"), ("dyslexic", "wcag"),
])
def test_the_flowcharts_text_is_in_the_reading_font_and_inside_its_boxes(chart_page, font,
                                                                         spacing, page):
    shown, drawn, boxes, problems = chart_page(font, spacing, page)
    assert shown * 2 == drawn and shown >= 1  # one of the two drawings shown, not both
    assert boxes >= 11 and problems == []


def test_control_the_usual_drawing_in_opendyslexic_runs_out_of_its_boxes(chart_page):
    _, _, boxes, problems = chart_page("dyslexic", "normal", "print", before=USUAL_DRAWING)
    outside = [p for p in problems if p[0] == "outside"]
    assert boxes >= 11 and len(outside) >= 5, problems
