"""Whole HTML pages around rendered views: stylesheets, themes, and self-contained exports."""
from __future__ import annotations

import base64
import re
from html import unescape
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .escape import html_text
from .images import data_url_problem
from .paths import resources_dir
from .render import Rendered
from .sanitize import is_local_path
from .serving import read_module_file

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
# The reading font (Preferences.reading_font): the one each page is set in by default, Atkinson
# Hyperlegible or OpenDyslexic from resources/fonts (resources/css/fonts.css), or the system's
# own UI font.
READING_FONTS = ("default", "legible", "dyslexic", "system")
SLIDE_VIEWS = ("slides", "nup", "notes")  # legible unless the reader chose another (notes pages
# show the projected slide, which must break its lines as the show does)
THEMES = ("light", "dark", "contrast")
# Defence in depth: even if something slipped past the sanitiser, the page may load nothing
# from outside edukit (in the app) or from outside the file itself (an exported page).
APP_CSP = ("default-src edukit: data:; style-src edukit: 'unsafe-inline'; script-src 'none'; "
           "object-src 'none'; base-uri 'none'")
EXPORT_CSP = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
              "script-src 'none'; base-uri 'none'")
IMG_SRC = re.compile(r'(<img\b[^>]*?\ssrc=")([^"]*)(")')


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
              extra_class: str = "", print_kind: str | None = None, font: str = "default") -> str:
    """A complete page. With css_base the CSS is linked (the app); without, it is inlined."""
    names = stylesheets(rendered.view, "light" if print_kind else theme, bool(print_kind))
    if css_base is not None:
        head = "".join(f'<link rel="stylesheet" href="{css_base}{n}">' for n in names)
    else:
        css_dir = resources_dir() / "css"
        head = "<style>" + "\n".join(
            (css_dir / n).read_text(encoding="utf-8") for n in names if (css_dir / n).is_file()
        ) + "</style>"
    csp = APP_CSP if css_base is not None else EXPORT_CSP
    classes = (f"view-{rendered.view} theme-{theme} font-{page_font(rendered.view, font)} "
               f"{extra_class}").strip()
    return (
        "<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\">"
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
        f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        f"<title>{html_text(rendered.title)}</title>{head}</head>"
        f'<body class="{classes}"><main class="page">{rendered.html}</main></body></html>\n'
    )


def inline_images(html: str, folder: Path | None) -> str:
    """Replace module-relative image paths with data: URLs so an exported file stands alone.
    `folder` is the lesson's own folder (None for a single file): only what the app itself
    would show (edukit.core.serving) is embedded; any other reference is emptied."""

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
