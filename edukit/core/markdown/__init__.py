"""edukit's Markdown: Python-Markdown plus one extension per piece of lesson syntax."""
from __future__ import annotations

import re
from collections.abc import Callable

import markdown

from ..model import Route, School, Section
from .fenced_divs import FencedDivExtension
from .lists import ListIndentExtension
from .media import MediaExtension
from .placeholders import PlaceholderExtension
from .routes_block import RoutesExtension

BUILTIN = ["tables", "fenced_code", "codehilite", "toc", "footnotes", "def_list", "attr_list",
           "md_in_html", "sane_lists"]
BUILTIN_CONFIG = {
    "codehilite": {"css_class": "codehilite", "guess_lang": False},
    "toc": {"toc_depth": "1-3"},
    "footnotes": {"UNIQUE_IDS": True},
}
# Python-Markdown is quadratic on long runs of unmatched '[' (upstream #798) and slow on
# huge runs of emphasis markers: such blocks get their markers escaped before parsing.
BRACKET_LIMIT = 200
EMPHASIS_LIMIT = 2000


def neutralise(text: str) -> str:
    """Escape pathological runs of link/emphasis markers, block by block."""
    if text.count("[") < BRACKET_LIMIT and text.count("*") + text.count("_") < EMPHASIS_LIMIT:
        return text
    blocks = re.split(r"(\n\s*\n)", text)
    for i, block in enumerate(blocks):
        if block.count("[") - block.count("]") > BRACKET_LIMIT or block.count("[") > 10 * BRACKET_LIMIT:
            block = block.replace("[", "&#91;")
        if block.count("*") + block.count("_") > EMPHASIS_LIMIT:
            block = block.replace("*", "&#42;").replace("_", "&#95;")
        blocks[i] = block
    return "".join(blocks)


class Converter:
    """One configured Markdown instance, reset before every conversion."""

    def __init__(self, school: School, routes: Callable[[str], list[Route]], audience: str):
        self.md = markdown.Markdown(
            extensions=[*BUILTIN, FencedDivExtension(), ListIndentExtension(), MediaExtension(),
                        PlaceholderExtension(school=school),
                        RoutesExtension(lookup=routes, audience=audience)],
            extension_configs=BUILTIN_CONFIG,
            output_format="html",
        )

    def convert(self, text: str) -> str:
        self.md.reset()
        return self.md.convert(neutralise(text))

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
