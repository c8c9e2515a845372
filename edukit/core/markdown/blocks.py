"""Find code fences and Pandoc fenced divs in Markdown lines, with their line numbers.

One scanner serves rendering, slide splitting, teacher-only blocks and validation, so they all
agree on where a block starts and ends.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .guard import DIV_DEPTH_LIMIT

DIV_OPEN = re.compile(
    r"^ {0,3}(?P<colons>:{3,})\s*(?:\{(?P<attrs>[^}]*)\}|(?P<name>[A-Za-z][\w-]*))\s*:*\s*$"
)
DIV_CLOSE = re.compile(r"^ {0,3}:{3,}\s*$")
CODE_FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})")
ATTR = re.compile(r"""\.(?P<cls>[\w-]+)|#(?P<id>[\w-]+)|(?P<key>[\w-]+)=(?P<val>"[^"]*"|'[^']*'|\S+)""")

# Quarto's callouts (`::: {.callout-tip}`): each kind is labelled in words and has its own
# colour and icon (base.css), as Quarto shows them.
CALLOUT_KINDS = {"callout-note": "Note", "callout-tip": "Tip", "callout-warning": "Warning",
                 "callout-important": "Important", "callout-caution": "Caution"}
KNOWN_DIVS = frozenset(CALLOUT_KINDS) | frozenset({
    "notes", "instructor", "safeguarding", "activity", "discuss", "scenario", "worksheet",
    "handout", "key-messages", "objectives", "questions", "keypoints", "challenge", "solution",
    "callout", "routes", "prereq", "checklist", "testimonial", "hint", "caution", "spoiler",
    "discussion", "tab", "parents", "adaptations",
})


@dataclass(frozen=True)
class Div:
    """A fenced div: its name, attributes and the 0-based indexes of its fence lines."""

    name: str
    classes: tuple[str, ...]
    attrs: tuple[tuple[str, str], ...]
    start: int
    end: int | None  # None when never closed
    depth: int

    def attr(self, key: str, default: str = "") -> str:
        return dict(self.attrs).get(key, default)


def parse_div_opener(match: re.Match) -> tuple[str, tuple[str, ...], tuple[tuple[str, str], ...]]:
    if match.group("name"):
        return match.group("name").lower(), (), ()
    classes, attrs = [], []
    for m in ATTR.finditer(match.group("attrs") or ""):
        if m.group("cls"):
            classes.append(m.group("cls").lower())
        elif m.group("id"):
            attrs.append(("id", m.group("id")))
        else:
            attrs.append((m.group("key").lower(), m.group("val").strip("\"'")))
    name = classes[0] if classes else "div"
    return name, tuple(classes[1:]), tuple(attrs)


def code_lines(lines: list[str]) -> set[int]:
    """Indexes of lines inside (or fencing) fenced code blocks."""
    text = "\n".join(lines)
    if "```" not in text and "~~~" not in text:
        return set()  # no fence (most lessons): no line to test
    inside: set[int] = set()
    fence = ""
    for i, line in enumerate(lines):
        if fence:
            inside.add(i)
            stripped = line.strip()
            if stripped.startswith(fence) and set(stripped) == {fence[0]}:
                fence = ""
            continue
        m = CODE_FENCE.match(line)
        if m:
            fence = m.group("fence")
            inside.add(i)
    return inside


def scan_divs(
    lines: list[str], code: set[int] | None = None, strays: list[int] | None = None
) -> list[Div]:
    """All fenced divs in order of opening; unclosed ones have end=None.

    Closing fences with nothing open are appended to `strays` when it is given.
    """
    code = code_lines(lines) if code is None else code
    opened: list[list] = []  # name, classes, attrs, start, end, depth: made Divs at the end
    stack: list[int] = []  # indexes into opened
    too_deep = 0  # openers past DIV_DEPTH_LIMIT: their content stays, their fences do not
    for i in lines_with(lines, ":::"):
        if i in code:
            continue
        line = lines[i]
        if DIV_CLOSE.match(line):
            if too_deep:
                too_deep -= 1
            elif stack:
                opened[stack.pop()][4] = i
            elif strays is not None:
                strays.append(i)
            continue
        m = DIV_OPEN.match(line)
        if m and len(stack) >= DIV_DEPTH_LIMIT:
            too_deep += 1
        elif m:
            opened.append([*parse_div_opener(m), i, None, len(stack)])
            stack.append(len(opened) - 1)
    return [Div(*fields) for fields in opened]


def lines_with(lines: list[str], needle: str) -> list[int]:
    """Indexes of the lines that contain needle: a lesson's lines are read a few times each
    time a view reads it, and one test per line in a comprehension costs a third of a loop's."""
    return [i for i, line in enumerate(lines) if needle in line]


def outermost(divs: list[Div], names: frozenset[str] | set[str]) -> list[Div]:
    """The divs with one of these names that are not inside another such div."""
    picked: list[Div] = []
    for d in divs:  # in order of opening, as scan_divs gives them
        # Blocks nest: one that opens after the last picked one ends is inside none picked.
        if d.name in names and not (picked and inside(d, picked[-1])):
            picked.append(d)
    return picked


def inside(d: Div, outer: Div) -> bool:
    end = outer.end if outer.end is not None else float("inf")
    return outer.start < d.start < end


def div_span(d: Div, line_count: int) -> range:
    """Line indexes a div covers, fences included."""
    return range(d.start, (d.end if d.end is not None else line_count - 1) + 1)


def div_inner(d: Div, lines: list[str]) -> list[str]:
    end = d.end if d.end is not None else len(lines)
    return lines[d.start + 1:end]
