"""Whole HTML pages around rendered views: stylesheets, themes, and self-contained exports."""
from __future__ import annotations

import base64
import re
from html import unescape
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .escape import html_text
from .paths import resources_dir
from .rendered import Rendered
from .serving import read_module_file
from .typography import FONT_FACES, READING_FONTS, line_spacing

VIEW_CSS = {
    "lesson": ["base.css", "fonts.css", "lesson.css", "pygments.css", "resources.css"],
    "guide": ["base.css", "fonts.css", "lesson.css", "pygments.css", "print.css", "resources.css"],
    "handout": ["base.css", "fonts.css", "lesson.css", "pygments.css", "print.css",
                "resources.css"],
    "parents": ["base.css", "fonts.css", "lesson.css", "pygments.css", "print.css"],
    "worksheets": ["base.css", "fonts.css", "lesson.css", "pygments.css", "print.css"],
    "letter": ["base.css", "fonts.css", "lesson.css", "pygments.css", "print.css",
               "resources.css"],
    "slides": ["base.css", "fonts.css", "slides.css", "pygments.css"],
}
SLIDE_VIEWS = ("slides", "nup", "notes")  # legible unless the reader chose another (notes pages
# show the projected slide, which must break its lines as the show does)
THEMES = ("light", "dark", "contrast")
# Defence in depth: even if something slipped past the sanitiser, the page may load nothing
# from outside edukit (in the app) or from outside the file itself (an exported page).
APP_CSP = ("default-src edukit: data:; style-src edukit: 'unsafe-inline'; script-src 'none'; "
           "object-src 'none'; base-uri 'none'")
EXPORT_CSP = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; "
              "script-src 'none'; base-uri 'none'")
IMG_SRC = re.compile(r'(<img\b[^>]*?\ssrc=")([^"]*)(")')
FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}\s*")
FONT_FAMILY = re.compile(r'font-family:\s*"([^"]+)"')
FONT_URL = re.compile(r'url\("\.\./fonts/([a-z0-9-]+\.woff2)"\)')


PRINT_CSS = ["base.css", "fonts.css", "pygments.css", "print.css", "resources.css"]


def stylesheets(view: str, theme: str = "light", printing: bool = False) -> list[str]:
    names = list(PRINT_CSS if printing else VIEW_CSS.get(view, VIEW_CSS["lesson"]))
    if theme in THEMES and theme != "light":
        names.append(f"theme-{theme}.css")
    return names


def page_font(view: str, font: str = "default") -> str:
    """The font a page is set in: the reader's choice; by default slides are in the legible
    face (letters that are hard to confuse read better across a classroom)."""
    if font not in READING_FONTS:
        font = "default"
    return "legible" if font == "default" and view in SLIDE_VIEWS else font


def page_html(rendered: Rendered, *, theme: str = "light", css_base: str | None = None,
              extra_class: str = "", print_kind: str | None = None, font: str = "default",
              spacing: str = "normal") -> str:
    """A complete page. With css_base the CSS is linked (the app); without, it is inlined, with
    the page's own font faces as data: URLs (an exported file stands alone)."""
    names = stylesheets(rendered.view, "light" if print_kind else theme, bool(print_kind))
    face = page_font(rendered.view, font)
    if css_base is not None:
        head = "".join(f'<link rel="stylesheet" href="{css_base}{n}">' for n in names)
    else:
        head = "<style>" + "\n".join(inlined_css(n, face) for n in names) + "</style>"
    csp = APP_CSP if css_base is not None else EXPORT_CSP
    classes = (f"view-{rendered.view} theme-{theme} font-{face} "
               f"spacing-{line_spacing(spacing)} {extra_class}").strip()
    return (
        "<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\">"
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
        f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        f"<title>{html_text(rendered.title)}</title>{head}</head>"
        f'<body class="{classes}"><main class="page">{rendered.html}</main></body></html>\n'
    )


def inlined_css(name: str, face: str) -> str:
    """A stylesheet's text for a page that stands alone. In fonts.css the @font-face rules point
    at ../fonts/, which is not there beside an exported file: the page's own face is embedded
    as data: URLs (about 110 KB for Atkinson Hyperlegible, 460 KB for OpenDyslexic), the
    others are left out."""
    path = resources_dir() / "css" / name
    if not path.is_file():
        return ""
    css = path.read_text(encoding="utf-8")
    if name != "fonts.css":
        return css
    family = FONT_FACES.get(face)

    def keep(m: re.Match) -> str:
        named = FONT_FAMILY.search(m.group(0))
        if not named or named.group(1) != family:
            return ""
        return FONT_URL.sub(lambda u: f'url("{font_data_url(u.group(1))}")', m.group(0))

    return FONT_FACE.sub(keep, css)


def font_data_url(file_name: str) -> str:
    data = (resources_dir() / "fonts" / file_name).read_bytes()
    return "data:font/woff2;base64," + base64.b64encode(data).decode("ascii")


def inline_images(html: str, folder: Path | None) -> str:
    """Replace module-relative image paths with data: URLs so an exported file stands alone.
    `folder` is the lesson's own folder (None for a single file): only what the app itself
    would show (edukit.core.serving) is embedded; any other reference is emptied."""
    from .images import data_url_problem  # with the sanitiser: loaded for exported files only
    from .sanitize import is_local_path

    def embed(m: re.Match) -> str:
        src = unescape(m.group(2)).replace("\\", "/")  # 'images\\a.png', as Windows writes it
        if not is_local_path(src):
            return m.group(0)
        file = read_module_file(folder, unquote(urlsplit(src).path))
        if file is None:
            return m.group(1) + m.group(3)
        data, kind = file
        encoded = base64.b64encode(data).decode("ascii")
        if kind.startswith("image/") and data_url_problem(f"data:{kind};base64,{encoded}"):
            return m.group(1) + m.group(3)  # (render already labelled an oversized picture)
        return f"{m.group(1)}data:{kind};base64,{encoded}{m.group(3)}"

    return IMG_SRC.sub(embed, html)
