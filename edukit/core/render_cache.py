"""Rendered views kept on disk between runs, so the app paints the lesson it opens with from the
last run's render, before Python-Markdown has even loaded (issue 17: launch near Qt's floor);
and print pages, so a handout printed again from unchanged inputs (`edukit export`, File >
Print) is laid out by Chromium without Python-Markdown, the sanitiser or the QR encoder loading;
and beside each print page, what tagging learnt from its colour-coded second print
(core/pdf_tags.TagMap, `store_data`), so the reprint is tagged without that print; and the
finished PDF itself, as raw bytes (`store_bytes`), for a reprint whose print is byte for byte
the one it was made from (core/pdf_prints.py).

An entry is untrusted input when read (DESIGN §11): anything could have written the file. It
is used only if its key is the one this module, view and context hash to now — the lesson's
file, its folder's pictures, the school details, the helplines in use and edukit's own
renderer code and libraries — and its digest matches its contents, so what is shown is what
edukit's own renderer and sanitiser made of this very text. Anything else (stale, corrupt,
truncated, oversized, from another version) is ignored and removed, and the lesson is rendered
afresh. The folder is bounded: the least recently used entries go first.
"""
from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import os
import threading
import time
from pathlib import Path

from .model import Module, Section, Slide
from .options import PrintOptions
from .paths import PACKAGE, AppDirs, resources_dir
from .rendered import RenderContext, Rendered

FORMAT = 2  # the entry's layout; a new one makes every old entry a miss
MAX_ENTRY_BYTES = 8 * 1024 * 1024  # far above any real lesson page: beyond it, not read at all
MAX_CACHE_BYTES = 32 * 1024 * 1024  # the whole folder; oldest entries go first
MAX_FOLDER_FILES = 500  # files of a lesson's folder that take part in its key
SUFFIX = ".json"
BYTES_SUFFIX = ".bin"  # raw bytes after a one-line JSON header (store_bytes)
MAX_HEADER_BYTES = 4096  # a bytes entry's header line; longer, the entry is not read
STALE_TMP_SECONDS = 3600  # a temporary file this old was left by a run that died mid-write
# Libraries whose output is in a rendered page: a new version must render afresh.
RENDER_LIBRARIES = ("markdown", "pymdownx", "nh3", "pygments", "segno", "latex2mathml")
# Print pages kept: those with no date of their own in them (a letter, register, certificate or
# plan is dated today, and a plan also reads the topics file). A resource module's handout is
# dated too: cache_key puts today's date in its key.
KEPT_PRINT_KINDS = ("handout", "guide", "worksheets", "parents", "notes", "slides", "nup")


class RenderCache:
    """One folder of rendered views, one JSON file per key."""

    def __init__(self, folder: Path, max_bytes: int = MAX_CACHE_BYTES):
        self.folder, self.max_bytes = folder, max_bytes

    @classmethod
    def default(cls, dirs: AppDirs | None = None) -> RenderCache:
        return cls((dirs or AppDirs.default()).cache / "renders")

    def path(self, key: str) -> Path:
        return self.folder / f"{key}{SUFFIX}"

    def load(self, key: str, module: Module, view: str) -> Rendered | None:
        """The entry for key if it is whole and really is this module's view; else None (and
        a bad entry is removed)."""
        data = self.read(key)
        if data is None:
            return None
        rendered = decode(data, key)
        if rendered is None or rendered.module_id != module.id or rendered.view != view:
            remove(self.path(key))
            return None
        return rendered

    def store(self, key: str, rendered: Rendered) -> None:
        """Write the entry whole (a temporary file renamed over it), then keep the folder within
        bounds. A cache that cannot be written is no error: the next run renders again."""
        self.write(key, encode(key, rendered))

    def load_data(self, key: str, kind: str) -> object | None:
        """Plain JSON data kept under key (store_data) if the entry is whole, of this kind and
        for this key; else None (and a bad entry is removed). The data is still untrusted in
        shape: its reader checks every part (core/pdf_tags.tag_map_from)."""
        data = self.read(key)
        if data is None:
            return None
        body = decode_data(data, key, kind)
        if body is None:
            remove(self.path(key))
        return body

    def store_data(self, key: str, kind: str, body: object) -> None:
        """Keep plain JSON data under key, as `store` keeps a view."""
        self.write(key, encode_data(key, kind, body))

    def load_bytes(self, key: str, kind: str) -> tuple[dict, bytes] | None:
        """The header fields and raw bytes kept under key (store_bytes) if the entry is whole,
        of this FORMAT, kind and key, its size as said and its digest that of its fields and
        bytes; else None (and a bad entry is removed). The fields' shapes are the reader's to
        check, as with load_data."""
        path = self.bytes_path(key)
        data = self.read(key, path)
        if data is None:
            return None
        entry = decode_bytes(data, key, kind)
        if entry is None:
            remove(path)
        return entry

    def store_bytes(self, key: str, kind: str, fields: dict, body: bytes) -> None:
        """Keep raw bytes (a finished PDF) under key with a few JSON fields about them, as
        `store` keeps a view: no base64, no JSON escaping of the bytes."""
        self.write(key, encode_bytes(key, kind, fields, body), self.bytes_path(key))

    def bytes_path(self, key: str) -> Path:
        return self.folder / f"{key}{BYTES_SUFFIX}"

    def read(self, key: str, path: Path | None = None) -> bytes | None:
        path = path or self.path(key)
        try:
            with path.open("rb") as f:
                data = f.read(MAX_ENTRY_BYTES + 1)
        except OSError:
            return None
        touch(path)  # recently used: kept longest (a bad entry is removed by the caller)
        return data

    def write(self, key: str, data: bytes, path: Path | None = None) -> None:
        if len(data) > MAX_ENTRY_BYTES:
            return
        tmp = self.folder / f".{key}.{os.getpid()}.{threading.get_ident()}.tmp"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(data)  # no fsync: a torn entry fails its digest and is re-rendered
            os.replace(tmp, path or self.path(key))
        except OSError:
            remove(tmp)
            return
        self.prune()

    def prune(self) -> None:
        """Remove the least recently used entries until the folder holds at most max_bytes,
        and temporary files a crashed run left behind."""
        entries, now = [], time.time()
        try:
            with os.scandir(self.folder) as found:
                for entry in found:
                    stat = entry.stat(follow_symlinks=False)
                    if entry.name.endswith(".tmp") and now - stat.st_mtime > STALE_TMP_SECONDS:
                        remove(Path(entry.path))
                    elif entry.name.endswith((SUFFIX, BYTES_SUFFIX)):
                        entries.append((stat.st_mtime, stat.st_size, Path(entry.path)))
        except OSError:
            return
        total = sum(size for _, size, _ in entries)
        for _, size, path in sorted(entries, key=lambda e: e[0]):
            if total <= self.max_bytes:
                break
            remove(path)
            total -= size


def remove(path: Path) -> None:
    """Delete a cache file; one that cannot be deleted is left (it is never trusted anyway)."""
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass


def touch(path: Path) -> None:
    try:
        os.utime(path)
    except OSError:
        pass


def cache_key(module: Module, view: str, ctx: RenderContext) -> str | None:
    """A digest of everything a rendered view depends on; None for what is not kept (a file
    opened by path lives among the user's other files, and one that could not be read)."""
    if module.origin == "file" or not module.loaded:
        return None
    parts = [FORMAT, renderer_fingerprint(), view, str(module.path), repr(module),
             hashlib.sha256(module.body.encode("utf-8", "surrogatepass")).hexdigest(),
             repr(ctx.school), repr(ctx.routes), ctx.routes_source, fit_text(ctx),
             folder_stamps(module.folder), logo_stamp(ctx.school.logo)]
    if module.meta.is_resource:  # a letter is dated: today's letterhead
        parts.append(time.strftime("%Y-%m-%d"))
    return hashlib.sha256(json.dumps(parts).encode("utf-8", "surrogatepass")).hexdigest()


def tags_key(print_key: str, tagger: str = "") -> str:
    """Where what tagging learnt from a print page's second print is kept (core/pdf_tags.TagMap):
    beside the page, under its key and a stamp of what found the page's elements (`tagger`,
    the GUI's scripts: changed, they may tag the same page otherwise)."""
    return hashlib.sha256(f"tags\n{print_key}\n{tagger}".encode("ascii")).hexdigest()


def finished_key(tags: str) -> str:
    """Where the finished PDF made with a print page's tags is kept (core/pdf_prints.py):
    beside the page and its tag map, under the tag map's key."""
    return hashlib.sha256(f"finished\n{tags}".encode("ascii")).hexdigest()


def print_view(options: PrintOptions) -> str:
    """What a kept print page is stored as (its Rendered.view)."""
    return f"print-{options.kind}"


def print_key(module: Module, ctx: RenderContext, options: PrintOptions, css_base: str | None,
              font: str, spacing: str) -> str | None:
    """A digest of everything a print page depends on: the view's key (lesson, pictures,
    school, helplines, renderer), the print options, reading font and spacing, and edukit's
    stylesheets (slides restate slides.css in the page); None for what is not kept."""
    if options.kind not in KEPT_PRINT_KINDS:
        return None
    view_key = cache_key(module, print_view(options), ctx)
    if view_key is None:
        return None
    parts = [view_key, repr(options), css_base, font, spacing, stylesheet_stamps()]
    return hashlib.sha256(json.dumps(parts).encode("utf-8", "surrogatepass")).hexdigest()


@functools.cache
def stylesheet_stamps() -> list:
    """Name, size and modification time of edukit's stylesheets."""
    stamps: list = []
    for path in sorted(resources_dir().joinpath("css").glob("*.css")):
        stat = path.stat()
        stamps.append([path.name, stat.st_size, stat.st_mtime_ns])
    return stamps


def fit_text(ctx: RenderContext) -> str:
    """The slide fit in a fixed order (a frozenset's repr need not be)."""
    fit = ctx.fit
    return "" if fit is None else repr((fit.breaks, sorted(fit.shrunk), fit.kept_types))


def folder_stamps(folder: Path) -> list:
    """Name, size and modification time of the lesson folder's files (its pictures are read
    while rendering: a replaced picture renders afresh)."""
    stamps: list = []
    for root, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            try:
                stat = os.stat(os.path.join(root, name))
            except OSError:
                continue
            stamps.append([os.path.relpath(os.path.join(root, name), folder), stat.st_size,
                           stat.st_mtime_ns])
            if len(stamps) >= MAX_FOLDER_FILES:
                return stamps
    return stamps


def logo_stamp(logo: str) -> list:
    if not logo:
        return []
    try:
        stat = os.stat(logo)
    except OSError:
        return [logo]
    return [logo, stat.st_size, stat.st_mtime_ns]


@functools.cache
def renderer_fingerprint() -> str:
    """edukit's version, its core's source files and the rendering libraries' versions (as
    their files on disk): a changed renderer never serves an old page."""
    from .. import __version__

    stamps = [__version__, *core_source_stamps()]
    stamps += [library_stamp(name) for name in RENDER_LIBRARIES]
    return hashlib.sha256(json.dumps(stamps).encode("utf-8")).hexdigest()


def core_source_stamps() -> list:
    """Each of the core's source files (its path in the package), size and modification time,
    in path order. Found with os.walk: Path.rglob, and a Path for each of ~80 files, took ~1 ms
    of a reprint's CPU."""
    found = []
    for root, _dirs, files in os.walk(PACKAGE / "core"):
        relative = os.path.relpath(root, PACKAGE).split(os.sep)
        found += [([*relative, name], os.path.join(root, name))
                  for name in files if name.endswith(".py")]
    stamps = []
    for parts, path in sorted(found):
        stat = os.stat(path)
        stamps.append([os.path.join(*parts), stat.st_size, stat.st_mtime_ns])
    return stamps


def library_stamp(name: str) -> list:
    """A library's name and its package file on disk (found without importing it): a new
    version has another size or time."""
    spec = importlib.util.find_spec(name)
    origin = spec.origin if spec and spec.origin else ""
    stat = os.stat(origin) if origin and os.path.exists(origin) else None
    return [name, origin, stat.st_size if stat else 0, stat.st_mtime_ns if stat else 0]


def encode(key: str, rendered: Rendered) -> bytes:
    body = payload(rendered)
    return json.dumps({"format": FORMAT, "key": key, "digest": digest(key, body),
                       "rendered": body}, ensure_ascii=True).encode("ascii")


def payload(rendered: Rendered) -> dict:
    return {"module_id": rendered.module_id, "title": rendered.title, "view": rendered.view,
            "html": rendered.html,
            "sections": [[s.id, s.title, s.level] for s in rendered.sections],
            "slides": [[s.index, s.title, s.html, s.notes_html, s.safeguarding_html, s.classes,
                        s.part] for s in rendered.slides]}


def digest(key: str, body: dict) -> str:
    text = json.dumps(body, ensure_ascii=True, sort_keys=True)
    return hashlib.sha256(f"{key}\n{text}".encode("ascii")).hexdigest()


def encode_data(key: str, kind: str, body: object) -> bytes:
    return json.dumps({"format": FORMAT, "key": key, "kind": kind,
                       "digest": digest(key, {"kind": kind, "data": body}), "data": body},
                      ensure_ascii=True).encode("ascii")


def decode_data(data: bytes, key: str, kind: str) -> object | None:
    """An entry's data if it is well formed, of this kind (its digest covers the kind), for
    this key and unchanged."""
    return checked_body(data, key, "data", lambda body: {"kind": kind, "data": body})


def checked_body(data: bytes, key: str, field: str, signed=lambda body: body) -> object | None:
    """The entry's `field` if the entry is well formed JSON of this FORMAT, for this key, and
    its digest is that of `signed(field)`: unchanged since written; else None."""
    if len(data) > MAX_ENTRY_BYTES:
        return None
    try:
        entry = json.loads(data)
        body = entry[field]
        if entry["format"] != FORMAT or entry["key"] != key \
                or entry["digest"] != digest(key, signed(body)):
            return None
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return None
    return body


def bytes_digest(key: str, kind: str, fields: dict, body: bytes) -> str:
    """What a bytes entry's digest covers: its key, kind, fields and every byte."""
    head = json.dumps([key, kind, fields], ensure_ascii=True, sort_keys=True)
    return hashlib.sha256(f"{head}\n".encode("ascii") + body).hexdigest()


def encode_bytes(key: str, kind: str, fields: dict, body: bytes) -> bytes:
    header = {"format": FORMAT, "key": key, "kind": kind, "fields": fields, "size": len(body),
              "digest": bytes_digest(key, kind, fields, body)}
    return json.dumps(header, ensure_ascii=True).encode("ascii") + b"\n" + body


def decode_bytes(data: bytes, key: str, kind: str) -> tuple[dict, bytes] | None:
    """A bytes entry's fields and bytes if its header is one line of JSON of this FORMAT,
    kind and key, the bytes after it are as many as it says, and its digest matches."""
    end = data.find(b"\n", 0, MAX_HEADER_BYTES)
    if end < 0 or len(data) > MAX_ENTRY_BYTES:
        return None
    body = data[end + 1:]
    try:
        header = json.loads(data[:end])
        fields = header["fields"]
        if header["format"] != FORMAT or header["key"] != key or header["kind"] != kind \
                or header["size"] != len(body) or not isinstance(fields, dict) \
                or header["digest"] != bytes_digest(key, kind, fields, body):
            return None
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return None
    return fields, body


def decode(data: bytes, key: str) -> Rendered | None:
    """The entry's view if it is well formed, for this key, and unchanged since written."""
    body = checked_body(data, key, "rendered")
    if body is None:
        return None
    try:
        return Rendered(
            text(body["module_id"]), text(body["title"]), text(body["view"]), text(body["html"]),
            tuple(Section(text(i), text(t), number(n)) for i, t, n in body["sections"]),
            tuple(Slide(number(n), text(t), text(h), text(notes), text(guard), text(classes),
                        number(part))
                  for n, t, h, notes, guard, classes, part in body["slides"]))
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return None


def text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError("not text")
    return value


def number(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError("not a number")
    return value
