"""Pandoc fenced divs (`::: name` or `::: {.name key=value}` … `:::`), nesting allowed.

Each div becomes `<div class="block name …" data-key="value">` whose content is Markdown again
(via md_in_html). Unknown names still render, as a plain box carrying the name as a class.
"""
from __future__ import annotations

import re

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

from ..escape import html_attr, markdown_line
from .blocks import CALLOUT_KINDS, Div, scan_divs

ROUTES_MARK = "data-edukit-routes"  # on `::: routes` divs only, with the converter's secret
# A worksheet goes home or into a tray: it says whose it is. Shown on paper only (print.css).
WORKSHEET_NAMES = ('<p class="worksheet-names"><span>Name:</span> <span>Class:</span> '
                   '<span>Date:</span></p>')


ATX_HEADING = re.compile(r"^ {0,3}#{1,6}\s+(?P<text>.*?)\s*#*\s*$")


def callout_title(d: Div, lines: list[str]) -> tuple[list[str], int | None]:
    """The callout's label paragraph, and the index of an inner heading taken as its title
    (Quarto's `## Title` as the callout's first line) or None."""
    title, used = d.attr("title"), None
    first = next((i for i in range(d.start + 1, d.end if d.end is not None else len(lines))
                  if lines[i].strip()), None)
    heading = ATX_HEADING.match(lines[first]) if first is not None else None
    if not title and heading:
        title, used = heading.group("text"), first
    kind = CALLOUT_KINDS[d.name]
    label = f'<span class="callout-kind">{kind}</span>'
    if title and title.strip().lower() != kind.lower():
        label += f" — {markdown_line(title) if used is None else title}"
    return [label, "{: .callout-title }", ""], used


def div_open_tag(d: Div, routes_mark: str = "") -> str:
    kind = ("callout",) if d.name in CALLOUT_KINDS else ()
    classes = " ".join(("block", *kind, d.name, *d.classes))
    attrs = "".join(
        f' {"id" if k == "id" else "data-" + k}="{html_attr(v)}"' for k, v in d.attrs
    )
    if d.name == "routes" and routes_mark:  # raw HTML cannot know the secret: no box for it
        attrs += f' {ROUTES_MARK}="{html_attr(routes_mark)}"'
    return (f'<div class="{html_attr(classes)}" data-block="{html_attr(d.name)}"{attrs}'
            ' markdown="1">')


class FencedDivPreprocessor(Preprocessor):
    def __init__(self, md: Markdown, routes_mark: str = ""):
        super().__init__(md)
        self.routes_mark = routes_mark

    def run(self, lines: list[str]) -> list[str]:
        divs = scan_divs(lines)
        if not divs:
            return lines
        opens = {d.start: d for d in divs}
        closes = {d.end for d in divs if d.end is not None}
        out: list[str] = []
        titles: set[int] = set()  # inner headings that became a callout's title
        for i, line in enumerate(lines):
            if i in opens:
                out += ["", div_open_tag(opens[i], self.routes_mark), ""]
                if opens[i].name == "worksheet":
                    out += [WORKSHEET_NAMES, ""]
                if opens[i].name in CALLOUT_KINDS:
                    label, used = callout_title(opens[i], lines)
                    out += label
                    titles.add(used)
            elif i in titles:
                out.append("")
            elif i in closes:
                out += ["", "</div>", ""]
            else:
                out.append(line)
        out += ["", "</div>", ""] * sum(1 for d in divs if d.end is None)
        return out


class FencedDivExtension(Extension):
    def __init__(self, **kwargs):
        self.config = {"routes_mark": ["", "secret that marks `::: routes` divs as edukit's"]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        if "md_in_html" not in md.treeprocessors and "md_in_html" not in md.preprocessors:
            # An instance: by name, Python-Markdown searches every package's entry points
            # (~90 ms at each start and export).
            from markdown.extensions.md_in_html import MarkdownInHtmlExtension

            md.registerExtensions([MarkdownInHtmlExtension()], {})
        md.preprocessors.register(FencedDivPreprocessor(md, self.getConfig("routes_mark")),
                                 "fenced_divs", 28)


def makeExtension(**kwargs) -> FencedDivExtension:
    return FencedDivExtension(**kwargs)
