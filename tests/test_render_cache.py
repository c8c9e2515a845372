"""The render cache the app paints its first lesson from: an entry is used only when it is this
very lesson's render (same text, pictures, school, helplines, renderer); anything stale, corrupt
or forged is ignored, removed and rendered afresh; the folder stays within its bound."""
from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

import pytest

from edukit.core import render_cache
from edukit.core.library import Library
from edukit.core.model import School
from edukit.core.region import render_context
from edukit.core.render import render
from edukit.core.render_cache import RenderCache, cache_key, digest, encode

HILL = School(name="Hill Primary")


@pytest.fixture
def lesson(tmp_path):
    """A user lesson with a picture, its library, and a cache folder."""
    folder = tmp_path / "content" / "modules" / "cached"
    (folder / "images").mkdir(parents=True)
    (folder / "images" / "a.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 32)
    (folder / "module.md").write_text(
        "---\ntitle: Cached lesson\naudience: pupils\nages: 8-11\n---\n\n"
        "## Telling someone\n\nTell a trusted adult.\n", encoding="utf-8")
    library = Library.default(extra=[tmp_path / "content"])
    module = library.get("cached")
    ctx = render_context(library, module, HILL)
    return library, module, ctx, RenderCache(tmp_path / "cache")


def stored(lesson):
    _, module, ctx, cache = lesson
    key = cache_key(module, "lesson", ctx)
    rendered = render(module, "lesson", ctx)
    cache.store(key, rendered)
    return key, rendered


def test_a_stored_render_comes_back_whole(lesson):
    _, module, _, cache = lesson
    key, rendered = stored(lesson)
    assert cache.load(key, module, "lesson") == rendered
    assert rendered.sections and "Tell a trusted adult" in rendered.html


def forge(path, change):
    entry = json.loads(path.read_text())
    change(entry)
    path.write_text(json.dumps(entry))


CORRUPTIONS = {
    "truncated": lambda p: p.write_bytes(p.read_bytes()[:100]),
    "not json": lambda p: p.write_bytes(b"\x00\xff garbage"),
    "empty": lambda p: p.write_bytes(b""),
    "html changed, digest kept": lambda p: forge(p, lambda e: e["rendered"].update(
        html=e["rendered"]["html"].replace("trusted adult", "stranger online"))),
    "another key inside": lambda p: forge(p, lambda e: e.update(key="0" * 64)),
    "older format": lambda p: forge(p, lambda e: e.update(format=0)),
    "sections not a list": lambda p: forge(p, lambda e: (
        e["rendered"].update(sections=7), e.update(digest=digest(e["key"], e["rendered"])))),
    "html not text": lambda p: forge(p, lambda e: (
        e["rendered"].update(html=["<b>x</b>"]), e.update(digest=digest(e["key"], e["rendered"])))),
    "another lesson's render": lambda p: forge(p, lambda e: (
        e["rendered"].update(module_id="sextortion"),
        e.update(digest=digest(e["key"], e["rendered"])))),
    "another view's render": lambda p: forge(p, lambda e: (
        e["rendered"].update(view="guide"), e.update(digest=digest(e["key"], e["rendered"])))),
    "oversized": lambda p: p.write_bytes(b" " * (render_cache.MAX_ENTRY_BYTES + 1)),
}


@pytest.mark.parametrize("corruption", CORRUPTIONS, ids=list(CORRUPTIONS))
def test_a_corrupt_or_foreign_entry_is_ignored_and_removed(lesson, corruption):
    _, module, _, cache = lesson
    key, _ = stored(lesson)
    assert cache.load(key, module, "lesson") is not None  # positive control: the loader works
    CORRUPTIONS[corruption](cache.path(key))
    assert cache.load(key, module, "lesson") is None
    assert not cache.path(key).exists()


def test_an_entry_is_found_only_under_its_own_key(lesson, tmp_path):
    """A render kept for one text is not found for another: the file name is the key."""
    _, module, ctx, cache = lesson
    key, _ = stored(lesson)
    edited = replace(module, body=module.body.replace("trusted adult", "teacher"))
    other = cache_key(edited, "lesson", ctx)
    assert other != key and cache.load(other, edited, "lesson") is None
    os.replace(cache.path(key), cache.path(other))  # an old entry moved under the new key
    assert cache.load(other, edited, "lesson") is None  # its own key inside does not match


def test_the_key_follows_everything_the_render_depends_on(lesson, monkeypatch):
    _, module, ctx, _ = lesson
    key = cache_key(module, "lesson", ctx)
    assert cache_key(module, "lesson", ctx) == key  # the same inputs: the same key
    assert cache_key(module, "guide", ctx) != key
    assert cache_key(replace(module, body=module.body + "\nMore.\n"), "lesson", ctx) != key
    assert cache_key(module, "lesson", replace(ctx, school=School(name="Oak Primary"))) != key
    assert cache_key(module, "lesson", replace(ctx, routes=None)) != key
    assert cache_key(module, "lesson", replace(ctx, routes_source="Helplines: x")) != key
    picture = module.folder / "images" / "a.png"
    picture.write_bytes(picture.read_bytes() + b"\0")  # a replaced picture
    assert cache_key(module, "lesson", ctx) != key
    monkeypatch.setattr(render_cache, "renderer_fingerprint", lambda: "another edukit")
    assert cache_key(module, "lesson", ctx) not in (key, None)


def test_a_file_opened_by_path_is_not_kept(lesson):
    _, module, ctx, _ = lesson
    assert cache_key(replace(module, origin="file"), "lesson", ctx) is None


def test_the_cache_stays_within_its_bound_and_keeps_what_was_used_last(lesson):
    cache = lesson[3]
    key, rendered = stored(lesson)
    size = len(encode(key, rendered))
    cache.max_bytes = size * 3  # room for three entries
    keys = [f"{n:064x}" for n in range(8)]
    for n, other in enumerate(keys):
        cache.store(other, replace(rendered, module_id=f"lesson-{n}"))
        os.utime(cache.path(other), (1000 + n, 1000 + n))  # stored one after another
        if n == 2:
            os.utime(cache.path(key), (5000, 5000))  # the app's lesson, used most recently
    total = sum(p.stat().st_size for p in cache.folder.glob("*.json"))
    assert total <= cache.max_bytes
    assert cache.path(key).exists()  # used last: kept
    assert not cache.path(keys[0]).exists()  # the oldest went first


def test_a_temporary_file_a_crashed_run_left_is_cleared(lesson):
    _, _, _, cache = lesson
    stored(lesson)
    left = cache.folder / ".abc.123.tmp"
    left.write_bytes(b"half")
    os.utime(left, (1, 1))
    cache.prune()
    assert not left.exists()


def test_a_cache_that_cannot_be_written_is_no_error(lesson, tmp_path):
    _, module, ctx, _ = lesson
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the folder would be")
    cache = RenderCache(blocked / "renders")
    key = cache_key(module, "lesson", ctx)
    cache.store(key, render(module, "lesson", ctx))  # no exception
    assert cache.load(key, module, "lesson") is None


def test_a_print_page_key_follows_its_options_font_and_stylesheets(lesson, monkeypatch):
    """A kept print page (edukit export, File > Print) is one of these options, font, line
    spacing and stylesheets, on top of everything the view's key follows."""
    from edukit.core.options import PrintOptions

    _, module, ctx, _ = lesson
    handout = PrintOptions(kind="handout")

    def key(options=handout, css="edukit://app/resources/css/", font="default", spacing="normal",
            ctx=ctx, module=module):
        return render_cache.print_key(module, ctx, options, css, font, spacing)
    first = key()
    assert first and key() == first  # the same inputs: the same key
    others = [key(PrintOptions(kind="guide")), key(PrintOptions(kind="handout", paper="letter")),
              key(PrintOptions(kind="handout", large_print=True)),
              key(PrintOptions(kind="nup", per_page=2)), key(PrintOptions(kind="nup", per_page=4)),
              key(css=None), key(font="dyslexic"), key(spacing="wide"),
              key(ctx=replace(ctx, school=School(name="Oak Primary"))),
              key(ctx=replace(ctx, routes=None)),
              key(module=replace(module, body=module.body + "\nMore.\n"))]
    assert first not in others and len(set(others)) == len(others)
    assert first != cache_key(module, "handout", ctx)  # never the viewer's entry
    render_cache.stylesheet_stamps.cache_clear()
    monkeypatch.setattr(render_cache, "stylesheet_stamps", lambda: [["print.css", 1, 2]])
    assert key() != first  # another edukit's stylesheets


def test_dated_print_pages_and_files_opened_by_path_are_not_kept(lesson):
    from edukit.core.options import PrintOptions

    _, module, ctx, _ = lesson
    for kind in ("letter", "register", "certificate", "plan"):
        assert render_cache.print_key(module, ctx, PrintOptions(kind=kind), None, "default",
                                      "normal") is None
    assert render_cache.print_key(replace(module, origin="file"), ctx, PrintOptions(), None,
                                  "default", "normal") is None


RAW = b"%PDF-1.4\n\x00\xff\n" + bytes(range(256)) * 40  # raw bytes, \n and all


def bytes_entry(tmp_path) -> tuple[RenderCache, str, Path]:
    cache, key = RenderCache(tmp_path / "cache"), "a" * 64
    cache.store_bytes(key, "finished", {"print": "b" * 64}, RAW)
    return cache, key, cache.bytes_path(key)


def edited_header(path: Path, change) -> None:
    data = path.read_bytes()
    end = data.index(b"\n")
    header = json.loads(data[:end])
    change(header)
    path.write_bytes(json.dumps(header).encode() + data[end:])


BYTES_DAMAGE = {
    "truncated": lambda p: p.write_bytes(p.read_bytes()[:-1]),
    "a byte changed": lambda p: p.write_bytes(p.read_bytes()[:-5] + b"!" + p.read_bytes()[-4:]),
    "a byte added": lambda p: p.write_bytes(p.read_bytes() + b"\n"),
    "header cut": lambda p: p.write_bytes(p.read_bytes()[:20]),
    "no header line": lambda p: p.write_bytes(b"x" * (render_cache.MAX_HEADER_BYTES + 1)),
    "header not JSON": lambda p: p.write_bytes(b"{nope\n" + RAW),
    "header a list": lambda p: p.write_bytes(b"[1, 2]\n" + RAW),
    "a field changed": lambda p: edited_header(p, lambda h: h["fields"].update(print="c" * 64)),
    "digest forged": lambda p: edited_header(p, lambda h: h.update(digest="0" * 64)),
    "another key": lambda p: edited_header(p, lambda h: h.update(key="0" * 64)),
    "another kind": lambda p: edited_header(p, lambda h: h.update(kind="tags")),
    "older format": lambda p: edited_header(p, lambda h: h.update(format=0)),
    "size says less": lambda p: edited_header(p, lambda h: h.update(size=h["size"] - 1)),
    "oversized": lambda p: p.write_bytes(p.read_bytes() + b" " * render_cache.MAX_ENTRY_BYTES),
}


def test_raw_bytes_come_back_whole_with_their_fields(tmp_path):
    cache, key, path = bytes_entry(tmp_path)
    assert cache.load_bytes(key, "finished") == ({"print": "b" * 64}, RAW)
    assert path.read_bytes().endswith(b"\n" + RAW)  # as they are: no base64, no escaping
    assert cache.load_bytes(key, "tags") is None  # another kind is not this entry


@pytest.mark.parametrize("damage", BYTES_DAMAGE, ids=list(BYTES_DAMAGE))
def test_a_damaged_or_foreign_bytes_entry_is_refused_and_removed(tmp_path, damage):
    cache, key, path = bytes_entry(tmp_path)
    BYTES_DAMAGE[damage](path)
    assert cache.load_bytes(key, "finished") is None
    assert not path.exists()


def test_bytes_entries_count_in_the_caches_bound(tmp_path):
    cache, _, path = bytes_entry(tmp_path)
    cache.max_bytes = path.stat().st_size * 2  # room for two
    os.utime(path, (900, 900))  # stored first
    for n in range(4):
        cache.store_bytes(f"{n:064x}", "finished", {}, RAW)
        os.utime(cache.bytes_path(f"{n:064x}"), (1000 + n, 1000 + n))
    cache.prune()
    kept = list(cache.folder.glob("*.bin"))
    assert sum(p.stat().st_size for p in kept) <= cache.max_bytes and len(kept) == 2
    assert not path.exists()  # the oldest went first


def test_any_change_to_a_core_source_file_even_in_a_subfolder_renders_afresh(tmp_path,
                                                                             monkeypatch):
    """The renderer's fingerprint covers each core source file, at any depth, and only those:
    a page kept by another edukit is never served."""
    (tmp_path / "core" / "markdown").mkdir(parents=True)
    (tmp_path / "core" / "render.py").write_text("# a\n")
    (tmp_path / "core" / "markdown" / "blocks.py").write_text("# b\n")
    (tmp_path / "core" / "notes.txt").write_text("not code\n")
    monkeypatch.setattr(render_cache, "PACKAGE", tmp_path)
    fingerprint = render_cache.renderer_fingerprint.__wrapped__
    assert [s[0] for s in render_cache.core_source_stamps()] == [
        os.path.join("core", "markdown", "blocks.py"), os.path.join("core", "render.py")]
    before = fingerprint()
    (tmp_path / "core" / "notes.txt").write_text("still not code, longer\n")
    assert fingerprint() == before
    (tmp_path / "core" / "markdown" / "blocks.py").write_text("# b, changed\n")
    assert fingerprint() != before
