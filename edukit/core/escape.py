"""Untrusted text (lesson front matter, packs, school details, file names) made safe for the
place it lands: one function per output context, used at every call site (STYLE.md 8b).

A lesson title that could end a CSS string could end the print page's <style> and redraw the
"Where to get help" box with a forged number; a summary with ESC sequences could rewrite a
teacher's terminal. Each function here turns any text into inert text of its context.
"""
from __future__ import annotations

import html
import json
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown.util import AtomicString

# --- HTML -----------------------------------------------------------------------------------


def html_text(text: str) -> str:
    """Text between HTML tags: `<`, `>` and `&` can no longer start markup."""
    return html.escape(text, quote=False)


def html_attr(text: str) -> str:
    """A double- or single-quoted HTML attribute value: quotes cannot end it."""
    return html.escape(text, quote=True)


def markdown_literal(text: str) -> AtomicString:
    """Text put into a Python-Markdown element tree that must show as written: not parsed as
    Markdown (`*x*`, `[link](url)`) or raw HTML (`<b>`), and `&amp;` shows as `&amp;` (the
    serialiser leaves anything that looks like an entity alone, so `&` is escaped first).
    Python-Markdown loads only here: the app's first paint, from a cached render, needs none."""
    from markdown.util import AtomicString

    return AtomicString(text.replace("&", "&amp;"))


# Python-Markdown's backslash escapes for inline markup (emphasis, code, links and images,
# attribute lists, placeholders) and for a heading's closing hashes; `<` has none and becomes an
# entity. `!`, `#` elsewhere and other punctuation mean nothing inside a heading: left as they are
# (a slide's title is its heading's source).
MARKDOWN_INLINE = re.compile(r"[\\`*_\[\]{}]|#(?=#*\s*$)")
LINE_BREAKS = re.compile(r"\s*[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]\s*")


def markdown_line(text: str) -> str:
    """Text put into Markdown source as one line (a title made into a `#` heading) that must
    show as written: no emphasis, links, raw HTML (`</style>`, `<img>`), placeholders or
    attribute lists, and no line break that would start a block of its own."""
    one_line = LINE_BREAKS.sub(" ", text)
    return MARKDOWN_INLINE.sub(lambda m: "\\" + m.group(0), one_line).replace("<", "&lt;")


# --- CSS ------------------------------------------------------------------------------------

# Characters that cannot end a CSS string, a declaration, a rule or the <style> element.
CSS_SAFE = re.compile(r"[A-Za-z0-9 ,.\-_:!?()'/@#%+=*~|$^\[\]]")


def css_string(text: str) -> str:
    """A double-quoted CSS string (for `content:` in @page margin boxes, for example). Every
    character but a few safe ASCII ones and printable letters outside ASCII becomes a CSS hex
    escape (`<` → `\\3c `), so quotes, backslashes, newlines, NUL and `</style>` stay text."""
    return '"' + "".join(css_char(ch) for ch in text) + '"'


def css_char(ch: str) -> str:
    if CSS_SAFE.fullmatch(ch) or (ord(ch) > 0x7F and ch.isprintable()):
        return ch
    return f"\\{ord(ch):x} "  # the space ends the escape; CSS swallows it


# --- terminal -------------------------------------------------------------------------------

# C0 and C1 control characters (ESC, BEL, CR, LF, NUL, CSI...), line and paragraph separators,
# text-direction controls and lone surrogates: none of them may reach a terminal as itself.
TERMINAL_UNSAFE = re.compile(
    "[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
    "\ud800-\udfff]")
NAMED = {"\n": "\\n", "\r": "\\r"}


def terminal_text(text: str) -> str:
    """One line for a terminal: control characters shown visibly (`\\x1b`, `\\r`, `\\u202e`)
    so no escape sequence, OSC link, carriage-return overwrite or bidi reordering takes
    effect. Tabs are kept."""
    return TERMINAL_UNSAFE.sub(lambda m: visible(m.group(0)), text)


def visible(ch: str) -> str:
    code = ord(ch)
    return NAMED.get(ch) or (f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}")


# --- JSON -----------------------------------------------------------------------------------


def json_text(data: object) -> str:
    """JSON for a terminal or a pipe: every non-ASCII and control character is a \\u escape,
    so the printed document holds no raw control characters."""
    return json.dumps(data, indent=2, ensure_ascii=True)


def js_string(text: str) -> str:
    """A JavaScript string literal for a script the app runs in a page (a section id, search
    words): JSON's quoting, ASCII only, so U+2028 and quotes cannot end it."""
    return json.dumps(text, ensure_ascii=True)
