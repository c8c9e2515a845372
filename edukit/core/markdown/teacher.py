"""Teacher-only blocks (notes, instructor, safeguarding, adaptations) and print-only blocks (handout).

Selection happens on the Markdown lines, using the same block scanner as rendering, so a
block left out of a view never reaches that view's HTML at all.
"""
from __future__ import annotations

import itertools
import re

from .blocks import Div, div_inner, div_span, outermost, scan_divs

NOTES = frozenset({"notes", "instructor"})
SAFEGUARDING = frozenset({"safeguarding"})
ADAPTATIONS = frozenset({"adaptations"})  # SEND, EAL, stretch (edukit.core.adaptations)
TEACHER_ONLY = NOTES | SAFEGUARDING | ADAPTATIONS
PRINT_ONLY = frozenset({"handout", "parents"})  # "parents": the leaflet (core.leaflet)
HANDOUT_PARTS = frozenset({"key-messages", "activity", "worksheet", "handout", "routes"})

MARP_COMMENT = re.compile(r"^[ \t]*<!--(.*?)-->[ \t]*$", re.DOTALL | re.MULTILINE)
MARP_DIRECTIVE = re.compile(
    r"^\s*_?(theme|style|headingDivider|size|math|title|author|description|image|keywords|url|"
    r"marp|paginate|header|footer|class|backgroundColor|backgroundImage|backgroundPosition|"
    r"backgroundRepeat|backgroundSize|color|transition|lang)\s*:", re.MULTILINE
)


def marp_comments_to_notes(text: str) -> str:
    """In Marp decks, an HTML comment that is not a directive is that slide's presenter note."""
    def replace(m: re.Match) -> str:
        body = m.group(1).strip()
        if not body or MARP_DIRECTIVE.match(body):
            return ""
        return f"\n::: notes\n{body}\n:::\n"
    return MARP_COMMENT.sub(replace, text)


def block_lines(lines: list[str], names: frozenset[str], divs: list[Div] | None = None) -> set[int]:
    """The numbers of the lines inside (and fencing) every block of these names."""
    inside: set[int] = set()
    for span in block_spans(lines, names, divs):
        inside.update(span)
    return inside


def block_spans(lines: list[str], names: frozenset[str], divs: list[Div] | None = None) -> list[range]:
    """The line numbers of each outermost block of these names, fences included."""
    divs = scan_divs(lines) if divs is None else divs
    return [div_span(d, len(lines)) for d in outermost(divs, names)]


def without_blocks(lines: list[str], names: frozenset[str], divs: list[Div] | None = None) -> list[str]:
    """The lines with every block of these names blanked out (line numbers kept)."""
    drop = block_lines(lines, names, divs)
    return ["" if i in drop else line for i, line in enumerate(lines)]


def blocks_text(lines: list[str], names: frozenset[str], divs: list[Div] | None = None) -> list[tuple[str, str]]:
    """(name, inner Markdown) of each outermost block with one of these names, in order."""
    divs = scan_divs(lines) if divs is None else divs
    return [(d.name, "\n".join(div_inner(d, lines))) for d in outermost(divs, names)]


def whole_blocks(lines: list[str], names: frozenset[str], divs: list[Div] | None = None) -> str:
    """The outermost blocks with these names, fences included, as one Markdown text."""
    divs = scan_divs(lines) if divs is None else divs
    parts = []
    for d in outermost(divs, names):
        span = div_span(d, len(lines))
        parts.append("\n".join(lines[span.start:span.stop]) + ("" if d.end is not None else "\n:::"))
    return "\n\n".join(parts)


REVEAL_NOTE = re.compile(r"^\s*notes?:\s?(.*)$", re.IGNORECASE)  # reveal.js's notesSeparator
TRAILING_COMMENT = re.compile(r"<!--(?P<body>.*?)-->\s*\Z", re.DOTALL)
SLIDE_ATTRIBUTES = re.compile(r"^\s*\.(slide|element)\s*:")  # reveal.js: attributes, not notes
MARP_FIT = re.compile(r"<!--\s*fit\s*-->\s*")  # Marp's "fit the heading": the heading is kept


def deck_notes_to_blocks(lines: list[str], starts: tuple[int, ...],
                         code: set[int]) -> list[str]:
    """In a deck split by `---` rules (reveal.js, Slidev), a slide's `Note:` line and what
    follows it (reveal.js), or an HTML comment at the very end of the slide (Slidev), are the
    presenter's notes: they become `::: notes` blocks, so pupils never see them."""
    out: list[str] = []
    bounds = [0, *starts, len(lines)]
    for start, end in itertools.pairwise(bounds):
        out += slide_notes_to_block(lines[start:end], {i - start for i in code if start <= i < end})
    return out


def slide_notes_to_block(chunk: list[str], code: set[int]) -> list[str]:
    for i, line in enumerate(chunk):
        m = REVEAL_NOTE.match(line)
        if m and i not in code and (i == 0 or not chunk[i - 1].strip()):
            return [*chunk[:i], "::: notes", m.group(1), *chunk[i + 1:], ":::", ""]
    text = "\n".join(chunk)
    m = TRAILING_COMMENT.search(text)
    if not m or SLIDE_ATTRIBUTES.match(m.group("body")) or not m.group("body").strip():
        return chunk
    first = text.count("\n", 0, m.start())
    if first in code or not chunk[first].lstrip().startswith("<!--"):
        return chunk
    return [*chunk[:first], "", "::: notes", m.group("body").strip(), ":::", ""]
