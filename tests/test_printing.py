"""Print pages restate the projector's slide CSS for slides printed in a frame."""
from __future__ import annotations

from edukit.core.printing import paper_slide_css, selector_list

SLIDES_CSS = """/* comment { not a rule } */
:root { --u: min(1vw, calc(100vh / 56.25)); }
html { font-size: calc(2.45 * var(--u)); line-height: 1.38; }
html, body { height: 100%; overflow: hidden; }
.view-slides .page { display: flex; }
.slide { width: calc(100 * var(--u)); padding: 1.6rem 2.4rem; }
.page:not(:has(.slide:target, .slide.current)) .slide:first-child { display: flex; }
.slide:has(.block ~ .block), .slide:has(table) { font-size: 0.86rem; }
@media (max-width: 10px) { .slide { display: none; } }
"""


def test_selector_lists_split_only_at_top_level_commas():
    assert selector_list(".a:has(b, c), .d") == [".a:has(b, c)", ".d"]


def test_slide_rules_are_scoped_to_the_frame_and_sized_by_its_width():
    css = paper_slide_css("h1 { font-size: 2rem; }\np { color: red; }", SLIDES_CSS)
    assert ".slide-frame .slide { font-size: calc(2.45 * 1cqw); line-height: 1.38; }" in css
    assert ".slide-frame .slide h1 { font-size: calc(2 * calc(2.45 * 1cqw)); }" in css
    assert "width: calc(100 * 1cqw); padding: calc(1.6 * calc(2.45 * 1cqw))" in css
    assert (".slide-frame .slide:has(.block ~ .block), .slide-frame .slide:has(table) "
            "{ font-size: calc(0.86 * calc(2.45 * 1cqw)); }") in css
    # Page-level rules, rules with no rem from base.css and at-rules stay out.
    for absent in ("html", "body", ":root", ".page", "100vh", "color: red", "display: none"):
        assert absent not in css
