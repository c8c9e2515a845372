"""Slides that do not fit the screen: continued on new slides, or set in smaller type.

The layout engine measures (edukit.gui.measure hands the measurements in); this module only
decides and applies, so every view (the app, the show, every PDF) cuts a slide at the same
places. A slide is cut between its top-level blocks; a continuation slide repeats the slide's
heading, marked "(continued)"; a top-level list may be cut between its items. A block too tall
for a slide of its own is set in smaller type, down to MIN_TYPE_SCALE of the normal size.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser

from .model import Slide

SHRINK_CLASS = "fit-small"
MIN_TYPE_SCALE = 0.6  # slides.css: .slide.fit-small; at 1280x720 body text is about 19 px
VOID = frozenset({"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
                  "track", "wbr"})
HEADING_TAG = re.compile(r"^<h([1-3])\b", re.IGNORECASE)
ID_ATTR = re.compile(r'\s+id="[^"]*"')


@dataclass(frozen=True)
class SlideFit:
    """How to fit one module's slides, by the index of each slide as first rendered:
    `breaks` lists the top-level blocks that start a continuation slide, `shrunk` the slides
    set in smaller type."""

    breaks: tuple[tuple[int, tuple[int, ...]], ...] = ()
    shrunk: frozenset[int] = field(default_factory=frozenset)

    def breaks_of(self, index: int) -> tuple[int, ...]:
        return dict(self.breaks).get(index, ())

    def with_break(self, index: int, block: int) -> SlideFit:
        found = dict(self.breaks)
        found[index] = tuple(sorted({*found.get(index, ()), block}))
        return replace(self, breaks=tuple(sorted(found.items())))

    def with_shrunk(self, index: int) -> SlideFit:
        return replace(self, shrunk=self.shrunk | {index})

    def __bool__(self) -> bool:
        return bool(self.breaks or self.shrunk)


class TopLevelSplitter(HTMLParser):
    """Cut sanitised HTML into its top-level elements (text between them stays with the one
    before). The HTML comes from the sanitiser, so tags are balanced."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.depth, self.parts, self.current = 0, [], ""

    def handle_starttag(self, tag: str, attrs) -> None:
        text = self.get_starttag_text() or ""
        if self.depth == 0 and self.current.strip():
            self.parts.append(self.current)
            self.current = ""
        self.current += text
        if tag not in VOID and not text.endswith("/>"):
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        self.current += f"</{tag}>"
        if tag not in VOID:
            self.depth = max(0, self.depth - 1)

    def handle_data(self, data: str) -> None:
        self.current += data

    def handle_entityref(self, name: str) -> None:
        self.current += f"&{name};"

    def handle_charref(self, name: str) -> None:
        self.current += f"&#{name};"

    def handle_comment(self, data: str) -> None:
        pass

    def result(self) -> list[str]:
        self.close()
        return [p for p in [*self.parts, self.current] if p.strip()]


def top_level_blocks(html: str) -> list[str]:
    splitter = TopLevelSplitter()
    splitter.feed(html)
    return splitter.result()


LIST_OPENER = re.compile(r"^<(ul|ol)\b[^>]*>", re.IGNORECASE)
OL_START = re.compile(r'\sstart="(\d+)"')


@dataclass(frozen=True)
class Unit:
    """What a slide may be cut before: a top-level block, or an item of a top-level list
    (`opener` is then the list's start tag)."""

    block: int
    html: str
    opener: str = ""
    item: int = 0


def slide_units(html: str) -> list[Unit]:
    """The slide's blocks, with each top-level list opened up into its items. The page's
    measuring script (edukit.gui.measure.MEASURE_BLOCKS) counts the same way."""
    units: list[Unit] = []
    for n, block in enumerate(top_level_blocks(html)):
        m = LIST_OPENER.match(block)
        items = top_level_blocks(block[m.end():block.rfind("</")]) if m else []
        if items and all(i.lstrip().lower().startswith("<li") for i in items):
            units += [Unit(n, item, m.group(0), k) for k, item in enumerate(items)]
        else:
            units.append(Unit(n, block))
    return units


def units_html(units: list[Unit]) -> str:
    """Units back into HTML: each run of one list's items in that list's tags (an ordered
    list cut after item 5 goes on at 6)."""
    out, open_block = [], None
    for u in units:
        if u.opener and u.block != open_block:
            if open_block is not None:
                out.append(closing(units, open_block))
            out.append(list_opener(u))
            open_block = u.block
        elif not u.opener and open_block is not None:
            out.append(closing(units, open_block))
            open_block = None
        out.append(u.html)
    if open_block is not None:
        out.append(closing(units, open_block))
    return "".join(out)


def closing(units: list[Unit], block: int) -> str:
    opener = next(u.opener for u in units if u.block == block)
    return f"</{opener[1:3].lower()}>"


def list_opener(u: Unit) -> str:
    if u.item == 0 or not u.opener.lower().startswith("<ol"):
        return u.opener
    m = OL_START.search(u.opener)
    first = (int(m.group(1)) if m else 1) + u.item
    if m:
        return OL_START.sub(f' start="{first}"', u.opener, count=1)
    return u.opener[:-1] + f' start="{first}">'


def continued_heading(block: str) -> str | None:
    """The slide's heading for a continuation slide: the same words, no id, "(continued)"."""
    m = HEADING_TAG.match(block)
    if not m:
        return None
    end = block.rfind("</")
    level = m.group(1)
    opened = ID_ATTR.sub("", block[:end], count=1).replace(f"<h{level}", f'<h{level} class="continued"', 1)
    return opened + ' <span class="continued-mark">(continued)</span>' + block[end:]


@dataclass(frozen=True)
class Part:
    """One slide as shown after fitting: which first-rendered slide it comes from and the
    range of that slide's units (edukit.core.slide_fit.slide_units) it shows."""

    source: int
    start: int
    end: int


def fit_slides(slides: tuple[Slide, ...], fit: SlideFit) -> tuple[tuple[Slide, ...], tuple[Part, ...]]:
    """The slides with `fit` applied, numbered afresh, and where each came from."""
    out: list[Slide] = []
    parts: list[Part] = []
    for s in slides:
        units = slide_units(s.html)
        cuts = [c for c in fit.breaks_of(s.index) if 0 < c < len(units)]
        bounds = [0, *cuts, len(units)]
        head = continued_heading(units[0].html) if units and not units[0].opener else None
        for n, (start, end) in enumerate(itertools.pairwise(bounds)):
            html = units_html(units[start:end]) if cuts else s.html
            if n and head is not None:
                html = head + html
            out.append(replace(
                s, index=len(out), title=s.title if n == 0 else f"{s.title} (continued)",
                html=html,
                notes_html=s.notes_html if n == 0 else "",
                safeguarding_html=s.safeguarding_html if n == 0 else "",
                classes=SHRINK_CLASS if s.index in fit.shrunk else s.classes))
            parts.append(Part(s.index, start, end))
    return tuple(out), tuple(parts)


def slides_section_html(slides: tuple[Slide, ...]) -> str:
    """The slides page's body: one <section class="slide"> per slide."""
    return "\n".join(
        f'<section class="slide{" " + s.classes if s.classes else ""}" id="slide-{s.index + 1}" '
        f'data-index="{s.index}">{s.html}</section>' for s in slides)


@dataclass(frozen=True)
class Measured:
    """One shown slide laid out: the bottom of each unit (CSS px from the top of the slide's
    content box) against the content box's height."""

    bottoms: tuple[float, ...]
    height: float
    too_wide: bool = False

    def first_below(self) -> int | None:
        """The first unit that ends below the slide's box, if any."""
        return next((i for i, b in enumerate(self.bottoms) if b > self.height + 1), None)


def refine(fit: SlideFit, shown: tuple[Slide, ...], parts: tuple[Part, ...],
           measured: list[Measured]) -> SlideFit:
    """One round of fitting: a new cut before the first block that overflows each shown slide,
    or smaller type when that block is the slide's first below its heading."""
    for slide, part, m in zip(shown, parts, measured, strict=False):
        has_head = bool(HEADING_TAG.match(slide.html.lstrip()))
        below = m.first_below()
        if below is None:
            if m.too_wide and part.source not in fit.shrunk:
                fit = fit.with_shrunk(part.source)
            continue
        copies = 1 if part.start > 0 and has_head else 0  # the heading copied onto it
        block = part.start + below - copies
        first_content = part.start + (1 if has_head and part.start == 0 else 0)
        if block > first_content:
            fit = fit.with_break(part.source, block)
        elif part.source not in fit.shrunk:
            fit = fit.with_shrunk(part.source)
    return fit
