"""Bound Python-Markdown's work on hostile or broken text before it is parsed.

Python-Markdown is quadratic (or recursive) on some inputs: long runs of unmatched `[`
(upstream #798), blocks with thousands of inline elements, thousands of headings with no
blank line between them, definition lists nested thousands deep, lists and block quotes
hundreds of levels deep, thousands of setext headings or rules in one block (each split off
re-tests the rest), thousands of headings in the table of contents. `neutralise` rewrites
only such blocks so that they render as plain text, and `restore` puts the characters back
into the HTML. Ordinary lessons are untouched (the same string object comes back).
"""
from __future__ import annotations

import re

# Python-Markdown is quadratic on long runs of unmatched '[' and slow on huge runs of
# emphasis markers: such blocks get their markers shown as plain characters.
BRACKET_LIMIT = 200
EMPHASIS_LIMIT = 2000
MARKUP_LIMIT = 2000  # inline markup characters in one block before it becomes plain text
BLOCK_CHARS_LIMIT = 100_000  # a paragraph longer than this is shown as plain text
DOC_MARKUP_LIMIT = 20_000  # markup characters in a whole lesson (the largest bundled: 350)
QUOTE_DEPTH_LIMIT = 16  # '>' markers kept at the start of a line
LIST_DEPTH_LIMIT = 16  # nesting levels kept by the list re-indenter (lists.py)
DIV_DEPTH_LIMIT = 16  # fenced divs deeper than this are shown as their content only
HEADING_LIMIT = 500  # headings after this many are shown as text (the most bundled: 40)
TOC_LIMIT = 3  # '[TOC]' markers after this many are shown as text
SEPARATE_AFTER = 100  # headings and rules in a lesson before each gets blank lines around it

# Unicode noncharacters (U+FDD0…) are never assigned, so they cannot mean anything in a
# lesson: each stands for one markup character while Python-Markdown runs.
HELD = "[]*_`{}<&\\!:|^~$"  # ^ ~ $: markdown/pandoc.py, markdown/maths.py
SENTINEL = {ch: chr(0xFDD0 + i) for i, ch in enumerate(HELD)}
RESTORED = {
    SENTINEL[ch]: {"[": "&#91;", "]": "&#93;", "*": "&#42;", "_": "&#95;",
                   "<": "&lt;", "&": "&amp;"}.get(ch, ch)
    for ch in HELD
}
SENTINELS = re.compile("[\ufdd0-\ufdef]")
BLOCK_SPLIT = re.compile(r"(\n[ \t]*\n)")
ATX_HEADING = re.compile(r"^#{1,6}(?:[ \t]|$)")
SETEXT_OR_RULE = re.compile(r"^ {0,3}(?:=+|-+|(?:[-*_][ \t]*){3,})[ \t]*$")
BLOCK_LINES = re.compile(r"^(?:#{1,6}(?:[ \t]|$)| {0,3}(?:=+|-+|(?:[-*_][ \t]*){3,})[ \t]*$)",
                         re.MULTILINE)
TOC_MARKER = re.compile(r"^[ \t]*\[TOC\][ \t]*$", re.MULTILINE)
QUOTE_PREFIX = re.compile(r"^(?:[ ]{0,3}>[ ]?){" + str(QUOTE_DEPTH_LIMIT + 1) + ",}")
CODE_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
MARKUP = re.compile(r"[\[\]*_`{}<&\\!]")
DOC_MARKUP = re.compile(r"[\[\]*_`{}<&\\!|]")
DEFINITION = re.compile(r"^ {0,3}:[ \t]")
ENTITY_RUN_LIMIT = 500  # character references in one HTML text node
TEXT_RUN = re.compile(r"(?<=>)[^<]+")
ENTITY_RUN = re.compile(r"(?:&[^&]*){" + str(ENTITY_RUN_LIMIT) + "}")


def hold(text: str, chars: str = HELD) -> str:
    """Replace markup characters with their sentinels so the parser sees plain text."""
    return text.translate({ord(ch): SENTINEL[ch] for ch in chars})


def restore(html: str) -> str:
    """Put held characters back into converted HTML (escaped where HTML needs it)."""
    if not SENTINELS.search(html):
        return html
    return SENTINELS.sub(lambda m: RESTORED.get(m.group(0), ""), html)


def split_entity_runs(html: str) -> str:
    """Break text holding thousands of character references ('&amp;') with empty comments.

    The sanitiser's HTML parser is quadratic in the references of one text node (a 1 MB
    paragraph of '&' took 13 s); the comments end the node and the sanitiser drops them."""
    if html.count("&") < ENTITY_RUN_LIMIT:
        return html
    return TEXT_RUN.sub(lambda m: ENTITY_RUN.sub(r"\g<0><!---->", m.group(0))
                        if m.group(0).count("&") >= ENTITY_RUN_LIMIT else m.group(0), html)


def neutralise(text: str) -> str:
    """Rewrite pathological parts of the text; ordinary text is returned as the same object."""
    if SENTINELS.search(text):
        text = SENTINELS.sub("", text)
    if not looks_heavy(text):
        return text
    blocks = BLOCK_SPLIT.split(separate_blocks(clamp_quotes(text)))
    text = "".join(neutralise_block(block) if i % 2 == 0 else block
                   for i, block in enumerate(blocks))
    if len(DOC_MARKUP.findall(text)) > DOC_MARKUP_LIMIT:
        text = hold(text, "[]*_`{}<&\\!|")  # every element costs the parser; show plain text
    return text


def looks_heavy(text: str) -> bool:
    """Cheap test: could any rule below change this text?"""
    return (text.count("[") >= BRACKET_LIMIT or text.count("*") + text.count("_") >= EMPHASIS_LIMIT
            or len(DOC_MARKUP.findall(text)) >= MARKUP_LIMIT or len(text) >= BLOCK_CHARS_LIMIT
            or many_block_lines(text) or text.count(">" * QUOTE_DEPTH_LIMIT) > 0
            or text.count("> " * QUOTE_DEPTH_LIMIT) > 0 or text.count("\n:") >= 100)


def neutralise_block(block: str) -> str:
    if block.count("[") - block.count("]") > BRACKET_LIMIT or block.count("[") > 10 * BRACKET_LIMIT:
        block = hold(block, "[]")
    if block.count("*") + block.count("_") > EMPHASIS_LIMIT:
        block = hold(block, "*_")
    if len(block) > BLOCK_CHARS_LIMIT or len(MARKUP.findall(block)) > MARKUP_LIMIT:
        block = hold(block, "[]*_`{}<&\\!")
    if sum(1 for line in block.split("\n") if DEFINITION.match(line)) > 50:
        block = "\n".join(hold(line, ":") if DEFINITION.match(line) else line
                          for line in block.split("\n"))
    return block


def outside_code(lines: list[str]) -> list[bool]:
    """For each line, whether it lies outside fenced code."""
    flags, fence = [], ""
    for line in lines:
        m = CODE_FENCE.match(line)
        if fence:
            flags.append(False)
            if m and m.group(1).startswith(fence) and not line.strip().strip(fence[0]):
                fence = ""
        elif m:
            flags.append(False)
            fence = m.group(1)
        else:
            flags.append(True)
    return flags


def many_block_lines(text: str) -> bool:
    """Enough headings, setext underlines, rules or '[TOC]' markers for separate_blocks."""
    return (text.count("\n#") >= SEPARATE_AFTER or text.count("[TOC]") > TOC_LIMIT
            or (text.count("\n=") + text.count("\n-") + text.count("\n*") + text.count("\n_")
                >= SEPARATE_AFTER and len(BLOCK_LINES.findall(text)) >= SEPARATE_AFTER))


def separate_blocks(text: str) -> str:
    """Put blank lines around headings and after setext underlines and rules: each ends its
    block anyway, and a block of thousands of them is quadratic to parse. Headings beyond
    HEADING_LIMIT and '[TOC]' markers beyond TOC_LIMIT are shown as text."""
    if not many_block_lines(text):
        return text
    lines = text.split("\n")
    out: list[str] = []
    headings = tocs = 0
    for line, free in zip(lines, outside_code(lines)):
        if not free:
            out.append(line)
        elif ATX_HEADING.match(line):
            headings += 1
            # beyond the limit, '\#' shows the line as text in one paragraph with its neighbours
            out += ["", line, ""] if headings <= HEADING_LIMIT else ["\\" + line]
        elif SETEXT_OR_RULE.match(line):
            setext = bool(out and out[-1].strip()) and line.strip()[0] in "=-"
            headings += setext
            # beyond the limit a blank line first makes the underline text (or a rule)
            out += ["", line, ""] if setext and headings > HEADING_LIMIT else [line, ""]
        elif TOC_MARKER.match(line):
            tocs += 1
            out.append(line if tocs <= TOC_LIMIT else hold(line, "[]"))
        else:
            out.append(line)
    return "\n".join(out)


def clamp_quotes(text: str) -> str:
    """Keep at most QUOTE_DEPTH_LIMIT '>' markers at the start of a line."""
    if ">" * QUOTE_DEPTH_LIMIT not in text and "> " * QUOTE_DEPTH_LIMIT not in text:
        return text
    keep = "> " * QUOTE_DEPTH_LIMIT
    return "\n".join(QUOTE_PREFIX.sub(keep, line, count=1) for line in text.split("\n"))
