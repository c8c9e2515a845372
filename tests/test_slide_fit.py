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
    # The presenter is never left without notes mid-section: the continuation carries them.
    assert shown[0].notes_html == "<p>Say hi</p>"
    assert "Continued" in shown[1].notes_html and shown[1].notes_html.endswith("<p>Say hi</p>")


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
    assert fit.shrunk == {(0, 0)} and not fit.breaks
    shown, _ = fit_slides((slide("<h2>T</h2><pre>huge</pre>"),), fit)
    assert 'class="slide fit-small"' in slides_section_html(shown)


def test_a_slide_that_fits_is_left_alone():
    shown, parts = fit_slides((slide(),), SlideFit())
    assert refine(SlideFit(), shown, parts, [Measured((40, 80, 120), 170)]) == SlideFit()


BOX = ('<h2 id="w">Who could help?</h2>\n<div class="block activity" id="act" data-minutes="8">\n'
       '<p>Read each card.</p>\n<div class="block worksheet">\n<ol>\n<li>Jade</li>\n<li>Ben</li>\n'
       '<li>Kai</li>\n<li>Noah</li>\n</ol>\n</div>\n</div>')


def test_a_box_is_opened_up_into_its_parts_and_the_lists_in_it_into_items():
    # A slide that is one activity box (a worksheet of five cards) can be continued inside
    # the box; before, the box was one block and a slide too tall was only set smaller.
    units = slide_units(BOX)
    assert [words(u.html) for u in units] == [
        ["Who", "could", "help?"], ["Read", "each", "card."], ["Jade"], ["Ben"], ["Kai"], ["Noah"]]
    assert [len(u.wrappers) for u in units] == [0, 1, 3, 3, 3, 3]


def test_the_help_box_is_never_opened_up():
    routes = ('<h2>Help</h2><div class="block routes"><p class="routes-title">Where</p>'
              '<ul class="route-list"><li>Childline</li><li>999</li></ul></div>')
    assert len(slide_units(routes)) == 2


def test_a_box_continued_is_opened_again_around_the_rest_and_nothing_is_lost():
    shown, _ = fit_slides((slide(BOX),), SlideFit().with_break(0, 4))
    first, second = shown[0].html, shown[1].html
    for html in (first, second):  # both parts are well-formed boxes
        assert html.count("<div") == html.count("</div>") == 2
        assert html.count("<ol") == html.count("</ol>") == 1
    assert 'id="act"' in first and 'id="act"' not in second  # ids stay unique
    assert '<ol start="3">' in second  # the cards go on counting
    assert words(second)[:4] == ["Who", "could", "help?", "(continued)"]
    assert words(first) + words(second)[4:] == words(BOX)  # every word once, in order


def test_refine_cuts_inside_a_box_that_is_the_slides_first_content():
    shown, parts = fit_slides((slide(BOX),), SlideFit())
    measured = [Measured((40, 80, 120, 160, 200, 240), 170)]
    assert refine(SlideFit(), shown, parts, measured).breaks_of(0) == (4,)


def test_refine_moves_a_whole_box_on_when_it_is_not_the_first_content():
    html = '<h2>T</h2><p>Intro</p>' + BOX[BOX.index("<div"):]
    shown, parts = fit_slides((slide(html),), SlideFit())
    measured = [Measured((40, 80, 120, 160, 200, 240, 280), 170)]
    assert refine(SlideFit(), shown, parts, measured).breaks_of(0) == (2,)  # before the box


def test_a_part_that_overflows_is_cut_again_and_the_parts_after_it_are_planned_afresh():
    # Cut at 5 on the whole slide; the first part, laid out larger, overflows at unit 3: the cut
    # at 5 (planned at the other size) is dropped, so no part is left half empty.
    fit = SlideFit().with_break(0, 5)
    shown, parts = fit_slides((slide(BOX),), fit)
    measured = [Measured((40, 80, 120, 190, 230), 170), Measured((40, 80), 170)]
    assert refine(fit, shown, parts, measured).breaks_of(0) == (3,)


def test_the_parts_of_a_cut_slide_keep_the_smaller_type_the_whole_slide_had():
    shown, parts = fit_slides((slide(BOX),), SlideFit())
    fit = refine(SlideFit(), shown, parts, [Measured((40, 80, 120, 160, 200, 240), 170, False,
                                                     0.78)])
    shown, _ = fit_slides((slide(BOX),), fit)
    assert [s.classes for s in shown] == ["keep-type-78", "keep-type-78"]
    # A slide at the normal type, cut, keeps no class.
    plain = refine(SlideFit(), *fit_slides((slide(BOX),), SlideFit()),
                   [Measured((40, 80, 120, 160, 200, 240), 170)])
    assert [s.classes for s in fit_slides((slide(BOX),), plain)[0]] == ["", ""]


def test_only_the_part_too_tall_is_set_smaller():
    fit = SlideFit().with_break(0, 3)
    shown, parts = fit_slides((slide(BOX),), fit)
    measured = [Measured((40, 80, 120), 170), Measured((40, 400, 450, 500), 170)]
    fit = refine(fit, shown, parts, measured)
    assert fit.shrunk == {(0, 3)}
    assert [s.classes for s in fit_slides((slide(BOX),), fit)[0]] == ["", "fit-small"]
