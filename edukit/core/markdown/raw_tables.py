"""Tables a school typed as HTML in its lesson (Python-Markdown keeps them as raw text), read
into an element tree so edukit.core.markdown.tables fits them like a Markdown table: a phone
number in one never breaks across lines, and validation can say when one is too wide.

Raw HTML is untrusted and need not be well formed: a cell or row left open ends where the
next begins, a tag closed out of order closes what it left open, a stray end tag is ignored,
and anything that is not one table is left as it was
(the sanitiser, edukit.core.sanitize, cleans the page after this either way)."""
from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections import Counter
from html.parser import HTMLParser

# A table with no table inside it (an outer table is left as typed; its inner one is fitted)
RAW_TABLE = re.compile(r"<table\b(?:(?!<table\b).)*?</table\s*>", re.IGNORECASE | re.DOTALL)
VOID = frozenset({"area", "br", "col", "embed", "hr", "img", "input", "source", "track", "wbr"})
MAX_DEPTH = 100  # elements open inside one another (a bundled table: 5)
CELL_END = frozenset({"td", "th"})
ROW_END = CELL_END | {"tr"}
SECTION_END = ROW_END | {"thead", "tbody", "tfoot", "caption", "colgroup"}
# What a start tag closes when it is still open (HTML's implied end tags: `<td>a<td>b` is two
# cells, as a browser and the sanitiser read it)
CLOSES = {"td": CELL_END, "th": CELL_END, "tr": ROW_END, "thead": SECTION_END,
          "tbody": SECTION_END, "tfoot": SECTION_END}


class TreeReader(HTMLParser):
    """HTML text to elements under one root; comments and declarations are dropped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = etree.Element("root")
        self.open = [self.root]
        self.open_tags: Counter[str] = Counter()  # how many of each tag `open` holds
        self.too_deep = False

    def handle_starttag(self, tag: str, attrs) -> None:
        while len(self.open) > 1 and self.open[-1].tag in CLOSES.get(tag, ()):
            self.close_last()
        element = etree.SubElement(self.open[-1], tag, {k: v or "" for k, v in attrs})
        if tag not in VOID:
            self.open.append(element)
            self.open_tags[tag] += 1
            self.too_deep |= len(self.open) > MAX_DEPTH

    def handle_startendtag(self, tag: str, attrs) -> None:
        etree.SubElement(self.open[-1], tag, {k: v or "" for k, v in attrs})

    def handle_endtag(self, tag: str) -> None:
        """Close the innermost open `tag` and what it left open; a stray end tag does nothing
        (counted, not searched for: a run of stray end tags costs no more than its length)."""
        if self.open_tags[tag]:
            while self.close_last() != tag:
                pass

    def close_last(self) -> str:
        tag = self.open.pop().tag
        self.open_tags[tag] -= 1
        return tag

    def handle_data(self, data: str) -> None:
        parent = self.open[-1]
        if len(parent):
            parent[-1].tail = (parent[-1].tail or "") + data
        else:
            parent.text = (parent.text or "") + data


def parse_table(html: str) -> etree.Element | None:
    """The one <table> the text holds, as elements; None if it holds anything else, or nests
    deeper than MAX_DEPTH (left as typed: writing out a tree is recursive)."""
    reader = TreeReader()
    reader.feed(html)
    reader.close()
    root = reader.root
    if reader.too_deep or len(root) != 1 or root[0].tag != "table" or (root.text or "").strip() \
            or (root[0].tail or "").strip():
        return None
    return root[0]
