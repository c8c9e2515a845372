"""The Converter: Python-Markdown configured with edukit's extensions, one per piece of lesson
syntax (each in its own module of this package)."""
from __future__ import annotations

import re
from collections.abc import Callable

import markdown

from ..model import ContentError, Route, School, Section
from ..text import MAX_MODULE_BYTES, MAX_MODULE_LINES
from .fenced_divs import FencedDivExtension
from .guard import neutralise, restore, split_entity_runs
from .html_blocks import MarkdownInHtmlBlocksExtension
from .lists import ListIndentExtension
from .maths import MathsExtension
from .media import MediaExtension
from .pandoc import PandocInlineExtension
from .placeholders import PlaceholderExtension
from .quarto import QuartoExtension
from .routes_block import RoutesBoxes, RoutesExtension
from .tables import TableFitExtension


def builtin_extensions() -> list:
    """Python-Markdown's own extensions as instances: given by name, each is looked up among
    every installed package's entry points, which cost the app's start ~40 ms."""
    from markdown.extensions.attr_list import AttrListExtension
    from markdown.extensions.codehilite import CodeHiliteExtension
    from markdown.extensions.def_list import DefListExtension
    from markdown.extensions.fenced_code import FencedCodeExtension
    from markdown.extensions.footnotes import FootnoteExtension
    from markdown.extensions.md_in_html import MarkdownInHtmlExtension
    from markdown.extensions.sane_lists import SaneListExtension
    from markdown.extensions.tables import TableExtension
    from markdown.extensions.toc import TocExtension

    return [TableExtension(), FencedCodeExtension(),
            CodeHiliteExtension(css_class="codehilite", guess_lang=False),
            TocExtension(toc_depth="1-3"), FootnoteExtension(UNIQUE_IDS=True), DefListExtension(),
            AttrListExtension(), MarkdownInHtmlExtension(), SaneListExtension()]


class Converter:
    """One configured Markdown instance, reset before every conversion."""

    def __init__(self, school: School, routes: Callable[[str], list[Route]], audience: str,
                 routes_source: str = ""):
        self.routes, self.boxes = routes, RoutesBoxes()
        self.routes_source = routes_source  # "Helplines: …, pack …" (edukit.core.provenance)
        self.md = markdown.Markdown(
            extensions=[*builtin_extensions(), FencedDivExtension(routes_mark=self.boxes.secret),
                        ListIndentExtension(), MediaExtension(), MathsExtension(),
                        PandocInlineExtension(), QuartoExtension(),
                        MarkdownInHtmlBlocksExtension(),
                        PlaceholderExtension(school=school),
                        RoutesExtension(boxes=self.boxes, audience=audience),
                        TableFitExtension()],
            output_format="html",
        )

    def convert(self, text: str) -> str:
        """Markdown → HTML (not yet sanitised); ContentError if the text cannot be shown."""
        self.md.reset()
        if len(text) > 2 * MAX_MODULE_BYTES or text.count("\n") > 2 * MAX_MODULE_LINES:
            raise ContentError("the lesson is too long to show")
        try:
            return split_entity_runs(restore(self.md.convert(neutralise(text))))
        except RecursionError:
            raise ContentError("the lesson is nested too deeply to show") from None

    def fill_routes(self, sanitised_html: str) -> str:
        """Put edukit's "Where to get help" boxes where this converter's routes blocks were.
        Only after sanitising: the boxes' classes are reserved, and the sanitiser removes them
        from everything else."""
        return self.boxes.fill(sanitised_html, self.routes, self.routes_source)

    def sections(self) -> list[Section]:
        """Headings of the last conversion, flattened in document order."""
        found: list[Section] = []

        def walk(tokens: list[dict]) -> None:
            for t in tokens:
                found.append(Section(t["id"], strip_tags(t["name"]), t["level"]))
                walk(t["children"])
        walk(getattr(self.md, "toc_tokens", []))
        return found


def strip_tags(html: str) -> str:
    import html as html_lib
    return html_lib.unescape(re.sub(r"<[^>]+>", "", html))
