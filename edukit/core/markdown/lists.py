"""Nested lists indented by 2 spaces (CommonMark, GitHub, Obsidian) as well as by 4.

Python-Markdown nests only at 4 spaces. This preprocessor re-indents list items and their
continuation lines to 4 spaces per level, using CommonMark's rule: an item is nested when it
is indented at least to the content column of the item above it. As in CommonMark, a list may
also start straight after a paragraph line ("Ask:" then "- …"), with no blank line between.
"""
from __future__ import annotations

import re

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

from .blocks import code_lines
from .guard import LIST_DEPTH_LIMIT

LIST_ITEM = re.compile(r"^(?P<indent> *)(?P<marker>[-*+]|\d{1,9}[.)])(?P<gap> +|$)")


class ListIndentPreprocessor(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        code = code_lines(lines)
        stack: list[int] = []  # content column of each open item
        out: list[str] = []
        last = "blank"  # what the previous line was: blank, item, more (of an item) or text
        for i, line in enumerate(lines):
            if i in code or not line.strip():
                out.append(line)
                last = last if i in code else "blank"
                continue
            indent = len(line) - len(line.lstrip(" "))
            item = LIST_ITEM.match(line)
            if not item and indent == 0 and last != "blank":
                out.append(line)  # lazy continuation of a paragraph
                last = "more" if stack else "text"
                continue
            while stack and indent < stack[-1]:
                stack.pop()
            if item and last == "text" and interrupts_paragraph(item):
                out.append("")  # Python-Markdown needs the blank line CommonMark does not
            if item:
                depth = min(len(stack), LIST_DEPTH_LIMIT)  # deeper would overflow the parser
                gap = len(item.group("gap")) if 0 < len(item.group("gap")) <= 4 else 1
                out.append(" " * (4 * depth) + line.lstrip(" "))
                stack.append(indent + len(item.group("marker")) + gap)
                last = "item"
            elif stack:
                out.append(" " * (4 * min(len(stack), LIST_DEPTH_LIMIT)) + line[stack[-1]:])
                last = "more"
            else:
                out.append(line)
                last = "text"
        return out


def interrupts_paragraph(item: re.Match) -> bool:
    """CommonMark: a bullet item, or an ordered item numbered 1, may follow a paragraph line."""
    marker = item.group("marker")
    return bool(item.group("gap")) and (marker in "-*+" or marker[:-1] == "1")


class ListIndentExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        md.preprocessors.register(ListIndentPreprocessor(md), "list_indent", 27)


def makeExtension(**kwargs) -> ListIndentExtension:
    return ListIndentExtension(**kwargs)
