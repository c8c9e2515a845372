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

from latex2mathml.converter import convert_to_element
from markdown import Extension, Markdown
from pymdownx import arithmatex

from ..escape import html_text

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
ENTITY = re.compile(r"&#x([0-9A-Fa-f]{1,6});")


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
    it raises many kinds, and a recursion limit on deep nesting)."""
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


class InlineMaths(arithmatex.InlineArithmatexPattern):
    def __init__(self, md: Markdown, budget: MathBudget):
        super().__init__(INLINE, {"generic": True})
        self.md, self.budget = md, budget

    def handleMatch(self, m: re.Match, data: str):
        if m.group("escapes"):  # '\\' pairs before a dollar: backslashes, then plain text
            return m.group("escapes").replace("\\\\", self.ESCAPED_BSLASH), m.start(0), m.end(0)
        display = m.group("display") is not None
        tex = m.group("display") or m.group("inline") or m.group("round") or ""
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

    def reset(self) -> None:
        if hasattr(self, "budget"):
            self.budget.left = MAX_FORMULAS


def makeExtension(**kwargs) -> Extension:
    return MathsExtension(**kwargs)
