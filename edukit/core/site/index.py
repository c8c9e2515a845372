"""The site's own pages: the library index (filters, search), help and about, and the search index.

Every string from content or settings is escaped here (HTML text and attributes); the search
index is a JSON value in a script file (file:// pages cannot fetch JSON), with `<` escaped.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from html import unescape

from ... import __version__
from ..escape import html_attr, html_text
from ..markdown import Converter
from ..model import AUDIENCES, Module, School
from ..pages import stylesheets
from ..render import clean, school_contacts
from ..routes import RouteDirectory
from .lesson import PAGE_LABELS, SITE_CSP, page_file

AUDIENCE_LABELS = {"pupils": "Pupils", "staff": "School staff", "parents": "Parents and carers"}
MAX_INDEX_TEXT = 20_000  # characters of a lesson's text in the search index
TAG = re.compile(r"<[^>]+>")
SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Entry:
    """A lesson as the index lists it."""

    slug: str
    module: Module
    pages: tuple[str, ...]
    text: str  # the pages' words (pupil pages; guides too on a staff site)

    def href(self, page: str = "lesson") -> str:
        return f"lessons/{self.slug}/{page_file(page)}"


@dataclass(frozen=True)
class RouteSource:
    """Which route directory a region's helplines came from, for the about page."""

    region: str
    directory: RouteDirectory | None
    origin: str  # "bundled with edukit" | "a local route folder" | ""


def plain_text(html: str) -> str:
    return SPACE.sub(" ", unescape(TAG.sub(" ", html))).strip()


def site_kind(with_guides: bool) -> tuple[str, str]:
    if with_guides:
        return "staff", ("Staff site: includes teacher guides, notes and safeguarding guidance. "
                         "Do not share it with pupils.")
    return "pupils", ("Site for pupils and families: lessons, slides and handouts only. "
                      "It carries no teacher notes or safeguarding guidance.")


def shell(title: str, body: str, scripts: tuple[str, ...] = (), page_class: str = "") -> str:
    """A site page at the root: the app's stylesheets for blocks and help boxes, plus the site's;
    page_class carries the reading font and line spacing (font-… spacing-…)."""
    css = "".join(f'<link rel="stylesheet" href="assets/css/{n}">' for n in stylesheets("lesson"))
    js = "".join(f'<script src="assets/site/{n}"></script>' for n in scripts)
    return ("<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\">"
            f'<meta http-equiv="Content-Security-Policy" content="{SITE_CSP}">'
            '<meta name="referrer" content="no-referrer">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{html_text(title)}</title>{css}'
            '<link rel="stylesheet" href="assets/site/site.css">'
            f'</head><body class="site {page_class}">{body}{js}</body></html>\n')


def site_bar(current: str) -> str:
    links = (("index.html", "Lessons"), ("help.html", "Where to get help"), ("about.html", "About"))
    items = "".join(f'<a href="{href}"' + (' aria-current="page"' if href == current else "")
                    + f">{label}</a>" for href, label in links)
    return f'<nav class="site-bar" aria-label="Site">{items}</nav>'


def site_title(school: School) -> str:
    return f"{school.name}: online safety lessons" if school.name else "Online safety lessons"


def options(name: str, label: str, values: list[tuple[str, str]]) -> str:
    opts = "".join(f'<option value="{html_attr(v)}">{html_text(t)}</option>' for v, t in values)
    return (f'<label>{label} <select name="{name}" id="filter-{name}">'
            f'<option value="">All</option>{opts}</select></label>')


def filter_form(entries: list[Entry], topic_names: dict[str, str]) -> str:
    metas = [e.module.meta for e in entries]
    audiences = [(a, AUDIENCE_LABELS[a]) for a in AUDIENCES if any(m.audience == a for m in metas)]
    ages = sorted({m.ages for m in metas if m.ages}, key=lambda a: int(a.split("-")[0])
                  if a.split("-")[0].isdigit() else 99)
    topics = sorted({t for m in metas for t in m.topics})
    return ('<form id="filters" class="filters" role="search">'
            '<label class="search">Search <input type="search" name="q" id="search" '
            'autocomplete="off" placeholder="Words in a lesson"></label>'
            + options("audience", "For", audiences)
            + options("ages", "Ages", [(a, a) for a in ages])
            + options("topic", "Topic", [(t, topic_names.get(t, t)) for t in topics])
            + '</form><p id="result-count" class="result-count" aria-live="polite">'
            f'{len(entries)} lessons</p>')


def lesson_card(entry: Entry) -> str:
    m = entry.module.meta
    facts = [AUDIENCE_LABELS.get(m.audience or "", ""), m.ages and f"ages {m.ages}",
             m.duration and f"{m.duration_text()} minutes"]
    links = "".join(f'<a href="{entry.href(p)}">{PAGE_LABELS[p]}</a>' for p in entry.pages)
    return (f'<li class="lesson-card" data-id="{html_attr(entry.slug)}" '
            f'data-audience="{html_attr(m.audience or "")}" data-ages="{html_attr(m.ages or "")}" '
            f'data-topics="{html_attr(" ".join(m.topics))}">'
            f'<h2><a href="{entry.href()}">{html_text(m.title)}</a></h2>'
            f'<p class="facts">{html_text(" · ".join(f for f in facts if f))}</p>'
            f'<p class="summary">{html_text(m.summary)}</p><p class="match"></p>'
            f'<p class="pages">{links}</p></li>')


def index_page(entries: list[Entry], school: School, with_guides: bool,
               topic_names: dict[str, str], type_class: str = "") -> str:
    kind, notice = site_kind(with_guides)
    cards = "".join(lesson_card(e) for e in entries)
    body = (site_bar("index.html") + f'<main class="page site-index" data-site-kind="{kind}">'
            f"<h1>{html_text(site_title(school))}</h1>"
            f'<p class="site-kind site-kind-{kind}">{notice}</p>'
            + filter_form(entries, topic_names)
            + f'<ul id="lessons" class="lesson-list">{cards}</ul>'
            '<p class="help-link"><a href="help.html">Where to get help</a></p></main>')
    return shell(site_title(school), body, ("search-index.js", "index.js", "type.js"), type_class)


def help_box(directory: RouteDirectory | None, school: School, audience: str, region: str) -> str:
    """The school contacts and the "Where to get help" box, drawn as the app draws them."""
    if directory is None:
        return f'<p class="no-routes">No helplines are set for region {html_text(region)}.</p>'
    conv = Converter(school, directory.for_audience, audience)
    # Both are edukit's own, put in after sanitising: their classes are reserved (the
    # sanitiser removes them from anything else).
    return (school_contacts(school, audience)
            + clean(conv, conv.convert(f"::: {{.routes for={audience}}}\n:::")))


def help_page(entries: list[Entry], school: School, sources: list[RouteSource],
              type_class: str = "") -> str:
    audiences = [a for a in AUDIENCES if any(e.module.meta.audience == a for e in entries)]
    parts = []
    for source in sources:
        for audience in audiences or ["pupils"]:
            parts.append(f"<h2>For {AUDIENCE_LABELS[audience].lower()}</h2>"
                         + help_box(source.directory, school, audience, source.region))
    body = (site_bar("help.html") + '<main class="page site-help"><h1>Where to get help</h1>'
            + "".join(parts) + "</main>")
    return shell("Where to get help", body, ("type.js",), type_class)


def route_rows(directory: RouteDirectory) -> str:
    rows = "".join(
        f"<tr><td>{html_text(r.name)}</td>"
        f"<td>{r.verified.isoformat() if r.verified else 'not verified'}</td>"
        f"<td>{html_text(r.source)}</td></tr>" for r in directory.routes)
    return ("<table class=\"route-sources\"><thead><tr><th>Route</th><th>Verified</th>"
            f"<th>Source</th></tr></thead><tbody>{rows}</tbody></table>")


def about_page(entries: list[Entry], sources: list[RouteSource], with_guides: bool,
               built: str, type_class: str = "") -> str:
    _, notice = site_kind(with_guides)
    facts = [("edukit version", __version__), ("Published", built),
             ("Lessons", str(len(entries))), ("This site", notice)]
    rows = "".join(f"<dt>{k}</dt><dd>{html_text(v)}</dd>" for k, v in facts)
    routes = ""
    for s in sources:
        name = s.directory.name if s.directory else "none found"
        routes += (f"<h2>Helplines: route directory {html_text(s.region)}.yaml</h2>"
                   f"<p>{html_text(name)} — {html_text(s.origin or 'not found')}.</p>"
                   + (route_rows(s.directory) if s.directory else ""))
    lessons = "".join(
        f"<li>{html_text(e.module.meta.title)} — reviewed "
        f"{html_text(e.module.meta.reviewed.isoformat() if e.module.meta.reviewed else 'never')}</li>"
        for e in entries)
    body = (site_bar("about.html") + '<main class="page site-about"><h1>About this site</h1>'
            f'<dl class="about-facts">{rows}</dl>{routes}<h2>Lessons</h2><ul>{lessons}</ul>'
            "<p>Published with edukit: it works offline, from a shared drive, a USB stick or any "
            "web server, and loads nothing from the internet.</p></main>")
    return shell("About this site", body, ("type.js",), type_class)


def search_index_js(entries: list[Entry]) -> str:
    """window.EDUKIT_INDEX for index.js: the facts and words of every lesson listed."""
    lessons = [{"id": e.slug, "title": e.module.meta.title, "summary": e.module.meta.summary,
                "audience": e.module.meta.audience or "", "ages": e.module.meta.ages or "",
                "topics": list(e.module.meta.topics), "text": e.text[:MAX_INDEX_TEXT]}
               for e in entries]
    data = json.dumps({"lessons": lessons}, ensure_ascii=False, separators=(",", ":"))
    data = data.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return f"window.EDUKIT_INDEX = {data};\n"
