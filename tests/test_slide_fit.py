"""Slides cut or shrunk to fit (edukit.core.slide_fit): where the cuts go and that nothing is
lost or repeated, whatever the layout engine measured."""
from __future__ import annotations

import re

from edukit.core.model import Slide
from edukit.core.slide_fit import (
    Measured,
    SlideFit,
    fit_slides,
    refine,
    slide_units,
    slides_section_html,
)

HTML = ('<h2 id="a">Title</h2>\n<p>One</p>\n<ol start="3">\n<li>x</li>\n<li>y</li>\n<li>z</li>\n'
        '</ol>\n<p>Last &amp; <em>final</em></p>')


def slide(html: str = HTML, index: int = 0) -> Slide:
    return Slide(index, "Title", html, notes_html="<p>Say hi</p>")


def words(html: str) -> list[str]:
    return re.sub(r"<[^>]+>", " ", html).split()


def test_units_are_blocks_and_the_items_of_top_level_lists():
    assert [u.block for u in slide_units(HTML)] == [0, 1, 2, 2, 2, 3]


def test_no_fit_leaves_the_slide_exactly_as_rendered():
    shown, parts = fit_slides((slide(),), SlideFit())
    assert shown == (slide(),) and len(parts) == 1


def test_a_cut_continues_on_a_new_slide_with_the_heading_marked_and_nothing_lost():
    shown, _ = fit_slides((slide(),), SlideFit().with_break(0, 3))
    assert [s.title for s in shown] == ["Title", "Title (continued)"]
    assert 'class="continued"' in shown[1].html and 'id="a"' not in shown[1].html  # ids unique
    content = [w for s in shown for w in words(s.html) if w not in ("Title", "(continued)")]
    assert content == words(HTML)[1:]  # every word once, in order
    assert shown[0].notes_html and not shown[1].notes_html  # notes stay with the first part


def test_an_ordered_list_cut_between_items_goes_on_counting():
    shown, _ = fit_slides((slide(),), SlideFit().with_break(0, 3))
    assert '<ol start="3">' in shown[0].html and '<ol start="4">' in shown[1].html
    assert shown[0].html.count("<li>") + shown[1].html.count("<li>") == 3


def test_slides_after_a_cut_are_numbered_afresh():
    shown, _ = fit_slides((slide(), slide("<h2>B</h2><p>b</p>", 1)), SlideFit().with_break(0, 4))
    assert [s.index for s in shown] == [0, 1, 2] and shown[2].title == "Title"
    assert 'id="slide-3" data-index="2"' in slides_section_html(shown)


def test_refine_cuts_before_the_first_unit_below_the_box():
    shown, parts = fit_slides((slide(),), SlideFit())
    measured = [Measured((40, 80, 120, 160, 200, 240), 170)]
    assert refine(SlideFit(), shown, parts, measured).breaks_of(0) == (4,)


def test_refine_on_a_continuation_counts_the_copied_heading():
    fit = SlideFit().with_break(0, 2)
    shown, parts = fit_slides((slide(),), fit)
    measured = [Measured((40, 80), 170), Measured((40, 80, 120, 400, 500), 170)]
    assert refine(fit, shown, parts, measured).breaks_of(0) == (2, 4)


def test_a_first_block_too_tall_alone_is_set_smaller_not_cut_off():
    shown, parts = fit_slides((slide("<h2>T</h2><pre>huge</pre>"),), SlideFit())
    fit = refine(SlideFit(), shown, parts, [Measured((40, 900), 170)])
    assert fit.shrunk == {0} and not fit.breaks
    shown, _ = fit_slides((slide("<h2>T</h2><pre>huge</pre>"),), fit)
    assert 'class="slide fit-small"' in slides_section_html(shown)


def test_a_slide_that_fits_is_left_alone():
    shown, parts = fit_slides((slide(),), SlideFit())
    assert refine(SlideFit(), shown, parts, [Measured((40, 80, 120), 170)]) == SlideFit()
