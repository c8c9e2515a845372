"""How a lesson's slides meet the screen. They fill any projector (4:3, 16:10, 16:9, wider)
without black bars: type is sized from the 16:9 box that fits, so the extra room is only room
and nothing is cut. A lesson that sets Marp's `size` ("16:9" or "4:3") keeps that shape,
letterboxed, for slides laid out to the edge (a full-bleed picture)."""
from __future__ import annotations

from .model import Meta

FIXED_SHAPES = {"16:9": (16, 9), "4:3": (4, 3)}
DEFAULT_SHAPE = (16, 9)


def fixed_shape(meta: Meta) -> tuple[int, int] | None:
    """The width:height the lesson asks its slides to keep, or None: they fill the screen.
    An unknown size (Marp themes may define others) keeps 16:9, as Marp's default."""
    if meta.slide_size is None:
        return None
    return FIXED_SHAPES.get(meta.slide_size.replace(" ", ""), DEFAULT_SHAPE)


def slides_page_class(meta: Meta) -> str:
    """The slides page's class for slides.css: filling the screen, or one fixed shape."""
    shape = fixed_shape(meta)
    return "slides-fill" if shape is None else f"slides-{shape[0]}x{shape[1]}"


def slide_rect(width: int, height: int, shape: tuple[int, int] | None) -> tuple[int, int, int, int]:
    """Where a slide sits in a screen of this size (x, y, w, h): all of it when the slides fill
    the screen, else as large as fits in their shape, centred (as slides.css places it)."""
    if shape is None:
        return 0, 0, width, height
    sw, sh = shape
    w, h = (width, width * sh // sw) if width * sh <= height * sw else (height * sw // sh, height)
    return (width - w) // 2, (height - h) // 2, w, h
