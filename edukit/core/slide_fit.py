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
# A slide with a lot on it is set in smaller type (slides.css: .slide:has(... li:nth-child(8)));
# its parts, once it is cut, would each have less on them and be set larger, so the cuts planned
# on the whole slide would not hold and every part would hold less. They keep the whole slide's
# type instead (slides.css: .slide.keep-type-NN), by its size in % of the normal type.
KEPT_TYPES = {86: "keep-type-86", 78: "keep-type-78"}
MIN_TYPE_SCALE = 0.6  # slides.css: .slide.fit-small; at 1280x720 body text is about 19 px
VOID = frozenset({"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
                  "track", "wbr"})
HEADING_TAG = re.compile(r"^<h([1-3])\b", re.IGNORECASE)
ID_ATTR = re.compile(r'\s+id="[^"]*"')


@dataclass(frozen=True)
class SlideFit:
    """How to fit one module's slides, by the index of each slide as first rendered:
    `breaks` lists the units (edukit.core.slide_fit.slide_units) that start a continuation
    slide, `shrunk` the parts set in smaller type, as (slide, first unit of the part)."""

    breaks: tuple[tuple[int, tuple[int, ...]], ...] = ()
    shrunk: frozenset[tuple[int, int]] = field(default_factory=frozenset)
    kept_types: tuple[tuple[int, str], ...] = ()  # slide: the class keeping its uncut type

    def kept_type(self, index: int) -> str:
        return dict(self.kept_types).get(index, "")

    def with_kept_type(self, index: int, css_class: str) -> SlideFit:
        found = {**dict(self.kept_types), index: css_class}
        return replace(self, kept_types=tuple(sorted((i, c) for i, c in found.items() if c)))

    def breaks_of(self, index: int) -> tuple[int, ...]:
        return dict(self.breaks).get(index, ())

    def with_break(self, index: int, block: int) -> SlideFit:
        found = dict(self.breaks)
        found[index] = tuple(sorted({*found.get(index, ()), block}))
        return replace(self, breaks=tuple(sorted(found.items())))

    def with_shrunk(self, index: int, start: int = 0) -> SlideFit:
        return replace(self, shrunk=self.shrunk | {(index, start)})

    def is_shrunk(self, index: int, start: int | None = None) -> bool:
        """Is this part (or, with no start, any part) of the slide set in smaller type?"""
        return any(i == index and (start is None or s == start) for i, s in self.shrunk)

    def from_part(self, index: int, start: int) -> SlideFit:
        """The fit without the slide's cuts and shrinks after `start`: the parts after a part
        that changes are planned again at the type they will have."""
        found = {i: tuple(c for c in cuts if i != index or c <= start) for i, cuts in self.breaks}
        return replace(self, breaks=tuple(sorted((i, c) for i, c in found.items() if c)),
                       shrunk=frozenset((i, s) for i, s in self.shrunk if i != index or s <= start))

    def __bool__(self) -> bool:
        return bool(self.breaks or self.shrunk or self.kept_types)


class TopLevelSplitter(HTMLParser):
    """Cut sanitised HTML into its top-level elements (text between them stays with the one
    before). The HTML comes from the sanitiser, so tags are balanced."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.depth, self.parts, self.current = 0, [], ""

    def handle_starttag(self, tag: str, attrs) -> None:
        self.add_start_tag()
        if tag not in VOID:
            self.depth += 1

    def handle_startendtag(self, tag: str, attrs) -> None:
        """A self-closed element (<rect/> in a drawing): no end tag to add, no depth to change."""
        self.add_start_tag()

    def add_start_tag(self) -> None:
        """The tag as written; at the top level it begins a new part."""
        if self.depth == 0 and self.current.strip():
            self.parts.append(self.current)
            self.current = ""
        self.current += self.get_starttag_text() or ""

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
DIV_OPENER = re.compile(r"^<div\b[^>]*>", re.IGNORECASE)
CLASS_ATTR = re.compile(r'\sclass="([^"]*)"')
OL_START = re.compile(r'\sstart="(\d+)"')


@dataclass(frozen=True)
class Wrapper:
    """An element a unit sits in (a top-level list, a box, a list in a box): `key` says which
    (the indexes leading to it), `opener` is its start tag, `item` which of its children the
    unit is in (an ordered list cut before its 6th item goes on at 6)."""

    key: tuple[int, ...]
    opener: str
    item: int


@dataclass(frozen=True)
class Unit:
    """What a slide may be cut before: a top-level block, an item of a list, or a part of a
    box (an activity, a worksheet); `wrappers` are the elements around it, outermost first."""

    block: int
    html: str
    wrappers: tuple[Wrapper, ...] = ()


def opened(block: str) -> tuple[str, list[str]] | None:
    """A list's items, or a box's parts (never the help box: it stays one block), with the start
    tag they sit in; None for a block that is not cut inside. The page's measuring script
    (edukit.gui.measure.MEASURE_BLOCKS) opens the same elements."""
    block = block.strip()
    m = LIST_OPENER.match(block) or DIV_OPENER.match(block)
    if not m or (m.re is DIV_OPENER and not is_box(m.group(0))):
        return None
    parts = top_level_blocks(block[m.end():block.rfind("</")])
    first = "<li" if m.re is LIST_OPENER else "<"
    if not parts or not all(p.lstrip().lower().startswith(first) for p in parts):
        return None
    return m.group(0), parts


def is_box(opener: str) -> bool:
    """A lesson's box (activity, worksheet, scenario…), but not the help box."""
    m = CLASS_ATTR.search(opener)
    classes = m.group(1).split() if m else []
    return "block" in classes and "routes" not in classes


def slide_units(html: str) -> list[Unit]:
    """The slide's blocks, with each list and box opened up into its parts, at any depth."""
    units: list[Unit] = []

    def add(block: int, html: str, wrappers: tuple[Wrapper, ...], key: tuple[int, ...]) -> None:
        inside = opened(html)
        if inside is None:
            units.append(Unit(block, html, wrappers))
            return
        opener, parts = inside
        for k, part in enumerate(parts):
            add(block, part, (*wrappers, Wrapper(key, opener, k)), (*key, k))

    for n, block in enumerate(top_level_blocks(html)):
        add(n, block, (), (n,))
    return units


def units_html(units: list[Unit]) -> str:
    """Units back into HTML, each run of units in the same elements inside those elements'
    tags, opened again where a slide starts inside them (without their ids)."""
    out: list[str] = []
    stack: list[Wrapper] = []
    for u in units:
        keep = 0
        while (keep < len(stack) and keep < len(u.wrappers)
               and stack[keep].key == u.wrappers[keep].key):
            keep += 1
        for w in reversed(stack[keep:]):
            out.append(closing_tag(w))
        stack = list(u.wrappers)
        out += [reopened(w) for w in u.wrappers[keep:]]
        out.append(u.html)
    out += [closing_tag(w) for w in reversed(stack)]
    return "".join(out)


def closing_tag(w: Wrapper) -> str:
    return "</div>" if w.opener.lower().startswith("<div") else f"</{w.opener[1:3].lower()}>"


def reopened(w: Wrapper) -> str:
    """The wrapper's start tag where a slide starts at its `item`-th child."""
    if w.item == 0:
        return w.opener
    opener = ID_ATTR.sub("", w.opener, count=1)
    if not opener.lower().startswith("<ol"):
        return opener
    m = OL_START.search(opener)
    first = (int(m.group(1)) if m else 1) + w.item
    if m:
        return OL_START.sub(f' start="{first}"', opener, count=1)
    return opener[:-1] + f' start="{first}">'


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
    """One slide as shown after fitting: which first-rendered slide it comes from, the range of
    that slide's units (edukit.core.slide_fit.slide_units) it shows, whether the slide's heading
    is copied on top of them (a continuation), and, for refine, whether the slide starts with a
    heading and where the box each unit is in starts (a unit outside boxes: itself)."""

    source: int
    start: int
    end: int
    copied_heading: bool = False
    headed: bool = False
    box_starts: tuple[int, ...] = ()


def box_starts(units: list[Unit]) -> tuple[int, ...]:
    """For each unit, the first unit of the top-level box it is in (its own index if none)."""
    starts: list[int] = []
    for n, u in enumerate(units):
        in_box = bool(u.wrappers) and u.wrappers[0].opener.lower().startswith("<div")
        same = in_box and n and units[n - 1].block == u.block
        starts.append(starts[-1] if same else n)
    return tuple(starts)


CONTINUED_NOTE = '<p class="notes-continued"><em>Continued: the notes of this section.</em></p>'


def continued_notes(html: str) -> str:
    """A continuation slide's notes: the section's own, marked, so the presenter console never
    goes blank in the middle of a section ("" when the section has none)."""
    return CONTINUED_NOTE + html if html else ""


def fit_slides(slides: tuple[Slide, ...], fit: SlideFit) -> tuple[tuple[Slide, ...], tuple[Part, ...]]:
    """The slides with `fit` applied, numbered afresh, and where each came from."""
    out: list[Slide] = []
    parts: list[Part] = []
    for s in slides:
        units = slide_units(s.html)
        cuts = [c for c in fit.breaks_of(s.index) if 0 < c < len(units)]
        bounds = [0, *cuts, len(units)]
        head = continued_heading(units[0].html) if units and not units[0].wrappers else None
        starts = box_starts(units)
        for n, (start, end) in enumerate(itertools.pairwise(bounds)):
            html = units_html(units[start:end]) if cuts else s.html
            if n and head is not None:
                html = head + html
            out.append(replace(
                s, index=len(out), title=s.title if n == 0 else f"{s.title} (continued)",
                html=html,
                notes_html=s.notes_html if n == 0 else continued_notes(s.notes_html),
                safeguarding_html=(s.safeguarding_html if n == 0
                                   else continued_notes(s.safeguarding_html)),
                classes=part_classes(s, fit, start, bool(cuts)), part=n))
            parts.append(Part(s.index, start, end, bool(n and head is not None),
                              bool(head), starts))
    return tuple(out), tuple(parts)


def part_classes(s: Slide, fit: SlideFit, start: int, cut: bool) -> str:
    """Smaller type for a part set smaller; for each part of a cut slide, the slide's own type."""
    if fit.is_shrunk(s.index, start):
        return SHRINK_CLASS
    kept = fit.kept_type(s.index) if cut else ""
    return " ".join(c for c in (s.classes, kept) if c)


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
    type_scale: float = 1.0  # the slide's type against the normal type (0.78: set smaller)

    def first_below(self) -> int | None:
        """The first unit that ends below the slide's box, if any."""
        return next((i for i, b in enumerate(self.bottoms) if b > self.height + 1), None)


def refine(fit: SlideFit, shown: tuple[Slide, ...], parts: tuple[Part, ...],
           measured: list[Measured]) -> SlideFit:
    """One round of fitting. Each slide is planned at the type it will really have (a slide
    with fewer list items may be set larger, a slide set smaller holds more), so only the first
    part of each first-rendered slide that is wrong changes, and the cuts after it are planned
    again: a new cut before the first unit that overflows it (before the whole box when the box
    is not the part's first content), or smaller type when that unit is its first content."""
    done: set[int] = set()
    for part, m in zip(parts, measured, strict=False):
        if part.source in done:
            continue
        changed = refine_part(fit, part, m)
        if changed != fit:
            fit = changed
            done.add(part.source)
    return fit


def refine_part(fit: SlideFit, part: Part, m: Measured) -> SlideFit:
    """The fit with this part made right (the cuts and shrinks after it dropped), or as it was
    when the part fits or nothing more can be done for it."""
    below = m.first_below()
    shrunk = fit.is_shrunk(part.source, part.start)
    again = fit.from_part(part.source, part.start)
    if below is None:
        return again.with_shrunk(part.source, part.start) if m.too_wide and not shrunk else fit
    first_content = part.start + (1 if part.start == 0 and part.headed else 0)
    unit = part.start + below - (1 if part.copied_heading else 0)
    whole_box = part.box_starts[unit] if unit < len(part.box_starts) else unit
    cut = whole_box if whole_box > first_content else unit
    if cut > first_content:
        whole = part.start == 0 and part.end == len(part.box_starts)
        kept = KEPT_TYPES.get(round(m.type_scale * 100), "") if whole else fit.kept_type(part.source)
        return again.with_break(part.source, cut).with_kept_type(part.source, kept)
    if not shrunk:
        return again.with_shrunk(part.source, part.start)
    return fit
