"""Pandoc's Markdown beyond Python-Markdown's: `~~strikeout~~`, `^superscript^`, `~subscript~`,
inline notes `^[…]`. (The `% title / % author / % date` block at the top of a file is read with
the front matter: edukit.core.markdown.title_block.)

Strikeout, superscript and subscript are pymdownx.tilde and pymdownx.caret, set to Pandoc's
rules (no `^^insert^^`, which Pandoc does not have). An inline note becomes an ordinary
footnote (Python-Markdown's footnotes extension numbers and lists it).
"""
from __future__ import annotations

import re

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor
from pymdownx.caret import InsertSupExtension
from pymdownx.tilde import DeleteSubExtension

from .guard import hold

INLINE_NOTE_LIMIT = 100  # inline notes in one conversion (Pandoc's manual shows one or two)
# pymdownx's delimiter processor is quadratic in the '^' and '~' of one paragraph that do not
# pair up (200 take 0.5-1 s, 800 take 8-10 s): past these counts they are shown as plain text
# (held as guard.py's sentinels: backslash escapes would be quadratic in Python-Markdown too).
DELIMITER_LIMIT = 40  # in one block (a paragraph with twelve chemical formulas has 24)
DOC_DELIMITER_LIMIT = 1_000  # in one conversion
DELIMITERS = re.compile(r"(?<!\\)[\^~]")
BLOCK_SPLIT = re.compile(r"(\n[ \t]*\n)")
NOTE_LABEL = "pandoc-inline-{}"  # the label given to the n-th inline note's footnote
BLANK_LINE = re.compile(r"[ \t]*(?:\n|$)")


def inline_note_end(text: str, start: int) -> int | None:
    """Index just past the `]` that closes the note opened by the `^[` at `start`; None when it
    does not close before a blank line (then it is plain text, as in Pandoc)."""
    depth, i = 0, start
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
            if depth == 0:
                return i + 1
        elif ch == "\n" and BLANK_LINE.match(text, i + 1):
            return None
        i += 1
    return None


def code_span_ends(text: str) -> dict[int, int]:
    """Start → end of each backtick code span (notes inside code are code, not notes)."""
    spans, i = {}, 0
    for m in re.finditer(r"`+", text):
        if m.start() < i:
            continue
        close = re.compile(r"(?<!`)" + m.group(0) + r"(?!`)").search(text, m.end())
        if close:
            spans[m.start()] = i = close.end()
    return spans


def inline_notes_to_footnotes(text: str) -> tuple[str, list[str]]:
    """`^[text]` → `[^pandoc-inline-n]`, with the notes' texts in order."""
    if "^[" not in text:
        return text, []
    out, notes, i = [], [], 0
    spans = code_span_ends(text) if "`" in text else {}
    while i < len(text):
        if i in spans:
            out.append(text[i:spans[i]])
            i = spans[i]
            continue
        if text.startswith("^[", i) and (i == 0 or text[i - 1] != "\\") \
                and len(notes) < INLINE_NOTE_LIMIT:
            end = inline_note_end(text, i + 1)
            if end is not None:
                notes.append(" ".join(text[i + 2:end - 1].split()))
                out.append(f"[^{NOTE_LABEL.format(len(notes))}]")
                i = end
                continue
        out.append(text[i])
        i += 1
    return "".join(out), notes


class InlineNotePreprocessor(Preprocessor):
    """Runs after fenced code is stashed (25) and before HTML blocks are (20), so notes inside
    fenced divs (which md_in_html parses) are found and code is left alone."""

    def run(self, lines: list[str]) -> list[str]:
        if not any("^[" in line for line in lines):
            return lines
        text, notes = inline_notes_to_footnotes("\n".join(lines))
        if not notes:
            return lines
        return [*text.split("\n"), "",
                *(f"[^{NOTE_LABEL.format(n)}]: {note}" for n, note in enumerate(notes, start=1))]


class DelimiterBoundPreprocessor(Preprocessor):
    """Bounds the delimiter processor's work (see DELIMITER_LIMIT); after fenced code is
    stashed (25), so code blocks are left alone, and before inline notes are found (22)."""

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        if text.count("^") + text.count("~") <= DELIMITER_LIMIT:
            return lines
        blocks = BLOCK_SPLIT.split(text)
        budget = DOC_DELIMITER_LIMIT
        for i in range(0, len(blocks), 2):
            count = len(DELIMITERS.findall(blocks[i]))
            if count > DELIMITER_LIMIT or count > budget:
                blocks[i] = hold(blocks[i], "^~")  # plain text; guard.restore puts them back
            else:
                budget -= count
        return "".join(blocks).split("\n")


class PandocInlineExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        md.registerExtensions([DeleteSubExtension(smart_delete=True),
                               InsertSupExtension(insert=False)], {})
        md.preprocessors.register(DelimiterBoundPreprocessor(md), "pandoc_delimiter_bound", 23)
        md.preprocessors.register(InlineNotePreprocessor(md), "pandoc_inline_notes", 22)
