"""Tables that fit the page: a table a school writes may have more columns, or longer words,
than a page is wide, and a table wider than the page is cut at the margin on paper (its last
columns are not printed at all). Here each table is put in a `.table-fit` box (the width the CSS
measures against, base.css) and each word of a cell in a `.w` span, which the CSS lets break
only when it is longer than its column's share of that width; phone numbers go in a `.phone`
span that never breaks (a helpline number split over two lines is misread); web and email
addresses may break after a '/' or before a '.' or '@' first.

The table's size goes on its box as classes (`cols-8 chars-159 em-98`: its columns, and the
longest word of each column in characters and in ems of the usual font, added up):
edukit.core.printing reads them to keep every word whole where the table surely fits the paper
(`whole`), and validation names a table too wide to print whole (edukit.core.validate).
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Extension, Markdown
from markdown.serializers import to_html_string
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER_RE

from ..helplines import NUMBER
from ..table_size import (  # noqa: F401  (SIZE, fits_whole, width_problem: also named here)
    CH_EM,
    FONT_WIDTH,
    LETTER,
    NARROW,
    SHARES,
    SIZE,
    SLIM,
    WIDE,
    fits_whole,
    width_problem,
)
from .raw_tables import RAW_TABLE, parse_table

CELLS = ("th", "td")
LEAVE_WHOLE = {"img", "svg", "math", "wbr", "br", "pre"}  # not text to split into words
TOKEN = re.compile(r"\S+")
ADDRESS = re.compile(r"[/@]|\.\w")  # a web or email address: may break at its parts
ADDRESS_BREAK = re.compile(r"(?<=/)(?=[^/])|(?=[@])|(?<=\w)(?=\.\w)")
HYPHEN = re.compile(r"(?<=\w-)(?=\w)")  # a line may break after a hyphen in any word
# A table's size as classes on its box, and what it means on paper, are in a module of their own
# (edukit.core.table_size): printing and export read them from a page without Python-Markdown.


def columns_of(table: etree.Element) -> list[list[etree.Element]]:
    """The cells of each column (a cell that spans columns counts in its first)."""
    columns: list[list[etree.Element]] = []
    for row in table.iter("tr"):
        for n, cell in enumerate(c for c in row if c.tag in CELLS):
            while len(columns) <= n:
                columns.append([])
            columns[n].append(cell)
    return columns


def text_of(element: etree.Element) -> str:
    return "".join(element.itertext())


def ch_width(word: str) -> float:
    """About how wide a word is printed, in digits' widths of the usual font."""
    return sum(0.5 if c in NARROW else 0.66 if c in SLIM else 1.6 if c in WIDE
               else 1.25 if c.isupper() else 1.0 for c in word)


def em_width(word: str) -> float:
    return ch_width(word) * CH_EM


def table_size(columns: list[list[etree.Element]]) -> tuple[int, int, float]:
    """(columns, characters, ems): each column's longest word added up."""
    words = [longest_word(cells) for cells in columns]
    return len(columns), sum(len(w) for w in words), sum(em_width(w) for w in words)


def phone_chars(cells: list[etree.Element]) -> int:
    """Characters of the longest phone number in a column (0: none), which never breaks."""
    return max((len(n) for cell in cells for n in NUMBER.findall(text_of(cell))), default=0)


def fit_classes(columns: list[list[etree.Element]]) -> str:
    """The box's classes: its size (table_size), and what the CSS divides its width by. The
    phone numbers' columns are set aside first, each at its number's length and two more (its
    padding) in digits (base.css: 1ch and WCAG's letter spacing each), as `pt-T pu-U` (tens
    and units of those characters, at most 99); each other column takes an equal share of the
    rest (`shares-N`)."""
    count, chars, ems = table_size(columns)
    phones = [phone_chars(cells) for cells in columns]
    reserved = min(99, sum(n + 2 for n in phones if n))
    shares = max(1, sum(1 for n in phones if not n))
    return (f"table-fit cols-{count} chars-{chars} em-{round(ems)} shares-{shares} "
            f"pt-{reserved // 10} pu-{reserved % 10}")


def longest_word(cells: list[etree.Element]) -> str:
    """The longest word of a column that must be kept whole (an address may
    break at its parts, so its longest part counts)."""
    texts = [text_of(cell) for cell in cells]
    numbers = [n for text in texts for n in NUMBER.findall(text)]  # never broken
    words = [piece for text in texts for word in TOKEN.findall(NUMBER.sub(" ", text))
             for part in (ADDRESS_BREAK.split(word) if ADDRESS.search(word) else [word])
             for piece in HYPHEN.split(part)]
    return max([*numbers, *words], key=em_width, default="")


class TableFitTreeprocessor(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        parents = {child: parent for parent in root.iter() for child in parent}
        for table in list(root.iter("table")):
            parent = parents.get(table)
            if parent is None or "table-fit" in (parent.get("class") or "").split():
                continue
            box = self.fitted(table)
            parent.insert(list(parent).index(table), box)
            parent.remove(table)
        self.fit_raw_tables()

    def fitted(self, table: etree.Element) -> etree.Element:
        """The table in its .table-fit box, each word of its cells in a span."""
        columns = columns_of(table)
        box = etree.Element("div", {"class": fit_classes(columns)})
        box.append(table)
        for cell in (c for cells in columns for c in cells):
            self.wrap_words(cell)
        return box

    def fit_raw_tables(self) -> None:
        """Tables typed as HTML (kept aside as raw HTML until the page is written) fitted the
        same way: their phone numbers never break either (edukit.core.markdown.raw_tables)."""
        stash = self.md.htmlStash.rawHtmlBlocks
        for n, block in enumerate(stash):
            if isinstance(block, str) and "<table" in block.lower():
                stash[n] = RAW_TABLE.sub(self.fitted_raw_table, block)

    def fitted_raw_table(self, match: re.Match) -> str:
        table = parse_table(match.group(0))
        return match.group(0) if table is None else to_html_string(self.fitted(table))

    def wrap_words(self, element: etree.Element) -> None:
        """Each word of the element's text (and its inline children's) in a span."""
        children = list(element)
        text, element.text = element.text, None
        for child in children:
            element.remove(child)
        self.add_pieces(element, text)
        for child in children:
            tail, child.tail = child.tail, None
            if child.tag not in LEAVE_WHOLE and "phone" not in (child.get("class") or ""):
                self.wrap_words(child)
            element.append(child)
            self.add_pieces(element, tail)

    def add_pieces(self, element: etree.Element, text: str | None) -> None:
        if not text:
            return
        if self.holds_raw_tag(text):  # <b>two words</b> typed as HTML: a span must not cut it
            add_text(element, text)
            return
        at = 0
        for number in NUMBER.finditer(text):
            self.add_words(element, text[at:number.start()])
            element.append(span("phone", number.group(0)))
            at = number.end()
        self.add_words(element, text[at:])

    def add_words(self, element: etree.Element, text: str) -> None:
        at = 0
        for word in TOKEN.finditer(text):
            add_text(element, text[at:word.start()])
            element.append(word_span(word.group(0)))
            at = word.end()
        add_text(element, text[at:])

    def holds_raw_tag(self, text: str) -> bool:
        stash = self.md.htmlStash.rawHtmlBlocks
        return any(int(m.group(1)) < len(stash) and str(stash[int(m.group(1))]).startswith("<")
                   for m in HTML_PLACEHOLDER_RE.finditer(text))


def add_text(element: etree.Element, text: str) -> None:
    """Text after the element's last child (or as its text when it has none)."""
    if not text:
        return
    if len(element):
        element[-1].tail = (element[-1].tail or "") + text
    else:
        element.text = (element.text or "") + text


def span(cls: str, text: str) -> etree.Element:
    element = etree.Element("span", {"class": cls})
    element.text = text
    return element


def word_span(word: str) -> etree.Element:
    """A word's span; an address gets a line-break opportunity (<wbr>) at each of its parts."""
    if not ADDRESS.search(word) or HTML_PLACEHOLDER_RE.search(word):
        return span("w", word)
    element = span("w", "")
    for n, part in enumerate(ADDRESS_BREAK.split(word)):
        if n:
            element.append(etree.Element("wbr"))
        add_text(element, part)
    return element


class TableFitExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        # after the inline patterns (20), so cells hold their final text and links
        md.treeprocessors.register(TableFitTreeprocessor(md), "edukit_table_fit", 11)
