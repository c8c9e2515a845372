"""Markdown inside HTML blocks, as Pandoc, Quarto and Marp read it.

`<div>` then a list or a heading: Pandoc and Quarto parse what is inside as Markdown, and so
does Marp after a blank line. Python-Markdown does only for tags marked `markdown="1"`
(md_in_html), so block tags that do not say otherwise get that mark. The result is sanitised
like any other HTML.
"""
from __future__ import annotations

import re

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

CONTAINERS = ("div", "section", "article", "aside", "header", "footer", "nav", "main",
              "figure", "details", "blockquote", "center")
OPENING = re.compile(
    r"^(?P<lead> {0,3}<(?:" + "|".join(CONTAINERS) + r"))(?P<attrs>(?:\s[^<>]*?)?)(?P<end>/?>)",
    re.IGNORECASE)
MARKED = re.compile(r"\smarkdown\s*=", re.IGNORECASE)


INDENTED_TAG = re.compile(r"^(?: {4}|\t)\s*<")


def mark(line: str, following: str) -> str:
    """The line with its opening container tag marked, unless its content is laid out as
    indented HTML (`<div>` then `    <p>…`): Markdown would make that a code block."""
    m = OPENING.match(line)
    if not m or m.group("end") == "/>" or MARKED.search(m.group("attrs")) \
            or INDENTED_TAG.match(following):
        return line
    return f'{m.group("lead")}{m.group("attrs")} markdown="1">{line[m.end():]}'


def next_text(lines: list[str], i: int) -> str:
    """The first non-blank line after line i ('' if none)."""
    return next((line for line in lines[i + 1:i + 50] if line.strip()), "")


class HtmlBlockPreprocessor(Preprocessor):
    """After fenced code is stashed (25, so code stays code), before md_in_html reads HTML
    blocks (20)."""

    def run(self, lines: list[str]) -> list[str]:
        if not any("<" in line for line in lines):
            return lines
        return [mark(line, next_text(lines, i)) if "<" in line else line
                for i, line in enumerate(lines)]


class MarkdownInHtmlBlocksExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        md.preprocessors.register(HtmlBlockPreprocessor(md), "markdown_in_html_blocks", 21)
