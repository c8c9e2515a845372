"""Pandoc fenced divs (`::: name` or `::: {.name key=value}` … `:::`), nesting allowed.

Each div becomes `<div class="block name …" data-key="value">` whose content is Markdown again
(via md_in_html). Unknown names still render, as a plain box carrying the name as a class.
"""
from __future__ import annotations

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

from ..escape import html_attr
from .blocks import Div, scan_divs


def div_open_tag(d: Div) -> str:
    classes = " ".join(("block", d.name, *d.classes))
    attrs = "".join(
        f' {"id" if k == "id" else "data-" + k}="{html_attr(v)}"' for k, v in d.attrs
    )
    return (f'<div class="{html_attr(classes)}" data-block="{html_attr(d.name)}"{attrs}'
            ' markdown="1">')


class FencedDivPreprocessor(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        divs = scan_divs(lines)
        if not divs:
            return lines
        opens = {d.start: d for d in divs}
        closes = {d.end for d in divs if d.end is not None}
        out: list[str] = []
        for i, line in enumerate(lines):
            if i in opens:
                out += ["", div_open_tag(opens[i]), ""]
            elif i in closes:
                out += ["", "</div>", ""]
            else:
                out.append(line)
        out += ["", "</div>", ""] * sum(1 for d in divs if d.end is None)
        return out


class FencedDivExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        if "md_in_html" not in md.treeprocessors and "md_in_html" not in md.preprocessors:
            md.registerExtensions(["md_in_html"], {})
        md.preprocessors.register(FencedDivPreprocessor(md), "fenced_divs", 28)


def makeExtension(**kwargs) -> FencedDivExtension:
    return FencedDivExtension(**kwargs)
