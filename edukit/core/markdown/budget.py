"""Bound what Chromium has to lay out: a lesson's text is cut where its layout budget runs out.

Python-Markdown's own costs are bounded by guard.py; what it makes can still cost Chromium
far more: printing one 100 KB paragraph took 10 s of CPU and 350 MB (each page lays the block
out again), 3,000 boxes 4 s and 340 MB, 5,000 pictures timed out. So each line costs its
characters plus a fixed amount, and more for what is expensive to lay out (box fences,
pictures, table cells, headings, long words); a paragraph is split every PARAGRAPH_CHARS; the
text stops at the last blank line before the budget runs out, with a note in the page saying
so. The largest bundled lesson costs 67,000 (five sixths; its teacher-only adaptations, with
their key-word pictures, cost ~10,000 of it): no ordinary lesson is cut.
"""
from __future__ import annotations

import re

from .blocks import DIV_CLOSE, DIV_OPEN, code_lines

LAYOUT_BUDGET = 80_000
LINE_COST = 30  # every line: a line box, often a block
FENCE_COST = 300  # a `:::` fence: a bordered box with its own layout
PICTURE_COST = 1_000  # each `![` or `<img`: decoded, scaled and placed
TABLE_CELL_COST = 30  # each cell of a table row: laid out against every other row
HEADING_COST = 100  # a heading: an anchor, a contents entry, a page-break rule
INLINE_COST = 20  # each inline markup character: an element (a printed link adds its address)
QUOTE_COST = 50  # each '>' opening a line: a quote nested in quotes is parsed again per level
NESTING_COST = 20  # each space indenting a list item: each level is parsed again
PARAGRAPH_CHARS = 4_000  # longer runs of plain lines become several paragraphs
CUT_NOTE = ("**edukit stopped showing this lesson here:** the rest is too long to lay out "
            "on screen and on paper. Split it into shorter lessons (`edukit validate` "
            "names the line).")
PICTURE = re.compile(r"!\[|<img\b", re.IGNORECASE)
FENCE = re.compile(r"`{3,}|~{3,}")
LIST_ITEM = re.compile(r"^\s+(?:[-*+]|\d+[.)])\s")
LONG_WORD = 40
LONG_WORDS = re.compile(r"\S{" + str(LONG_WORD) + ",}")
# A line that goes on a paragraph (not a table row, list item, quote, heading, fence or HTML):
# a blank line before it only starts a new paragraph.
PLAIN = re.compile(r"^(?![|>#*+:=~`<-]|\d+[.)]\s)\S")


INLINE = re.compile(r"[\[*_`<&{]")


def line_cost(line: str) -> int:
    """What laying out this line costs. It runs on every line of every lesson each time one is
    read (1,000 lessons: 300,000 lines), so a blank line returns at once and each rarer case is
    tested only on the lines that can have it."""
    length = len(line)
    if not length:
        return LINE_COST
    cost = length + LINE_COST
    if length > LONG_WORD:  # a word may break anywhere: Chromium tries each place
        if length > PARAGRAPH_CHARS:  # one line is one paragraph: it cannot be split
            cost += 3 * length
        cost += 3 * sum(map(len, LONG_WORDS.findall(line)))
    first = line[0]
    if ":::" in line and (DIV_OPEN.match(line) or DIV_CLOSE.match(line)):
        cost += FENCE_COST
    if line.lstrip().startswith("|"):
        cost += TABLE_CELL_COST * line.count("|")
    elif first == "#":
        cost += HEADING_COST
    if first == " " and LIST_ITEM.match(line):
        cost += NESTING_COST * (length - len(line.lstrip()))
    if first == ">":
        cost += QUOTE_COST * (length - len(line.lstrip("> ")))
    cost += INLINE_COST * len(INLINE.findall(line))
    if "!" in line or "<" in line:
        cost += PICTURE_COST * len(PICTURE.findall(line))
    return cost


# Whole-text counts for cost_bound: each runs once over the text in C, not once per line.
INDENTS = re.compile(r"\n [^\S\n]*")  # a line's leading spaces (and the break before it)
QUOTE_MARKS = re.compile(r"^>[> ]*", re.MULTILINE)
IMAGE_TAG = re.compile(r"<img\b", re.IGNORECASE)
WITHOUT_INLINE = str.maketrans(dict.fromkeys("[*_`<&{"))  # the characters INLINE matches


def cost_bound(lines: list[str]) -> int:
    """At least what line_cost sums to over these lines (and near it for a lesson): each extra
    cost is counted wherever it could apply (every `|`, every indent, every `:::`), so when the
    bound fits the budget the text fits without pricing its lines one by one."""
    text = "\n".join(lines)
    if text.count("\n") != len(lines) - 1:
        return LAYOUT_BUDGET + 1  # lines with line breaks in them: priced one by one
    lengths = list(map(len, lines))
    cost = sum(lengths) + LINE_COST * len(lines)
    if max(lengths, default=0) > PARAGRAPH_CHARS:  # (no line is, in any bundled lesson)
        cost += 3 * sum(n for n in lengths if n > PARAGRAPH_CHARS)
    cost += 3 * long_word_chars(text)
    cost += FENCE_COST * text.count(":::") + TABLE_CELL_COST * text.count("|")
    cost += HEADING_COST * (text.count("\n#") + text.startswith("#"))
    cost += NESTING_COST * sum(map(len, INDENTS.findall("\n" + text)))
    if text.startswith(">") or "\n>" in text:
        cost += QUOTE_COST * sum(map(len, QUOTE_MARKS.findall(text)))
    cost += INLINE_COST * (len(text) - len(text.translate(WITHOUT_INLINE)))  # one pass, not 7
    pictures = text.count("![") + (len(IMAGE_TAG.findall(text)) if "<" in text else 0)
    return cost + PICTURE_COST * pictures


# Each byte of a UTF-8 text as b"w", or b" " for ASCII whitespace (what str.split() splits at
# below 128). A character is one byte or more, and a space above 127 becomes b"w"s: a word of
# LONG_WORD characters is always a run of LONG_WORD b"w"s; a run may also be a false alarm.
WORD_BYTES = bytes(32 if chr(b).isspace() else ord("w") for b in range(128)) + b"w" * 128
LONG_RUN = b"w" * LONG_WORD


def long_word_chars(text: str) -> int:
    """The characters of the text's words (as str.split() finds them) of LONG_WORD characters or
    more. Splitting 1,000 lessons into words cost a tenth of the index build; a byte search
    finds the few long words (web addresses) without making an object per word."""
    mapped = text.encode("utf-8", "surrogatepass").translate(WORD_BYTES)
    start = mapped.find(LONG_RUN)
    if start < 0:
        return 0  # no word that long (most lessons)
    if not text.isascii():  # a byte is not always a character: count the words themselves
        return sum(n for n in map(len, text.split()) if n >= LONG_WORD)
    total = 0
    while start >= 0:  # each find lands on a long word's first byte (the last ended at a space)
        end = mapped.find(b" ", start)
        end = len(mapped) if end < 0 else end
        total += end - start
        start = mapped.find(LONG_RUN, end)
    return total


def cut_index(lines: list[str]) -> int | None:
    """Index of the first line past the layout budget, or None if the text fits."""
    if cost_bound(lines) <= LAYOUT_BUDGET:
        return None  # the whole text fits (every bundled lesson): no line by line pricing
    spent = 0
    for i, line in enumerate(lines):
        spent += line_cost(line)
        if spent > LAYOUT_BUDGET:
            return i
    return None


def within_budget(lines: list[str]) -> list[str]:
    """The lines as they are laid out: cut with a note if over budget, long paragraphs split.
    Ordinary lessons come back as the same list."""
    cut = cut_index(lines)
    if cut is not None:
        lines = cut_lines(lines, cut)
    return split_paragraphs(lines)


def cut_lines(lines: list[str], cut: int) -> list[str]:
    """Stop at the last blank line before `cut` outside code (or at `cut`), closing an open
    code fence, and say so."""
    code = code_lines(lines[:cut])
    blank = next((i for i in range(cut - 1, cut // 2, -1)
                  if not lines[i].strip() and i not in code), cut)
    kept = lines[:blank]
    if blank in code_lines(kept + [""]):  # the cut falls inside fenced code: close it
        kept.append(FENCE.match(opener(lines, code, blank)).group(0))
    return kept + ["", CUT_NOTE, ""]


def opener(lines: list[str], code: set[int], end: int) -> str:
    """The fence line that opened the code block running at `end`."""
    start = end - 1
    while start - 1 in code:
        start -= 1
    return lines[start].strip()


BEFORE_BLANK_LINE = re.compile(r"\n(?=[^\S\n]*\n)")  # the line break before a blank line


def longest_run(lines: list[str]) -> int:
    """At least the characters of the longest run of lines between blank lines: no run of plain
    lines is longer (a run starts with its blank line's spaces, as split_runs counts them)."""
    text = "\n".join(lines)
    if text.count("\n") != len(lines) - 1:
        return len(text)  # lines with line breaks in them: no shortcut
    return max(map(len, BEFORE_BLANK_LINE.split(text)))


def split_paragraphs(lines: list[str]) -> list[str]:
    """Insert a blank line in a run of plain text lines every PARAGRAPH_CHARS characters."""
    if sum(map(len, lines)) < PARAGRAPH_CHARS or longest_run(lines) <= PARAGRAPH_CHARS:
        return lines  # no run is long enough to split (every bundled lesson)
    return split_runs(lines)


def split_runs(lines: list[str]) -> list[str]:
    """split_paragraphs line by line."""
    code = code_lines(lines)
    out: list[str] = []
    run = 0
    for i, line in enumerate(lines):
        if not line.strip() or i in code:
            run = 0
        elif run > PARAGRAPH_CHARS and PLAIN.match(line) and out and PLAIN.match(out[-1]):
            out.append("")
            run = 0
        run += len(line)
        out.append(line)
    return out if len(out) != len(lines) else lines
