"""The site's folder: built beside OUT and swapped in whole, and the lesson images copied into it.

A site is replaced as one piece, so a pupil site published over a staff site never keeps a
teacher guide from before. Only a folder edukit published (it holds MARKER) is ever replaced.
"""
from __future__ import annotations

import base64
import re
import shutil
import tempfile
from contextlib import contextmanager
from html import unescape
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from ..model import Module
from ..pages import IMG_SRC
from ..sanitize import is_local_path
from ..serving import inside_path, module_file, own_folder, read_file

MARKER = ".edukit-site"
# What an image file must start with to be copied (a .png that is really a web page is not).
IMAGE_MAGIC = {
    ".png": (b"\x89PNG\r\n\x1a\n",), ".jpg": (b"\xff\xd8\xff",), ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"), ".webp": (b"RIFF",),
}
SVG_START = re.compile(rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*(<!DOCTYPE[^>]*>\s*)?<svg\b",
                       re.DOTALL | re.IGNORECASE)


class SiteError(Exception):
    """The site cannot be written where asked; nothing was changed there."""


def check_target(out: Path, overwrite: bool) -> None:
    """Refuse a file, a folder of other things, or an earlier site without overwrite."""
    if out.exists() and not out.is_dir():
        raise SiteError(f"{out} is a file; -o names the folder the site goes in")
    if not out.is_dir() or not any(out.iterdir()):
        return
    if not (out / MARKER).is_file():
        raise SiteError(f"{out} already holds other files; publish into an empty or new folder")
    if not overwrite:
        raise SiteError(f"{out} already holds a site; nothing was written "
                        "(give --overwrite to replace it)")


@contextmanager
def building(out: Path, overwrite: bool):
    """Yield a fresh folder beside OUT; on success it replaces OUT, on failure it is removed."""
    check_target(out, overwrite)
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-", dir=out.parent))
    try:
        yield work
        (work / MARKER).write_text("published by edukit; `edukit site --overwrite` replaces "
                                   "this folder whole\n", encoding="utf-8")
        work.chmod(0o755)  # mkdtemp's 0700 would hide the site from the web server's user
        swap_in(work, out)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise


def swap_in(work: Path, out: Path) -> None:
    if not out.exists():
        work.rename(out)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    old.rmdir()
    out.rename(old)
    try:
        work.rename(out)
    except OSError:
        old.rename(out)
        raise
    shutil.rmtree(old, ignore_errors=True)


def module_image(folder: Path | None, src: str) -> tuple[str, bytes] | None:
    """(path inside the folder, bytes) of the picture a module-relative src names, if the app
    would show it (edukit.core.serving: the lesson's own folder, no dotfile, no link out, a
    picture type, not too big) and its bytes really are a picture of the type its name says."""
    src = src.replace("\\", "/")  # 'images\\a.png', as Windows writes it
    if not is_local_path(src):
        return None
    rel = inside_path(unquote(urlsplit(src).path))
    path = module_file(folder, rel) if rel else None
    found = read_file(path)
    if found is None or not looks_like(path.suffix.lower(), found[0][:512]):
        return None
    return rel, found[0]


def looks_like(suffix: str, head: bytes) -> bool:
    """A web page or a script renamed .png is not copied: the bytes must start as the type."""
    if suffix == ".svg":
        return bool(SVG_START.match(head))
    if suffix == ".webp" and head[8:12] != b"WEBP":
        return False
    return head.startswith(IMAGE_MAGIC.get(suffix, (b"\0never",)))


def place_images(page: str, module: Module, lesson_dir: Path) -> str:
    """Write the pictures a page shows into the lesson's folder of the site (same relative path);
    anything else an img names is dropped. SVG goes into the page as a
    data: URL instead: an SVG file opened on its own would run any script inside it."""
    folder = own_folder(module.path)

    def place(m: re.Match) -> str:
        src = unescape(m.group(2))
        if src.startswith("data:"):
            return m.group(0)
        image = module_image(folder, src)
        if image is None:
            return m.group(1) + m.group(3)
        rel, data = image
        if rel.lower().endswith(".svg"):
            encoded = base64.b64encode(data).decode("ascii")
            return f"{m.group(1)}data:image/svg+xml;base64,{encoded}{m.group(3)}"
        target = lesson_dir / rel
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        return m.group(1) + quote(rel) + m.group(3)

    return IMG_SRC.sub(place, page)
