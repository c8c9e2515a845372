"""One lesson's pages on the site: the very pages the app shows and prints, with the site's bar.

Each page is edukit.core.pages / printing output for the same rendered view (the same
sanitised HTML); the site only swaps the app's CSP for its own, links its stylesheets from
assets/ and adds its navigation bar and its own script files.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..escape import html_text
from ..model import Module
from ..options import PrintOptions
from ..pages import APP_CSP, page_html
from ..printing import print_page
from ..render import RenderContext, render
from ..typography import unfitted_type

# The site's own script files only; content never runs script (no inline script, no eval).
SITE_CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; font-src 'self'; base-uri 'none'; form-action 'none'; "
            "object-src 'none'")
PUPIL_PAGES = ("lesson", "slides", "handout")
LEAFLET = "parents"  # a pupil lesson's leaflet for parents and carers (parents' lessons are
                     # their own leaflet: their handout; staff lessons have none)
GUIDE_PAGES = ("guide", "notes")
PAGE_LABELS = {"lesson": "Lesson", "slides": "Slides", "handout": "Handout",
               LEAFLET: "For parents and carers",
               "guide": "Teacher guide", "notes": "Notes pages"}
PRINTED = {"handout", LEAFLET, "notes"}
SEARCHED = {"lesson", "guide"}  # the pages whose words go into the search index  # laid out for paper, as the app prints them
LESSON_DEPTH = "../../"  # lessons/<slug>/page.html → the site's root
BODY_TAG = re.compile(r"<body\b[^>]*>")


@dataclass(frozen=True)
class SitePage:
    name: str  # lesson | slides | handout | guide | notes
    html: str  # the page as written (images not yet placed)
    text: str = ""  # what it says, as plain text, for the search index


def page_file(name: str) -> str:
    return f"{name}.html"


def site_chrome(html: str, root: str, bar: str, scripts: tuple[str, ...]) -> str:
    """The app's page with the site's CSP, stylesheet, bar (first in <body>) and scripts."""
    csp = f'content="{APP_CSP}"'
    if html.count(csp) != 1:
        raise ValueError("the page has no app Content-Security-Policy to replace")
    html = html.replace(csp, f'content="{SITE_CSP}"', 1)
    head = (f'<meta name="referrer" content="no-referrer">'
            f'<link rel="stylesheet" href="{root}assets/site/site.css">')
    html = html.replace("</head>", head + "</head>", 1)
    body = BODY_TAG.search(html)
    html = html[:body.end()] + bar + html[body.end():]
    tags = "".join(f'<script src="{root}assets/site/{name}"></script>' for name in scripts)
    before, end, after = html.rpartition("</body>")
    return before + tags + end + after


def lesson_bar(title: str, pages: tuple[str, ...], current: str) -> str:
    links = "".join(
        f'<a href="{page_file(name)}"' + (' aria-current="page"' if name == current else "")
        + f">{PAGE_LABELS[name]}</a>" for name in pages)
    tools = ""
    if current in PRINTED:
        tools = '<button type="button" class="site-print" data-print>Print…</button>'
    elif current == "slides":
        tools = ('<span id="slide-counter" class="slide-counter" aria-live="polite"></span>'
                 '<button type="button" class="site-fullscreen" data-fullscreen>Full screen'
                 '</button><span class="slide-keys">Keys: → ← Space PageUp PageDown, Home End, '
                 'B black, W white, number + Enter</span>')
    return (f'<nav class="site-bar" aria-label="Lesson pages">'
            f'<a class="site-home" href="{LESSON_DEPTH}index.html">All lessons</a>'
            f'<span class="site-title">{html_text(title)}</span>{links}{tools}</nav>')


def lesson_pages(module: Module, ctx: RenderContext, with_guides: bool, paper: str = "a4",
                 font: str = "default", spacing: str = "normal") -> list[SitePage]:
    """The lesson's site pages, in this reading font and line spacing (the slides as designed);
    teacher guide and notes pages only with_guides."""
    leaflet = (LEAFLET,) if (module.meta.audience or "pupils") == "pupils" else ()
    names = PUPIL_PAGES + leaflet + (GUIDE_PAGES if with_guides else ())
    css = f"{LESSON_DEPTH}assets/css/"
    out = []
    for name in names:
        if name in PRINTED:
            app_html, text = print_page(module, ctx, PrintOptions(kind=name, paper=paper),
                                        css_base=css, font=font, spacing=spacing), ""
        else:
            rendered = render(module, name, ctx)
            app_html = page_html(rendered, css_base=css, **unfitted_type(name, font, spacing))
            text = rendered.html if name in SEARCHED else ""
        scripts = {"slides": ("slides.js",)}.get(
            name, ("site.js", "type.js") if name in PRINTED else ("type.js",))
        bar = lesson_bar(module.meta.title, names, name)
        out.append(SitePage(name, site_chrome(app_html, LESSON_DEPTH, bar, scripts), text))
    return out
