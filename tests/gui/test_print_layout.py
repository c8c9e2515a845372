"""Printed slides (slides, notes pages, n-up handouts) are the projector's slides, only smaller:
the same type in proportion to the slide, the same boxes, nothing cut off that fits on screen.
Measured on the real print pages with runJavaScript in the ApplicationWorld."""
from __future__ import annotations

import json

import pytest

from edukit.core.library import Library
from edukit.core.model import School
from edukit.core.printing import PrintOptions, print_query
from edukit.gui.measure import SlideMeasurer
from edukit.gui.session import Session
from edukit.gui.webview import module_url

# Per slide: [content height, box height, box width, title size, box-label size] in CSS px.
SLIDE_FACTS = """JSON.stringify([...document.querySelectorAll('.slide')].map(s => {
  s.classList.add('current');
  const size = q => { const e = s.querySelector(q); return e ?
    parseFloat(getComputedStyle(e, q.endsWith('.block') ? '::before' : null).fontSize) : 0; };
  return [s.scrollHeight, s.clientHeight, s.clientWidth, size('h2'), size('.block')];
}))"""
MODULE = "who-can-i-tell"  # its worksheet and help-box slides are the fullest of the 8-11 lessons


@pytest.fixture
def session(qapp):
    return Session(Library.default(), School(name="St Aidan's Church of England Primary Academy"))


@pytest.fixture
def views(session):
    """Hidden 1280x720 web views on locked profiles: the projector's size (what `edukit
    validate` checks) and a window to lay print pages out in."""
    made = []

    def make() -> SlideMeasurer:
        made.append(SlideMeasurer(session.pages))
        return made[-1]
    yield make
    for measurer in made:
        measurer.close()


@pytest.mark.parametrize("kind,per_page", [("slides", 3), ("notes", 3), ("nup", 6)])
def test_printed_slides_are_the_projected_slides_scaled(qtbot, js, session, views, kind, per_page):
    projector, printer = views(), views()
    projector.measure(session.open(MODULE))
    screen = json.loads(js(projector.view.page(), SLIDE_FACTS))
    options = PrintOptions(kind=kind, per_page=per_page)
    with qtbot.waitSignal(printer.view.loadFinished, timeout=20000):
        printer.view.load(module_url(MODULE, "print", print_query(options)))
    paper = json.loads(js(printer.view.page(), SLIDE_FACTS))
    assert len(paper) == len(screen) > 10
    for n, (on_screen, printed) in enumerate(zip(screen, paper)):
        assert on_screen[0] <= on_screen[1] + 1, f"slide {n + 1} overflows the projector"
        assert printed[0] <= printed[1] + 1, f"printed slide {n + 1} is cut off"
        for fact in (3, 4):  # title and box-label size, as a share of the slide's width
            if on_screen[fact]:
                assert printed[fact] / printed[2] == pytest.approx(on_screen[fact] / on_screen[2],
                                                                   rel=0.03), (n, fact)
