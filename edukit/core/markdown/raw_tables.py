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
from html.parser import HTMLParser

# A table with no table inside it (an outer table is left as typed; its inner one is fitted)
RAW_TABLE = re.compile(r"<table\b(?:(?!<table\b).)*?</table\s*>", re.IGNORECASE | re.DOTALL)
VOID = frozenset({"area", "br", "col", "embed", "hr", "img", "input", "source", "track", "wbr"})
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

    def handle_starttag(self, tag: str, attrs) -> None:
        while len(self.open) > 1 and self.open[-1].tag in CLOSES.get(tag, ()):
            self.open.pop()
        element = etree.SubElement(self.open[-1], tag, {k: v or "" for k, v in attrs})
        if tag not in VOID:
            self.open.append(element)

    def handle_startendtag(self, tag: str, attrs) -> None:
        etree.SubElement(self.open[-1], tag, {k: v or "" for k, v in attrs})

    def handle_endtag(self, tag: str) -> None:
        tags = [e.tag for e in self.open]
        if tag in tags[1:]:
            del self.open[len(tags) - 1 - tags[::-1].index(tag):]

    def handle_data(self, data: str) -> None:
        parent = self.open[-1]
        if len(parent):
            parent[-1].tail = (parent[-1].tail or "") + data
        else:
            parent.text = (parent.text or "") + data


def parse_table(html: str) -> etree.Element | None:
    """The one <table> the text holds, as elements; None if it holds anything else."""
    reader = TreeReader()
    reader.feed(html)
    reader.close()
    root = reader.root
    if len(root) != 1 or root[0].tag != "table" or (root.text or "").strip() \
            or (root[0].tail or "").strip():
        return None
    return root[0]
