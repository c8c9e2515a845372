"""The output vocabulary and the one options object for printed output, in one place: which
kinds of paper and file there are, the paper sizes, slides per page, and how print options travel
in an `edukit:` print page's query. The command line, the print preview, the PDF maker, the
render worker, the website and PowerPoint export all take them from here. (The page margins
depend on the kind: edukit.core.printing.page_margins, used by the print CSS and the PDF layout.)
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

KIND_LABELS = {  # the print kinds, as the print preview and a PDF's Subject name them
    "handout": "Handout",
    "worksheets": "Activities and worksheets for the class",
    "guide": "Teacher guide",
    "notes": "Notes pages (slide and notes)",
    "slides": "Slides, one per page",
    "nup": "Slide handout with lines for notes",
    "parents": "Leaflet for parents and carers",
}
KINDS = tuple(KIND_LABELS)
STAFF_KINDS = ("guide", "notes")  # read by the teacher, never handed to a family
HTML_KINDS = ("handout", "guide", "slides", "parents", "worksheets")  # the kinds `--format html` can write
EXPORT_KINDS = (*KINDS, "pptx")  # what `edukit export --as` offers: the print kinds and a deck
FORMATS = ("pdf", "html", "site")  # what `edukit export --format` writes
PER_PAGE = (2, 3, 4, 6)  # slides per page of an n-up handout
PAPER = {"a4": "A4", "letter": "Letter"}  # paper names: as typed, as a person (and CSS) reads


@dataclass(frozen=True)
class PrintOptions:
    """How to lay out a module on paper."""

    kind: str = "handout"  # one of KINDS
    paper: str = "a4"  # a key of PAPER
    per_page: int = 3  # one of PER_PAGE (n-up only)
    large_print: bool = False

    @property
    def landscape(self) -> bool:
        return self.kind == "slides"

    def query(self) -> str:
        """The options as the query of an `edukit:` print page (read back by from_query)."""
        return (f"kind={self.kind}&paper={self.paper}&per_page={self.per_page}"
                f"&large={int(self.large_print)}")

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> PrintOptions:
        """Options from a print page's query; what is missing or garbled takes its default."""
        per_page = query.get("per_page", "3")
        return cls(kind=query.get("kind", "handout"), paper=query.get("paper", "a4"),
                   per_page=int(per_page) if per_page.isdigit() else 3,
                   large_print=query.get("large") == "1")


def print_query(options: PrintOptions) -> str:
    return options.query()


def options_from_query(query: Mapping[str, str]) -> PrintOptions:
    return PrintOptions.from_query(query)

