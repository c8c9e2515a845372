"""The library as an offline website (DESIGN.md §12): static files that work from file:// and any
web server, with no request leaving the machine.

    site/index.html, help.html, about.html
    site/assets/css/    edukit's own stylesheets (the app's, unchanged)
    site/assets/fonts/  the bundled reading fonts (resources/fonts) and their licences
    site/assets/site/   the site's stylesheet and script files, and search-index.js
    site/lessons/<id>/  lesson.html, slides.html, handout.html (+ guide.html, notes.html),
                        and the images those pages show
"""
from __future__ import annotations

import datetime as dt
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..library import Library, load_topic_labels, load_topics, slugify
from ..model import Module, School
from ..pages import page_font
from ..paths import content_dir, resources_dir
from ..region import region_for
from ..render import RenderContext
from ..typography import line_spacing
from .files import SiteError, building, place_images
from .index import (
    Entry,
    RouteSource,
    about_page,
    help_page,
    index_page,
    plain_text,
    search_index_js,
)
from .lesson import lesson_pages, page_file

__all__ = ["SiteError", "SiteOptions", "publish_site"]

SAFE_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,79}$")
SITE_FILES = ("site.css", "site.js", "index.js", "slides.js", "type.js")


@dataclass(frozen=True)
class SiteOptions:
    with_guides: bool = False  # teacher guides and notes pages: a site for staff only
    paper: str = "a4"
    overwrite: bool = False  # replace an earlier site in OUT
    font: str = "default"  # the reading font its pages are set in (core/typography.py)
    spacing: str = "normal"  # and their line spacing


def publish_site(library: Library, modules: list[Module], out: Path, options: SiteOptions,
                 school: School, progress: Callable[[int, int, str], None] | None = None,
                 now: dt.datetime | None = None) -> Path:
    """Write the site for these modules into OUT (replacing an earlier site only with
    overwrite); SiteError says why nothing was written."""
    built = (now or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%d %H:%M UTC")
    with building(out, options.overwrite) as work:
        copy_assets(work / "assets")
        entries = []
        for n, (module, slug) in enumerate(zip(modules, lesson_slugs(modules)), 1):
            entries.append(write_lesson(library, module, slug, work, options, school))
            if progress:
                progress(n, len(modules), module.id)
        sources = route_sources(library, modules, school)
        topics = topic_names()
        look = type_classes(options)
        write_text(work / "index.html",
                   index_page(entries, school, options.with_guides, topics, look))
        write_text(work / "help.html", help_page(entries, school, sources, look))
        write_text(work / "about.html",
                   about_page(entries, sources, options.with_guides, built, look))
        write_text(work / "assets/site/search-index.js", search_index_js(entries))
    return out


def type_classes(options: SiteOptions) -> str:
    """The body classes that set the site's own pages in the chosen font and spacing."""
    return f"font-{page_font('lesson', options.font)} spacing-{line_spacing(options.spacing)}"


def write_lesson(library: Library, module: Module, slug: str, root: Path,
                 options: SiteOptions, school: School) -> Entry:
    ctx = RenderContext(school, library.routes(region_for(library, module, school)))
    folder = root / "lessons" / slug
    folder.mkdir(parents=True)
    pages = lesson_pages(module, ctx, options.with_guides, options.paper, options.font,
                         options.spacing)
    for page in pages:
        write_text(folder / page_file(page.name), place_images(page.html, module, folder))
    text = " ".join(plain_text(p.text) for p in pages if p.text)
    return Entry(slug, module, tuple(p.name for p in pages), text)


def lesson_slugs(modules: list[Module]) -> list[str]:
    """A folder name per lesson: its id when that is a plain slug, never the same twice."""
    taken: set[str] = set()
    slugs = []
    for module in modules:
        base = module.id if SAFE_SLUG.match(module.id) else slugify(module.id)[:80]
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        slugs.append(slug)
    return slugs


def copy_assets(assets: Path) -> None:
    shutil.copytree(resources_dir() / "css", assets / "css",
                    ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    shutil.copytree(resources_dir() / "fonts", assets / "fonts")  # fonts.css's faces, licences
    (assets / "site").mkdir(parents=True)
    for name in SITE_FILES:
        shutil.copyfile(resources_dir() / "site" / name, assets / "site" / name)


def route_sources(library: Library, modules: list[Module], school: School) -> list[RouteSource]:
    bundled = (content_dir() / "routes").resolve()
    sources = []
    for region in sorted({region_for(library, m, school) for m in modules} or {"uk"}):
        directory = library.routes(region)
        found = [f for f in reversed(library.route_dirs()) if (f / f"{region}.yaml").is_file()]
        origin = ""
        if directory is not None and found:
            origin = ("bundled with edukit" if found[0].resolve() == bundled
                      else "a local route folder")
        sources.append(RouteSource(region, directory, origin))
    return sources


def topic_names() -> dict[str, str]:
    """Topic ids as the words people read, from topics.yaml's labels ("ai-images" → "AI
    images"); a topic without a label is its id in words ("image-sharing" → "Image sharing")."""
    path = content_dir() / "topics.yaml"
    labels = load_topic_labels(path)
    return {t: labels.get(t) or t.replace("-", " ").capitalize()
            for t in sorted(load_topics(path) or ())}


def write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
