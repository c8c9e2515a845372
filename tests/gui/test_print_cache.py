"""Print pages kept between runs (core/render_cache.py through the page server): a handout
printed again from the very same lesson, school and helplines comes from the kept page, with
no render; a changed lesson text, helpline or school, or a stale, corrupt or forged entry,
gives a fresh render. Each test first shows the harness sees a kept page when one is used (a
marker written into a valid entry), so a stale page being printed would be caught."""
from __future__ import annotations

import json
from dataclasses import replace

import pytest

from edukit.core.library import Library
from edukit.core.model import School
from edukit.core.options import PrintOptions
from edukit.core.render_cache import RenderCache, digest
from edukit.gui.page_server import PageServer

MARKER = "KEPT-PAGE-MARKER"
HANDOUT = PrintOptions(kind="handout")
HILL = School(name="Hill Primary")


@pytest.fixture
def lesson(tmp_path):
    """A lesson taken as bundled (rendered in this process), its library and a cache."""
    folder = tmp_path / "content" / "modules" / "kept"
    folder.mkdir(parents=True)
    (folder / "module.md").write_text(
        "---\ntitle: Kept lesson\naudience: pupils\nages: 8-11\n---\n\n"
        "## Telling someone\n\nTell a trusted adult.\n", encoding="utf-8")
    library = Library.default(extra=[tmp_path / "content"])
    module = replace(library.get("kept"), origin="bundled")
    return library, module, RenderCache(tmp_path / "cache")


def server(library, cache, school=HILL) -> PageServer:
    return PageServer(library, school, kept=cache)


def printed(pages: PageServer, module, options=HANDOUT) -> str:
    return pages.print_page(module, options).decode("utf-8")


def entries(cache: RenderCache) -> list:
    return sorted(cache.folder.glob("*.json")) if cache.folder.exists() else []


def mark_kept_page(cache: RenderCache) -> None:
    """Put MARKER into the one kept page, as a valid entry (its digest made again): a page
    printed from it shows MARKER."""
    (path,) = entries(cache)
    entry = json.loads(path.read_text())
    body = entry["rendered"]
    body["html"] = body["html"].replace("Tell a trusted adult.", MARKER)
    entry["digest"] = digest(entry["key"], body)
    path.write_text(json.dumps(entry))


@pytest.fixture
def kept(lesson, qapp):
    """The lesson's handout printed once (its page kept) and the kept page marked; the
    positive control: a second run prints the marked page, so it is not rendered again."""
    library, module, cache = lesson
    first = printed(server(library, cache), module)
    assert "Tell a trusted adult." in first and len(entries(cache)) == 1
    mark_kept_page(cache)
    assert MARKER in printed(server(library, cache), module)  # used: no render
    return library, module, cache


def test_printed_again_the_kept_page_is_the_page_a_render_makes(lesson, qapp):
    library, module, cache = lesson
    first = printed(server(library, cache), module)
    again = printed(server(library, cache), module)
    assert again == first
    assert printed(server(library, None), module) == first  # as with no cache at all


def test_a_changed_lesson_text_renders_afresh(kept):
    library, module, cache = kept
    edited = replace(module, body=module.body.replace("trusted adult", "teacher you trust"))
    page = printed(server(library, cache), edited)
    assert MARKER not in page and "Tell a teacher you trust." in page


def test_a_changed_helpline_renders_afresh(kept, monkeypatch):
    library, module, cache = kept
    pages = server(library, cache)
    routes = pages.context(module).routes
    first = routes.for_audience("pupils", "8-11")[0]
    assert first.phone and "0800 111 2222" not in printed(server(library, None), module)
    changed = replace(routes, routes=tuple(replace(r, phone="0800 111 2222") if r.id == first.id
                                           else r for r in routes.routes))
    monkeypatch.setattr(library, "routes", lambda region: changed)
    page = printed(pages, module)
    assert MARKER not in page and "0800 111 2222" in page


def test_other_school_details_render_afresh(kept):
    library, module, cache = kept
    page = printed(server(library, cache, School(name="Oak Primary")), module)
    assert MARKER not in page and "Oak Primary" in page


def test_other_print_options_are_pages_of_their_own(kept):
    library, module, cache = kept
    for options in (PrintOptions(kind="handout", paper="letter"),
                    PrintOptions(kind="handout", large_print=True),
                    PrintOptions(kind="worksheets")):
        assert MARKER not in printed(server(library, cache), module, options)
    pages = server(library, cache)
    pages.reading_font = "dyslexic"
    assert MARKER not in printed(pages, module)


@pytest.mark.parametrize("damage", ["html changed, digest kept", "truncated", "another key"])
def test_a_damaged_or_forged_entry_is_not_printed(kept, damage):
    library, module, cache = kept
    (path,) = entries(cache)
    entry = json.loads(path.read_text())
    if damage == "html changed, digest kept":
        entry["rendered"]["html"] = entry["rendered"]["html"].replace(MARKER, "Tell a stranger.")
        path.write_text(json.dumps(entry))
    elif damage == "truncated":
        path.write_text(path.read_text()[:200])
    else:
        entry["key"] = "0" * 64
        entry["digest"] = digest(entry["key"], entry["rendered"])
        path.write_text(json.dumps(entry))
    page = printed(server(library, cache), module)
    assert MARKER not in page and "stranger" not in page and "Tell a trusted adult." in page


def test_a_dated_page_is_never_kept(lesson, qapp):
    """A letter or register carries today's date: printed tomorrow, it must say tomorrow."""
    library, module, cache = lesson
    pages = server(library, cache)
    for kind in ("letter", "register", "certificate", "plan"):
        printed(pages, module, PrintOptions(kind=kind))
    assert entries(cache) == []
