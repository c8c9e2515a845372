"""Alt text: every picture in a lesson says what it shows, unless it is marked decorative.

A screen reader reads a picture's alt text in its place; without one it reads the file name
("images slash fig three dot png") or nothing, and a blind pupil misses what the picture teaches.
A picture that adds nothing (a border, a background) is marked decorative, so readers skip it:
`![](x.png){.decorative}` in Markdown, `<img src="x.png" alt="" class="decorative">` in HTML
(docs/authoring.md, "Pictures and alt text").
"""
from __future__ import annotations

import html
import re

from .markdown.media import MARP_BG, MARP_BG_WORD

DECORATIVE = "decorative"
# `![alt](target)` with an optional attribute list `{.decorative}` straight after it; the alt
# may not hold '[' or ']' so a long line of brackets is not scanned twice (as MD_TARGET).
MD_IMAGE = re.compile(r"!\[([^\[\]]*)\]\(\s*<?([^()\s<>\[\]]*)>?"
                      r"""(?:\s+(?:"[^"\[\]]*"|'[^'\[\]]*'))?\s*\)(\{[^{}\[\]]*\})?""")
HTML_IMG = re.compile(r"<img\b[^<>]*>?", re.IGNORECASE)
HTML_ATTRIBUTE = re.compile(r"""([^\s=/<>"']+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s<>"']*))?""")
INLINE_CODE = re.compile(r"``[^`]*``|`[^`]*`")  # shown as written, not as a picture


def described(alt: str) -> str:
    """The words of an alt text that describe the picture (Marp's `bg left:40%` are layout)."""
    if MARP_BG.match(alt.strip()):
        return " ".join(w for w in alt.split() if not MARP_BG_WORD.match(w))
    return alt.strip()


def marked_decorative(attributes: str) -> bool:
    """True for an attribute list naming the class: `{.decorative}` or `{: .decorative .x}`."""
    return f".{DECORATIVE}" in attributes.replace("{", " ").replace("}", " ").split()


def html_images(line: str) -> list[dict[str, str]]:
    """The attributes of each <img> tag on a line, names lower-cased, values unquoted and
    unescaped as a browser reads them (`alt=&#32;` is a space)."""
    return [{name.lower(): html.unescape(value.strip("\"'")) for name, value in
             HTML_ATTRIBUTE.findall(tag[4:])} for tag in HTML_IMG.findall(line)]


def lacking_alt(line: str) -> list[str]:
    """The target of each picture on a line with no alt text that is not marked decorative."""
    line = INLINE_CODE.sub("", line)
    missing = [target for alt, target, attributes in MD_IMAGE.findall(line)
               if not described(alt) and not marked_decorative(attributes or "")]
    if "<img" in line.lower():
        missing += [img.get("src", "") for img in html_images(line)
                    if not img.get("alt", "").strip()
                    and DECORATIVE not in img.get("class", "").split()]
    return missing


def missing_alt_message(target: str) -> str:
    return (f"image '{target[:80]}' has no alt text: say what it shows in ![...], "
            "or mark a decorative picture {.decorative}")
