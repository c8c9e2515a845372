"""The two prints read and lined up: which element owns each piece of text of the first (its
colour in the second names it), and which runs of operators only the first draws (pictures)."""
from __future__ import annotations

import functools
import hashlib
import io
from dataclasses import dataclass
from difflib import SequenceMatcher

import pikepdf

ARTIFACT = -1  # owner of the running header and footer (page furniture)
COLOUR_OPS = {"rg", "RG", "g", "G", "k", "K", "sc", "SC", "scn", "SCN", "cs", "CS"}
RESOURCE_OPS = {"Tf", "gs", "Do", "sh", "cs", "CS", "BDC", "BMC"}  # names that differ per print
TEXT_SHOW = {"Tj", "TJ", "'", '"'}
TEXT_STATE = {"Td", "TD", "Tm", "T*", "Tf", "Tc", "Tw", "Tz", "TL", "Tr", "Ts"} | COLOUR_OPS
PATH_BUILD = {"m", "l", "c", "v", "y", "re", "h"}
PATH_END = {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "n"}
CLIP = {"W", "W*"}


class Untaggable(ValueError):
    """The PDF cannot be tagged exactly; it is left untagged."""


@dataclass(frozen=True)
class Element:
    """One element of the print page, in document order, as gui/pdf/ reads it."""

    tag: str
    parent: int  # index of the parent element; -1 for <body>
    alt: str | None = None  # an <img>'s alt attribute (None: it has none)
    size: tuple[int, int] = (0, 0)  # an <img>'s pixel size


def element_code(red: int, green: int, blue: int, count: int) -> int | None:
    """The owner a text colour of the second print names: an element index, ARTIFACT, or None."""
    if red == 1 and 1 <= (n := green * 256 + blue) <= count:
        return n - 1
    if (red, green, blue) == (2, 0, 1):
        return ARTIFACT
    return None


@dataclass
class Content:
    """A content stream read once: its operators, their names and each written out as PDF."""

    ops: list
    names: list[str]
    lines: list[bytes]


def read_content(stream) -> Content:
    """A page's (or drawing's) operators. They are written out in one call and split at line
    breaks (pikepdf puts one operator on each line), not one call each: tagging reads a few
    thousand operators a page. An operator whose text holds a line break (an inline image's
    data) makes the count differ, and then each is written out on its own."""
    ops = pikepdf.parse_content_stream(stream)
    lines = pikepdf.unparse_content_stream(ops).split(b"\n")
    if len(lines) != len(ops) or pikepdf.ContentStreamInlineImage in {type(op) for op in ops}:
        lines = [pikepdf.unparse_content_stream([op]) for op in ops]
        return Content(ops, [operator(op) for op in ops], lines)
    return Content(ops, [line.rpartition(b" ")[2].decode("latin-1") for line in lines], lines)


class FirstPrint:
    """The print people get, opened and read: done while Chromium makes the second print
    (gui/pdf/), so only the comparison is left when that arrives."""

    def __init__(self, printed: bytes):
        self.printed = printed
        self.pdf = pikepdf.open(io.BytesIO(printed))
        self.pages = [read_content(page) for page in self.pdf.pages]

    @functools.cached_property
    def drawings(self) -> list[tuple[list[int], list[tuple[str, bytes]]]]:
        """Each page's drawing (`drawing`), for lining it up with a second print: a reprint
        tagged from a kept map (TagMap) has none and needs none."""
        return [drawing(page) for page in self.pages]

    def content_digest(self) -> str:
        """A digest of the pages' operators as tagging reads them (not the document's dates or
        ID, which differ each run): two prints with one digest are tagged the same way."""
        digest = hashlib.sha256(str(len(self.pages)).encode("ascii"))
        for page in self.pages:
            digest.update(b"\0page\0")
            digest.update(b"\n".join(page.lines))
        return digest.hexdigest()

    def untagged(self) -> pikepdf.Pdf:
        """The print as Chromium made it (tagging may have changed `pdf` before it gave up)."""
        return pikepdf.open(io.BytesIO(self.printed))


def coded_plans(first: FirstPrint, coded: bytes, elements: list[Element]) -> list[PagePlan]:
    """What the second print says about each page of the first; Untaggable when not exact."""
    key = pikepdf.open(io.BytesIO(coded))
    if len(first.pages) != len(key.pages):
        raise Untaggable("the two prints have different page counts")
    return [page_plan(content, drawn, read_content(coded_page), len(elements), number)
            for number, (content, drawn, coded_page)
            in enumerate(zip(first.pages, first.drawings, key.pages))]


@dataclass
class PagePlan:
    """What the two prints say about one page of the first."""

    owners: dict[int, int]  # operator index of each text-showing operator: its element, ARTIFACT
    pictures: list[tuple[int, int]]  # operator index ranges [start, end) only the first draws


def page_plan(content: Content, drawn: tuple[list[int], list[tuple[str, bytes]]],
              coded: Content, count: int, number: int) -> PagePlan:
    """Line the page's operators (`drawn`: its drawing) up with the second print's (which
    draws no pictures): what only the first draws are the pictures, and every other piece of
    text takes the owner its colour names in the second; Untaggable when the two differ in any
    other way."""
    a_index, a_keys = drawn
    b_index, b_keys = drawing(coded)
    b_owners = coded_owners(coded, count, number)
    deleted = ([] if a_keys == b_keys
               else picture_runs(content.names, a_index, a_keys, b_keys, number))
    pictures = [(a_index[i1], a_index[i2 - 1] + 1) for i1, i2 in deleted]
    drawn_by_both = [i for i in range(len(a_keys)) if not any(i1 <= i < i2 for i1, i2 in deleted)
                     ] if deleted else range(len(a_keys))
    if deleted and [a_keys[i] for i in drawn_by_both] != b_keys:
        raise Untaggable(f"page {number + 1}: the two prints draw differently")
    owners = {a_index[i]: b_owners[b_index[j]] for j, i in enumerate(drawn_by_both)
              if b_index[j] in b_owners}
    return PagePlan(owners, pictures)


def drawing(content: Content) -> tuple[list[int], list[tuple[str, bytes]]]:
    """A page's operators without colours and resource names (equal in the two prints), with
    their places in the page."""
    names, lines = content.names, content.lines
    index = [n for n, name in enumerate(names) if name not in COLOUR_OPS]
    keys = [(names[n], b"" if names[n] in RESOURCE_OPS or names[n] == "BI" else lines[n])
            for n in index]
    return index, keys


def operator(instruction) -> str:
    if isinstance(instruction, pikepdf.ContentStreamInlineImage):
        return "BI"
    return str(instruction.operator)


def picture_runs(names, a_index, a_keys, b_keys, number) -> list[tuple[int, int]]:
    """The runs of operators the first print has and the second not (in `a_keys` positions),
    each slid to where it is whole: no path, text object or marked content cut in two."""
    runs = []
    start, end = common_ends(a_keys, b_keys)
    matcher = SequenceMatcher(None, a_keys[start:len(a_keys) - end],
                              b_keys[start:len(b_keys) - end], autojunk=False)
    for tag, i1, i2, _, _ in matcher.get_opcodes():
        if tag == "equal":
            continue
        if tag != "delete":
            raise Untaggable(f"page {number + 1}: the two prints draw differently")
        runs.append(whole_run(names, a_index, a_keys, start + i1, start + i2, number))
    return runs


def common_ends(a: list, b: list) -> tuple[int, int]:
    """How many items the two lists share at their start, and then at their end: only the
    middle goes to SequenceMatcher, whose work grows with the square of what it is given (a
    page with one picture: its few operators, not the page's thousands). Each run found is
    slid into place by whole_run, so where in a repeat the trimming cuts changes nothing."""
    shortest = min(len(a), len(b))
    start = next((n for n in range(shortest) if a[n] != b[n]), shortest)
    end = next((n for n in range(shortest - start) if a[-1 - n] != b[-1 - n]), shortest - start)
    return start, end


def whole_run(names, a_index, a_keys, i1, i2, number) -> tuple[int, int]:
    while i1 > 0 and a_keys[i1 - 1] == a_keys[i2 - 1]:
        i1, i2 = i1 - 1, i2 - 1
    while True:
        if run_is_whole(names, a_index[i1], a_index[i2 - 1] + 1):
            return i1, i2
        if i2 >= len(a_keys) or a_keys[i1] != a_keys[i2]:
            raise Untaggable(f"page {number + 1}: a picture drawn among other things")
        i1, i2 = i1 + 1, i2 + 1


def run_is_whole(names: list[str], start: int, end: int) -> bool:
    """Can [start, end) be one marked-content sequence: starting outside any text object, with
    text objects and marked content balanced in it, and no path cut at either end? (`names`:
    the page's operator names.)"""
    depth = sum((name == "BT") - (name == "ET") for name in names[:start])
    if depth or names[start - 1] in PATH_BUILD | CLIP if start else False:
        return False
    if names[end - 1] in PATH_BUILD | CLIP:
        return False
    text = marks = 0
    for name in names[start:end]:
        text += (name == "BT") - (name == "ET")
        marks += (name in ("BDC", "BMC")) - (name == "EMC")
        if text < 0 or marks < 0:
            return False
    return text == 0 and marks == 0


def coded_owners(coded: Content, count: int, number: int) -> dict[int, int]:
    """The owner of each text-showing operator of the second print, named by its colour."""
    owners, colour, saved = {}, (0, 0, 0), []
    for n, name in enumerate(coded.names):
        if name == "q":
            saved.append(colour)
        elif name == "Q" and saved:
            colour = saved.pop()
        elif name in ("rg", "sc", "scn") and len(operands := coded.ops[n].operands) == 3:
            colour = tuple(round(float(v) * 255) for v in operands)
        elif name in ("g", "k", "cs"):
            colour = None
        elif name in TEXT_SHOW:
            owner = element_code(*colour, count) if colour else None
            if owner is None:
                raise Untaggable(f"page {number + 1}: text in a colour no element has")
            owners[n] = owner
    return owners
