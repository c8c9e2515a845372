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

MARKER = ".edukit-site"
MAX_IMAGE_BYTES = 20 * 1024 * 1024
# What an image file must start with to be copied (a .png that is really a web page is not).
IMAGE_MAGIC = {
    ".png": (b"\x89PNG\r\n\x1a\n",), ".jpg": (b"\xff\xd8\xff",), ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"), ".webp": (b"RIFF",),
}
UNSAFE = re.compile(r"[\x00-\x1f\x7f]")  # control characters
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


def own_folder(module: Module) -> Path | None:
    """A folder module's folder; None for a single-file lesson, whose folder is the teacher's
    Downloads or Documents (the app shows nothing from it either)."""
    return module.folder if module.path.name == "module.md" else None


def module_image(folder: Path | None, src: str) -> Path | None:
    """The picture a module-relative src names, if it is in the lesson's own folder (also where
    links lead), names no dotfile and really is a picture of the type its name says.
    (The app's one rule for this is edukit.core.serving once issue 10 lands; keep them alike.)"""
    src = src.replace("\\", "/")  # 'images\\a.png', as Windows writes it
    rel = unquote(urlsplit(src).path)
    if folder is None or not is_local_path(src) or UNSAFE.search(rel):
        return None
    try:
        root = folder.resolve()
        target = (root / rel).resolve()
        inside = target.relative_to(root)  # ValueError: a link led out of the folder
        if not target.is_file() or target.stat().st_size > MAX_IMAGE_BYTES:
            return None
        with target.open("rb") as f:
            head = f.read(512)
    except (OSError, ValueError, RuntimeError):
        return None
    if any(part.startswith(".") for part in (*Path(rel).parts, *inside.parts)):
        return None
    suffix = target.suffix.lower()
    if suffix == ".svg":
        return target if SVG_START.match(head) else None
    if suffix == ".webp" and head[8:12] != b"WEBP":
        return None
    return target if head.startswith(IMAGE_MAGIC.get(suffix, (b"\0never",))) else None


def place_images(page: str, module: Module, lesson_dir: Path) -> str:
    """Copy the images a page shows from the module folder into the lesson's folder of the site
    (same relative path); anything else an img names is dropped. SVG goes into the page as a
    data: URL instead: an SVG file opened on its own would run any script inside it."""
    folder = own_folder(module)

    def place(m: re.Match) -> str:
        src = unescape(m.group(2))
        if src.startswith("data:"):
            return m.group(0)
        image = module_image(folder, src)
        if image is None:
            return m.group(1) + m.group(3)
        if image.suffix.lower() == ".svg":
            data = base64.b64encode(image.read_bytes()).decode("ascii")
            return f"{m.group(1)}data:image/svg+xml;base64,{data}{m.group(3)}"
        rel = image.relative_to(folder.resolve())
        target = lesson_dir / rel
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(image, target)
        return m.group(1) + quote("/".join(rel.parts)) + m.group(3)

    return IMG_SRC.sub(place, page)
