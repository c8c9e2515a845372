"""Slides fill any projector unless the lesson fixes Marp's `size`: the page class slides.css
reads, and where the slide sits on screens of each common shape."""
from __future__ import annotations

import pytest

from edukit.core.frontmatter import load_yaml, read_meta
from edukit.core.slide_shape import fixed_shape, slide_rect, slides_page_class


def meta_of(front: str):
    data, lines, _ = load_yaml(f"title: T\n{front}", "t.md", 2)
    return read_meta(data, lines, "t.md", 2, "t")[0]


@pytest.mark.parametrize("front, page_class, shape", [
    ("", "slides-fill", None),
    ("marp: true\n", "slides-fill", None),
    ("size: 16:9\n", "slides-16x9", (16, 9)),
    ("size: '4:3'\n", "slides-4x3", (4, 3)),
    ("size: A4\n", "slides-16x9", (16, 9)),  # a Marp theme's own size: keep Marp's default
])
def test_a_lesson_fills_the_screen_unless_it_fixes_marps_size(front, page_class, shape):
    meta = meta_of(front)
    assert slides_page_class(meta) == page_class
    assert fixed_shape(meta) == shape


@pytest.mark.parametrize("screen", [(1024, 768), (1280, 800), (1920, 1080), (2560, 1080)])
def test_filling_slides_take_the_whole_screen(screen):
    assert slide_rect(*screen, None) == (0, 0, *screen)


@pytest.mark.parametrize("screen, expected", [
    ((1024, 768), (0, 96, 1024, 576)),     # 4:3 projector: bars above and below
    ((1280, 800), (0, 40, 1280, 720)),     # 16:10
    ((1920, 1080), (0, 0, 1920, 1080)),    # 16:9: no bars
    ((2560, 1080), (320, 0, 1920, 1080)),  # wider: bars at the sides
])
def test_a_fixed_16_9_slide_is_letterboxed_as_large_as_fits(screen, expected):
    assert slide_rect(*screen, (16, 9)) == expected
