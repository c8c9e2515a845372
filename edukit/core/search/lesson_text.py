"""The text a lesson is indexed by: its lesson view split at its headings, with what only the
teacher guide shows, as plain words (pure functions: no SQLite)."""
from __future__ import annotations

import html
import itertools
import re
from dataclasses import dataclass

from ..markdown.blocks import code_lines, lines_with, scan_divs
from ..markdown.placeholder_names import PLACEHOLDER, placeholder_key
from ..markdown.slides import heading
from ..markdown.teacher import PRINT_ONLY, SAFEGUARDING, TEACHER_ONLY, block_spans
from ..model import SCHOOL_FALLBACKS, Module

TOC_DEPTH = 3  # headings deeper than this get no id from the toc extension's depth setting
# (a text a line must contain for the pattern to apply, or "" for always; pattern; replacement).
# The cheap `in` test skips most patterns on most lines: indexing 1,000 lessons runs this on
# ~400,000 lines, and the regexes were most of the index build's time.
MARKUP = [
    ("![", re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # images → alt text
    ("](", re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1"),  # links → their text
    ("{{", PLACEHOLDER, lambda m: SCHOOL_FALLBACKS.get(placeholder_key(m.group(1)) or "", "")),
    ("", re.compile(r"^\s*(?:[-+*]|\d+[.)])\s+"), ""),  # list markers
    ("<", re.compile(r"<[^>]+>"), ""),  # raw HTML tags
    (":::", re.compile(r"^\s*:{3,}.*$"), ""),  # fenced div lines
    ("{", re.compile(r"\{[#.][^}]*\}\s*$"), ""),  # attribute lists
    ("", re.compile(r"[*_`>#|~]+"), " "),
]
# The same rules for a whole text of lines at once (a few passes in C instead of eight per
# line): no pattern may cross a line break, so each matches exactly what it matches per line.
# The text starts with a line break, and a rule for a line's start matches the break before
# it (a literal to search for is faster than "^" tried at every character).
LINES_MARKUP = [
    ("![", re.compile(r"!\[([^\]\n]*)\]\([^)\n]*\)"), r"\1"),
    ("](", re.compile(r"\[([^\]\n]*)\]\([^)\n]*\)"), r"\1"),
    ("{{", re.compile(r"\{\{[^\S\n]*([\w.]+)[^\S\n]*\}\}"),
     lambda m: SCHOOL_FALLBACKS.get(placeholder_key(m.group(1)) or "", "")),
    ("", re.compile(r"\n[^\S\n]*(?:[-+*]|\d+[.)])[^\S\n]+"), "\n"),
    ("<", re.compile(r"<[^>\n]+>"), ""),
    (":::", re.compile(r"\n[^\S\n]*:{3,}[^\n]*"), "\n"),
    ("{", re.compile(r"\{[#.][^}\n]*\}[^\S\n]*$", re.MULTILINE), ""),
]  # and last the inline marks (MARKUP's last rule): marks_to_spaces
INLINE_MARKS = "*_`>#|~"
MARK = "\x00"  # each inline mark while a run of them becomes one space
MARKS_TO_MARK = str.maketrans(dict.fromkeys(INLINE_MARKS, MARK))


@dataclass(frozen=True)
class SectionText:
    """The searchable text of one section of a lesson."""

    section_id: str
    heading: str
    text: str
    guide: str = ""  # what only the teacher guide shows here: notes, handout blocks


def plain_text(line: str) -> str:
    if not line or line.isspace():
        return ""
    for needle, pattern, replacement in MARKUP:
        if needle in line:
            line = pattern.sub(replacement, line)
    return (html.unescape(line) if "&" in line else line).strip()


def plain_lines(lines: list[str]) -> list[str]:
    """[plain_text(line) for line in lines], each pattern run once over the whole text."""
    text = "\n" + "\n".join(lines)
    if text.count("\n") != len(lines):  # a line with a break in it: line by line
        return [plain_text(line) for line in lines]
    for needle, pattern, replacement in LINES_MARKUP:
        if needle in text:
            text = pattern.sub(replacement, text)
    text = marks_to_spaces(text)
    if "&" not in text:  # no character reference to read: strip the lines in C
        return list(map(str.strip, text.split("\n")[1:]))
    return [(html.unescape(line) if "&" in line else line).strip()
            for line in text.split("\n")[1:]]


def marks_to_spaces(text: str) -> str:
    """Each run of inline marks (`*_`>#|~`) as one space, as MARKUP's last rule makes it. That
    regex was half the markup pass (it is tried at every character); marking the marks with
    one character in C and splitting there is five times faster."""
    if MARK in text:
        return MARKUP[-1][1].sub(" ", text)
    parts = text.translate(MARKS_TO_MARK).split(MARK)
    if len(parts) == 1:
        return text
    # Between two marks an empty part: the run goes on. The first and last part are kept even
    # when empty: a run at the start or the end is a space there too.
    return " ".join([parts[0], *filter(None, parts[1:-1]), parts[-1]])


def module_sections(module: Module) -> list[SectionText]:
    """The lesson view's text split at its headings, with the ids the renderer gives them, each
    with what the teacher guide adds there; the guide's safeguarding section comes second.

    The lines are read a stretch at a time, not one by one (the index build reads 300,000
    lines at 1,000 lessons): a stretch ends only at a heading or at a block's edge, so all its
    lines go to the same place (tests/test_search_text.py holds the line-by-line rule)."""
    from markdown.extensions.toc import slugify, unique

    from ..render import BEFORE_TEACHING, body_lines

    lines = body_lines(module)
    fenced = code_lines(lines)  # (none in most lessons)
    divs = scan_divs(lines, fenced)
    guarding_spans = block_spans(lines, SAFEGUARDING, divs)
    guide_spans = block_spans(lines, TEACHER_ONLY | PRINT_ONLY, divs)
    guarding, guide_only = set().union(*guarding_spans), set().union(*guide_spans)
    code = (code_lines(["" if i in guide_only else line for i, line in enumerate(lines)])
            if fenced else set())  # without a fence, none once guide lines are blanked either
    plain = plain_lines(lines)
    for i in code:
        plain[i] = lines[i].strip()  # code is indexed as written
    headings = {i: found[1] for i in lines_with(lines, "#")
                if i not in code and i not in guide_only and (found := heading(lines[i]))}
    edges = {0, len(lines), *headings, *(i + 1 for i in headings),
             *(n for span in guarding_spans + guide_spans for n in (span.start, span.stop))}
    used: set[str] = set()
    sections = [["", "", [], []]]
    safeguarding: list[str] = []
    for start, stop in itertools.pairwise(sorted(edges)):
        if start in headings:
            title = plain_text(headings[start])
            sections.append([unique(slugify(title, "-"), used), title, [], []])
        elif start in guarding:
            safeguarding += filter(None, plain[start:stop])
        else:
            sections[-1][3 if start in guide_only else 2] += filter(None, plain[start:stop])
    found_sections = [SectionText(sid, title, "\n".join(text), "\n".join(guide))
                      for sid, title, text, guide in sections if sid or text or guide]
    if safeguarding:
        guard = SectionText(BEFORE_TEACHING.id, BEFORE_TEACHING.title, "", "\n".join(safeguarding))
        found_sections.insert(min(1, len(found_sections)), guard)
    return found_sections

def keywords(module: Module) -> str:
    """Topics and key words: matched and ranked, but never shown as a snippet."""
    return " · ".join([*module.meta.topics, *module.meta.vocabulary])


def introduction(module: Module, first: SectionText) -> str:
    """The first section's text, led by the summary and objectives (shown as its snippet)."""
    return "\n".join(t for t in [module.meta.summary, *module.meta.objectives, first.text] if t)


def index_rows(module: Module) -> list[tuple]:
    """The lesson's rows for the sections table: module_id, section_id, title, heading,
    keywords, body, guide (title and keywords on the first row only)."""
    return [(module.id, section.section_id, module.meta.title if n == 0 else "",
             section.heading, keywords(module) if n == 0 else "",
             indexed(introduction(module, section) if n == 0 else section.text),
             indexed(section.guide))
            for n, section in enumerate(module_sections(module))]


# FTS5's snippet() is quadratic in the matches in one cell: 8,000 of one word took 2.4 s, and
# 200,000 (a 1 MB section) froze the search box. Each section's text is indexed up to this many
# words (the longest bundled section: 506).
MAX_INDEXED_WORDS = 1000
# The first MAX_INDEXED_WORDS words in one C-level match (possessive: no backtracking).
FIRST_WORDS = re.compile(r"(?:\W*+\w++){" + str(MAX_INDEXED_WORDS) + "}")


# The ASCII characters \w matches (letters, digits, "_"): deleted, what is left are the breaks.
ASCII_WORD_CHARACTERS = bytes(c for c in range(128) if chr(c).isalnum() or chr(c) == "_")


def indexed(text: str) -> str:
    """The text up to its MAX_INDEXED_WORDS-th word."""
    if len(text) < 2 * MAX_INDEXED_WORDS - 1:
        return text  # too short to hold that many words and the breaks between them
    if text.isascii() and fewer_words_than_the_limit(text):
        return text  # (most long sections: their words are counted by bytes, in C)
    found = FIRST_WORDS.match(text)
    return text[:found.end()] if found else text


def fewer_words_than_the_limit(text: str) -> bool:
    """Whether an ASCII text surely has fewer than MAX_INDEXED_WORDS words: each word but the
    first follows a character that is not a word character."""
    breaks = len(text.encode("ascii").translate(None, ASCII_WORD_CHARACTERS))
    return breaks + 1 < MAX_INDEXED_WORDS
