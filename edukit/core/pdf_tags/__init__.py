"""Tags for the PDFs Chromium prints untagged, so a screen reader reads them in order.

QtWebEngine cannot ask Chromium for a tagged PDF (core/pdf_meta.py says why), so edukit tags
the PDF itself, and only where it knows what each piece of text is. The print page is printed
twice with one layout: the PDF people get, then a second in which every element of the page has
its own text colour (`rgb(1, n >> 8, n & 255)` for the n-th element, the page's running header
and footer `rgb(2, 0, 1)`), set in the ApplicationWorld just before the second print (gui/pdf/).
Colour moves nothing on the page, so both PDFs draw the same text with the same operators in the
same order, and the second one's colour names the element of each piece of text in the first.
The structure tree is built from the page's elements (headings, paragraphs, lists, tables,
pictures with their alt text) in document order, and each piece of text is tied to its element
by a marked-content sequence; pictures are matched to <img> elements in order, by pixel size.

Whenever that cannot be done exactly (the two prints differ, some text has no element's colour,
a picture matches no <img>), `Untaggable` is raised and the PDF stays untagged: /Marked true over
guessed tags would mislead a screen reader more than no tags.
"""
from __future__ import annotations

from .prints import Element, FirstPrint, PagePlan, Untaggable
from .tag_map import TagMap, kept_plans, tag_map_from
from .tagging import tagged_or_untagged, tagged_or_untagged_document

__all__ = ["Element", "FirstPrint", "PagePlan", "TagMap", "Untaggable", "kept_plans",
           "tag_map_from", "tagged_or_untagged", "tagged_or_untagged_document"]
