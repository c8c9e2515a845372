"""TeX maths (`$…$`, `$$…$$`, `\\(…\\)`, `\\[…\\]`, `\\begin{align}…`) typeset as MathML.

pymdownx.arithmatex finds the maths, before emphasis and escapes see it (so `a_1 * b_2` never
turns italic); latex2mathml turns it into MathML, which QtWebEngine draws by itself: no script
in pages, nothing fetched. Maths that cannot be converted is shown as its TeX source in a
`math-error` code span, never lost. The sanitiser (edukit.core.sanitize) decides which MathML
elements and attributes reach the page.
"""
from __future__ import annotations

import re
from xml.etree.ElementTree import Element, tostring

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor
from pymdownx import arithmatex

from ..escape import html_text
from .guard import hold

# Pandoc's rule for `$…$`: no space just inside the dollars, and the closing one is not followed
# by a digit ("from $5 to $10" is money, not maths). `$$…$$` inside a paragraph is display maths.
INLINE = (
    r"(?:(?<!\\)(?P<escapes>(?:\\{2})+)(?=\$|\\\()"
    r"|(?<!\\)\$\$(?P<display>(?:\\.|[^\\$])+?)\$\$"
    r"|(?<!\\)\$(?!\s)(?P<inline>(?:\\.|[^\\$\x02\x03])+?)(?<!\s)\$(?![0-9])"
    r"|(?<!\\)\\\((?P<round>(?:\\[^)]|[^\\\x02\x03])+?)\\\))"
)
BLOCK = (rf"(?s)^(?:{arithmatex.RE_DOLLAR_BLOCK}|{arithmatex.RE_BRACKET_BLOCK}"
         rf"|{arithmatex.RE_TEX_BLOCK})[ ]*$")
MAX_FORMULA = 4_000  # characters of TeX in one formula (a long aligned derivation: ~1,000)
MAX_FORMULAS = 2_000  # formulas typeset in one conversion; the rest are shown as TeX
# Python-Markdown's inline work grows with the square of the matches in one paragraph: past
# these counts of '$' the dollars are plain text (held as guard.py's sentinels).
MAX_REPORTED = 50  # formulas `validate` names one by one
DOLLAR_LIMIT = 400  # in one block
DOC_DOLLAR_LIMIT = 2 * MAX_FORMULAS  # in one conversion
BLOCK_SPLIT = re.compile(r"(\n[ \t]*\n)")
ENTITY = re.compile(r"&#x([0-9A-Fa-f]{1,6});")
CODE_SPAN = re.compile(r"(`+)[^`].*?\1", re.DOTALL)


def untypeset(lines: list[str], code: set[int]) -> list[tuple[int, str]]:
    """(line index, TeX) of each formula outside code that would be shown as written, for
    `validate`, found with the renderer's own patterns paragraph by paragraph; at most
    MAX_REPORTED. Past MAX_FORMULAS, one last item with empty TeX says where typesetting stops."""
    found: list[tuple[int, str]] = []
    budget = MathBudget()
    for first, paragraph in paragraphs(lines, code):
        for offset, tex in formulas(paragraph):
            line = first + paragraph.count("\n", 0, offset)
            if not budget.take():
                return [*found, (line, "")]
            if len(tex) > MAX_FORMULA or typeset(tex, "inline") is None:
                found.append((line, tex))
                if len(found) >= MAX_REPORTED:
                    return found
    return found


def paragraphs(lines: list[str], code: set[int]):
    """(first line index, text) of each run of non-blank lines outside code that may hold
    maths, with code spans blanked out."""
    start = 0
    for i in range(len(lines) + 1):
        if i < len(lines) and lines[i].strip() and i not in code:
            continue
        text = "\n".join(lines[start:i])
        if "$" in text or "\\" in text:
            yield start, CODE_SPAN.sub(lambda m: " " * len(m.group(0)), text)
        start = i + 1


def formulas(paragraph: str) -> list[tuple[int, str]]:
    """(offset, TeX) of the maths in one paragraph: a whole display block, or inline ones."""
    block = re.match(BLOCK, paragraph)
    if block:
        return [(0, block.group("math") or block.group("math2") or block.group("math3"))]
    return [(m.start(), m.group("display") or m.group("inline") or m.group("round"))
            for m in re.finditer(INLINE, paragraph) if not m.group("escapes")]


class MathBudget:
    """How many formulas one conversion may still typeset (latex2mathml costs ~0.2 ms each)."""

    def __init__(self) -> None:
        self.left = MAX_FORMULAS

    def take(self) -> bool:
        self.left -= 1
        return self.left >= 0


def mathml(tex: str, display: bool, budget: MathBudget) -> str:
    """The formula as MathML, or its TeX source marked as not typeset."""
    mode = "block" if display else "inline"
    math = typeset(tex, mode) if len(tex) <= MAX_FORMULA and budget.take() else None
    if math is None:
        return f'<code class="math-error" data-display="{mode}">{html_text(tex)}</code>'
    # in a span: Python-Markdown takes a paragraph holding only <math> for raw HTML
    return f'<span class="math">{math}</span>'


def typeset(tex: str, mode: str) -> str | None:
    """latex2mathml's MathML for the formula; None for TeX it cannot read (any exception:
    it raises many kinds, and a recursion limit on deep nesting). Imported here: it reads its
    symbol table at import (25-50 ms), which only lessons with maths need to pay."""
    from latex2mathml.converter import convert_to_element

    try:
        return serialise(convert_to_element(tex.strip(), display=mode))
    except Exception:  # noqa: BLE001
        return None


def serialise(math: Element) -> str:
    """MathML as HTML text, escaped. latex2mathml writes characters as "&#x…;" strings and its
    own serialiser unescapes the whole output, so `\\text{<b>}` would come out as a tag."""
    math.attrib.pop("xmlns", None)
    for el in math.iter():
        el.text = characters(el.text)
        el.tail = characters(el.tail)
        for key, value in el.attrib.items():
            el.attrib[key] = characters(value)
    return tostring(math, encoding="unicode", method="html")


def characters(text: str | None) -> str | None:
    if not text or "&#x" not in text:
        return text
    return ENTITY.sub(lambda m: chr(int(m.group(1), 16)) if int(m.group(1), 16) < 0x110000
                      else m.group(0), text)


class DollarBoundPreprocessor(Preprocessor):
    """Bounds the work on dollars (see DOLLAR_LIMIT); after fenced code is stashed (25)."""

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        if text.count("$") <= DOLLAR_LIMIT:
            return lines
        blocks = BLOCK_SPLIT.split(text)
        budget = DOC_DOLLAR_LIMIT
        for i in range(0, len(blocks), 2):
            count = blocks[i].count("$")
            if count > DOLLAR_LIMIT or count > budget:
                blocks[i] = hold(blocks[i], "$")  # plain text; guard.restore puts them back
            else:
                budget -= count
        return "".join(blocks).split("\n")


class InlineMaths(arithmatex.InlineArithmatexPattern):
    def __init__(self, md: Markdown, budget: MathBudget):
        super().__init__(INLINE, {"generic": True})
        self.md, self.budget = md, budget

    def handleMatch(self, m: re.Match, data: str):
        if m.group("escapes"):  # '\\' pairs before a dollar: backslashes, then plain text
            return m.group("escapes").replace("\\\\", self.ESCAPED_BSLASH), m.start(0), m.end(0)
        display = m.group("display") is not None
        tex = m.group("display") or m.group("inline") or m.group("round") or ""
        if self.budget.left <= 0:
            return None, None, None  # past the budget: the text stays as written, cheaply
        return self.md.htmlStash.store(mathml(tex, display, self.budget)), m.start(0), m.end(0)


class BlockMaths(arithmatex.BlockArithmatexProcessor):
    def __init__(self, md: Markdown, budget: MathBudget):
        super().__init__(BLOCK, {"generic": True}, md)
        self.md, self.budget = md, budget

    def generic_output(self, parent, math: str) -> None:
        el = Element("div", {"class": "math-display"})
        el.text = self.md.htmlStash.store(mathml(math, True, self.budget))
        parent.append(el)


class MathsExtension(arithmatex.ArithmatexExtension):
    """Arithmatex's finding, MathML output (see the module's docstring)."""

    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        arithmatex.util.escape_chars(md, ["$"])
        self.budget = MathBudget()
        # before backslash escapes (180) and emphasis, after code spans (190)
        md.inlinePatterns.register(InlineMaths(md, self.budget), "maths-inline", 189.9)
        md.parser.blockprocessors.register(BlockMaths(md, self.budget), "maths-block", 79.9)
        md.preprocessors.register(DollarBoundPreprocessor(md), "maths_dollar_bound", 24)

    def reset(self) -> None:
        if hasattr(self, "budget"):
            self.budget.left = MAX_FORMULAS


def makeExtension(**kwargs) -> Extension:
    return MathsExtension(**kwargs)
