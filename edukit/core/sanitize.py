"""The nh3 allow-list every rendered page passes through: no script, no remote loads."""
from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

import nh3

from .serving import inside_path

# MathML Core, as latex2mathml writes it (edukit.core.markdown.maths) and Chromium draws it.
# Not allowed: <annotation-xml> (it can hold HTML), <maction>, <mglyph> (it loads a picture),
# and any href, xlink:*, style or event attribute: MathML carries layout values only.
MATHML_TAGS = {
    "math", "mi", "mn", "mo", "ms", "mtext", "mspace", "mrow", "mfrac", "msqrt", "mroot",
    "mstyle", "merror", "mpadded", "mphantom", "msub", "msup", "msubsup", "munder", "mover",
    "munderover", "mmultiscripts", "mprescripts", "none", "mtable", "mtr", "mtd", "menclose",
    "semantics", "annotation",
}
MATHML_COMMON = {"displaystyle", "scriptlevel", "mathcolor", "mathbackground", "mathsize",
                 "mathvariant"}
MATHML_ATTRIBUTES = {
    "math": {"display"},
    "mo": {"stretchy", "fence", "separator", "lspace", "rspace", "minsize", "maxsize",
           "symmetric", "largeop", "movablelimits", "accent", "form"},
    "mfrac": {"linethickness"},
    "mover": {"accent"},
    "munder": {"accentunder"},
    "munderover": {"accent", "accentunder"},
    "mspace": {"width", "height", "depth"},
    "mpadded": {"width", "height", "depth", "lspace", "voffset"},
    "mtable": {"columnalign", "rowalign", "columnlines", "rowlines", "columnspacing",
               "rowspacing", "frame", "framespacing"},
    "mtr": {"columnalign", "rowalign"},
    "mtd": {"columnalign", "rowalign", "columnspan", "rowspan"},
    "menclose": {"notation"},
}
MATHML_COLOUR = re.compile(r"^\s*(#[0-9a-fA-F]{3,8}|[a-zA-Z]{1,20})\s*$")
MATHML_WORDS = re.compile(r"^[A-Za-z0-9 ._%+-]{0,200}$")  # true, center left, 0.5em 1em…
TAGS = {
    "a", "abbr", "article", "aside", "b", "blockquote", "br", "caption", "code", "col",
    "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure",
    "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "i", "img", "ins", "kbd", "li",
    "mark", "nav", "ol", "p", "pre", "q", "s", "samp", "section", "small", "span", "strong",
    "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u",
    "ul", "var", "wbr",  # wbr: where a printed address may wrap
}
ATTRIBUTES = {
    "*": {"id", "class", "title", "lang", "dir"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "style", "align"},
    "th": {"colspan", "rowspan", "style", "align", "scope"},
    "ol": {"start", "type"},
    "li": {"value"},
    "time": {"datetime"},
    **{tag: MATHML_COMMON | MATHML_ATTRIBUTES.get(tag, set()) for tag in MATHML_TAGS},
}
SAFE_STYLE = re.compile(r"^\s*text-align:\s*(left|right|center)\s*;?\s*$")
SAFE_IMAGE_DATA = re.compile(r"^data:image/(png|jpeg|gif|webp|svg\+xml)[;,]", re.IGNORECASE)
# No edukit: here: content names its own files by relative path; an absolute edukit: URL
# could reach the app's pages or another lesson's files (edukit.core.serving).
LINK_SCHEMES = ("http:", "https:", "mailto:", "tel:")
# Classes only edukit may put on a page: the help box and the school's contacts. Content that
# carried them could draw a box that looks like the real one with other numbers in it.
RESERVED_CLASSES = frozenset({"routes", "route", "emergency", "school-contacts"})
RESERVED_CLASS_PREFIXES = ("route-", "routes-", "edukit")
EDUKIT_MARKS = ("data-edukit-box", "data-edukit-fill")  # where edukit puts its boxes


def is_reserved_class(name: str) -> bool:
    lowered = name.lower()
    return lowered in RESERVED_CLASSES or lowered.startswith(RESERVED_CLASS_PREFIXES)


def content_classes(value: str) -> str | None:
    """A class list without edukit's reserved names (None when nothing is left)."""
    kept = [name for name in value.split() if not is_reserved_class(name)]
    return " ".join(kept) or None


def is_local_path(value: str) -> bool:
    """A relative path that stays inside the module folder, judged as the browser will read it
    (percent-decoded): no scheme, no '..', not absolute, no backslash, no dotfile."""
    v = value.strip()
    if not v or v.startswith("/") or ":" in v.split("/")[0]:
        return False
    path = unquote(urlsplit(v).path)
    return not path or inside_path(path) is not None  # no path: '?x' or '#x', this page


def mathml_value(attr: str, value: str) -> str | None:
    """A MathML layout value, or None: colours are names or #hex, the rest words and numbers
    with units (never url(), a colon, a script or an address)."""
    pattern = MATHML_COLOUR if attr in ("mathcolor", "mathbackground") else MATHML_WORDS
    return value if pattern.match(value) else None


def filter_attribute(tag: str, attr: str, value: str) -> str | None:
    if tag in MATHML_TAGS and attr in MATHML_COMMON | MATHML_ATTRIBUTES.get(tag, set()):
        return mathml_value(attr, value)
    if attr == "class":
        return content_classes(value)
    if attr == "data-block" and value.strip().lower() == "routes":
        return None  # only edukit's own box is a routes block (see markdown/routes_block.py)
    if attr == "style":
        return value if SAFE_STYLE.match(value) else None
    if attr == "href":
        v = value.strip()
        ok = v.startswith("#") or v.lower().startswith(LINK_SCHEMES) or is_local_path(v)
        return value if ok else None
    if attr == "src":
        v = value.strip()
        ok = SAFE_IMAGE_DATA.match(v) or is_local_path(v)
        return value if ok else None
    return value


def sanitize(html: str, secret: str = "") -> str:
    """Clean rendered HTML with the allow-list; deterministic for the same input. Reserved
    classes are removed: edukit adds its own boxes after this (Converter.fill_routes), at
    `data-edukit-*` markers, which are kept only when they carry the converter's secret."""
    def keep(tag: str, attr: str, value: str) -> str | None:
        if attr.startswith("data-edukit"):
            mine = attr in EDUKIT_MARKS and secret and value.startswith(secret)
            return value if mine else None
        return filter_attribute(tag, attr, value)
    return nh3.clean(
        html,
        tags=TAGS | MATHML_TAGS,
        attributes=ATTRIBUTES,
        generic_attribute_prefixes={"data-"},
        url_schemes={"http", "https", "mailto", "tel", "data"},
        attribute_filter=keep,
        strip_comments=True,
        link_rel=None,
    )
