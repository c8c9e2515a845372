"""Quarto and R Markdown code chunks, Pandoc raw blocks and incremental pauses.

edukit never runs code, so a chunk's output is never there to show. A chunk marked
`#| include: false` or `#| echo: false` (or knitr's `{r, echo=FALSE}`) shows nothing, as in
Quarto's page; any other chunk shows its code, highlighted by its language, without the `#|`
option lines. A raw block (```` ```{=html} ````) is HTML (sanitised like all HTML); raw blocks
for other formats (`{=latex}`) are left out, as Pandoc does for HTML. A pause (`. . .`) is not
printed: edukit shows a slide whole.
"""
from __future__ import annotations

import re

from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

CHUNK_OPEN = re.compile(
    r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})\s*\{(?P<head>[^}]*)\}\s*$")
EXECUTABLE = re.compile(r"^(?P<lang>[A-Za-z][\w+-]*)(?P<opts>.*)$", re.DOTALL)
RAW = re.compile(r"^=(?P<format>[A-Za-z][\w-]*)$")
OPTION_LINE = re.compile(r"^\s*(?:#|//|--|%%)\|\s?(?P<key>[\w.-]+)\s*:\s*(?P<value>.*?)\s*$")
HEADER_OPTION = re.compile(r"(?P<key>[\w.-]+)\s*=\s*(?P<value>\"[^\"]*\"|'[^']*'|[^,\s]+)")
FENCE = re.compile(r"^ {0,3}(?P<fence>`{3,}|~{3,})")
PAUSE = re.compile(r"^ {0,3}\. \. \.\s*$")
HIDING = ("include", "echo")  # either one false: the chunk shows nothing here


def is_false(value: str) -> bool:
    return value.strip().strip("\"'").lower() in ("false", "no")


def closes(line: str, fence: str) -> bool:
    stripped = line.strip()
    return stripped.startswith(fence) and set(stripped) == {fence[0]}


def chunk_lines(opener: re.Match, body: list[str]) -> list[str]:
    """What a chunk (opener, body lines, closing fence not included) turns into."""
    head = opener.group("head").strip()
    fence, indent = opener.group("fence"), opener.group("indent")
    raw = RAW.match(head)
    if raw:
        return body if raw.group("format").lower() == "html" else []
    options = {m.group("key").lower(): m.group("value")
               for m in HEADER_OPTION.finditer(EXECUTABLE.match(head).group("opts"))}
    code = []
    for line in body:
        option = OPTION_LINE.match(line)
        if option and not code:  # option lines come first in the chunk
            options[option.group("key").lower()] = option.group("value")
        else:
            code.append(line)
    if any(is_false(options.get(key, "true")) for key in HIDING):
        return []
    lang = EXECUTABLE.match(head).group("lang")
    return [f"{indent}{fence}{lang}", *code, f"{indent}{fence}"]


def rewrite(lines: list[str]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        opener = CHUNK_OPEN.match(line)
        head = opener.group("head").strip() if opener else ""
        if opener and (RAW.match(head) or EXECUTABLE.match(head)):
            end = next((j for j in range(i + 1, len(lines))
                        if closes(lines[j], opener.group("fence"))), len(lines))
            out += chunk_lines(opener, lines[i + 1:end])
            i = end + 1
            continue
        fence = FENCE.match(line)
        if fence:  # any other code block: copied as it is, pauses and all
            end = next((j for j in range(i + 1, len(lines))
                        if closes(lines[j], fence.group("fence"))), len(lines))
            out += lines[i:end + 1]
            i = end + 1
            continue
        out.append("" if PAUSE.match(line) else line)
        i += 1
    return out


class QuartoPreprocessor(Preprocessor):
    """Before fenced code (25) and fenced divs (28) see the lines."""

    def run(self, lines: list[str]) -> list[str]:
        if not any(". . ." in line or "{" in line for line in lines):
            return lines
        return rewrite(lines)


class QuartoExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        md.preprocessors.register(QuartoPreprocessor(md), "quarto", 29)
